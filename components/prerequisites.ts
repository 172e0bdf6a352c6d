// What the stack needs from the cluster but does not create: its namespace, a PriorityClass, TLS and
// pull Secrets, mounted ConfigMaps and Secrets, nodes that the placement settings can use. Kubernetes
// only says so once pods fail to appear, and `pulumi up` would wait out its timeout before reporting
// "Minimum number of live Pods was not attained"; so they are checked first, and all that is missing
// is named before anything is registered.
import { ProblemsError } from "../settings/problems";
import { Settings } from "../settings/settings";
import { Toleration } from "../settings/production";
import { TLS_KEYS } from "../vtm/configuration";
import { ClusterNode, ClusterReader, READ_TIMEOUT_MS, withTimeout } from "./cluster";
import { configCommand } from "../settings/commands";

/** One object the stack refers to, with the setting that refers to it. */
export type Prerequisite =
    | { readonly kind: "Namespace"; readonly name: string; readonly setting: string }
    | { readonly kind: "PriorityClass"; readonly name: string; readonly setting: string }
    | {
          readonly kind: "Secret" | "ConfigMap";
          readonly name: string;
          readonly setting: string;
          /** Keys the object must hold. */
          readonly keys: readonly string[];
          /** The Secret type it must have. */
          readonly type?: string;
          /** How to make it, for the message. */
          readonly hint?: string;
      };

/** What the cluster said: its nodes, and what is missing. */
export interface ClusterFacts {
    readonly nodes: readonly ClusterNode[];
    /** Nodes the traffic manager's pods may run on; undefined when the placement is beyond this check (required node affinity). */
    readonly eligibleNodes?: number;
}

/** Prerequisites that are missing: every one named, before anything is registered. */
export class PrerequisiteError extends ProblemsError {
    constructor(problems: readonly string[]) {
        const count = `${problems.length} missing`;
        super(`The cluster lacks what the stack needs (${count}; nothing was deployed or changed)`, problems);
        this.name = "PrerequisiteError";
    }
}

/** Everything the stack refers to and expects to exist. */
export function prerequisitesOf(settings: Settings): Prerequisite[] {
    const list: Prerequisite[] = [{ kind: "Namespace", name: settings.namespace, setting: "namespace" }];
    if (settings.priorityClassName !== undefined) list.push({ kind: "PriorityClass", name: settings.priorityClassName, setting: "priorityClassName" });
    for (const s of settings.services) {
        if (s.tlsSecret === undefined) continue;
        list.push({
            kind: "Secret",
            name: s.tlsSecret,
            setting: `services.${s.name}.tlsSecret`,
            type: "kubernetes.io/tls",
            keys: Object.values(TLS_KEYS),
            hint: `kubectl -n ${settings.namespace} create secret tls ${s.tlsSecret} --cert=<file> --key=<file>`,
        });
    }
    const licensing = settings.licensing;
    if (licensing.mode === "licenseKey" && licensing.license.from === "secret") {
        const { secretName, key } = licensing.license;
        list.push({ kind: "Secret", name: secretName, setting: "licensing.licenseSecret", keys: [key], hint: `kubectl -n ${settings.namespace} create secret generic ${secretName} --from-file=${key}=<licence file>` });
    }
    settings.imagePullSecrets.forEach((name, i) =>
        list.push({ kind: "Secret", name, setting: `imagePullSecrets[${i}]`, keys: [], hint: `kubectl -n ${settings.namespace} create secret docker-registry ${name} …` }),
    );
    for (const [key, mounts] of [["configMounts", settings.configMounts], ["dataMounts", settings.dataMounts]] as const) {
        mounts.forEach((m, i) =>
            list.push({ kind: m.type === "secret" ? "Secret" : "ConfigMap", name: m.name, setting: `${key}[${i}]`, keys: (m.items ?? []).map((item) => item.key) }),
        );
    }
    // One Secret may be named by several settings: ask once, report at the first.
    return list.filter((p, i) => list.findIndex((q) => q.kind === p.kind && q.name === p.name) === i);
}

/** Whether a pod with these tolerations may be scheduled onto a node with this taint. */
function tolerates(tolerations: readonly Toleration[], taint: ClusterNode["taints"][number]): boolean {
    if (taint.effect === "PreferNoSchedule") return true;
    return tolerations.some(
        (t) =>
            (t.key === undefined ? t.operator === "Exists" : t.key === taint.key) &&
            (t.operator === "Exists" || (t.value ?? "") === (taint.value ?? "")) &&
            (t.effect === undefined || t.effect === taint.effect),
    );
}

/** The nodes the pods may run on, or undefined when required node affinity decides (not evaluated here). */
export function eligibleNodes(settings: Settings, nodes: readonly ClusterNode[]): ClusterNode[] | undefined {
    const nodeAffinity = settings.affinity?.nodeAffinity as { requiredDuringSchedulingIgnoredDuringExecution?: unknown } | undefined;
    if (nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution !== undefined) return undefined;
    return nodes.filter(
        (n) =>
            !n.unschedulable &&
            Object.entries(settings.nodeSelector).every(([k, v]) => n.labels[k] === v) &&
            n.taints.every((t) => tolerates(settings.tolerations, t)),
    );
}

async function missing(p: Prerequisite, namespace: string, cluster: ClusterReader): Promise<string | undefined> {
    switch (p.kind) {
        case "Namespace":
            return (await cluster.namespaceExists(p.name))
                ? undefined
                : `${p.setting}: Namespace '${p.name}' does not exist; create it first (kubectl create namespace ${p.name})`;
        case "PriorityClass":
            return (await cluster.priorityClassExists(p.name))
                ? undefined
                : `${p.setting}: PriorityClass '${p.name}' does not exist (kubectl get priorityclasses); create it or unset ${p.setting}`;
        case "Secret":
        case "ConfigMap": {
            const found = await (p.kind === "Secret" ? cluster.secret(namespace, p.name) : cluster.configMap(namespace, p.name));
            const how = p.hint === undefined ? "" : ` (${p.hint})`;
            if (found === undefined) return `${p.setting}: ${p.kind} '${p.name}' does not exist in namespace '${namespace}'; create it first${how}`;
            if (p.type !== undefined && found.type !== p.type) return `${p.setting}: Secret '${p.name}' is of type '${found.type}', not ${p.type}${how}`;
            const absent = p.keys.filter((k) => !found.keys.includes(k));
            return absent.length === 0 ? undefined : `${p.setting}: ${p.kind} '${p.name}' has no key ${absent.map((k) => `'${k}'`).join(", ")} (it has: ${found.keys.join(", ") || "none"})`;
        }
        default: {
            const unreachable: never = p;
            throw new Error(`unknown prerequisite ${JSON.stringify(unreachable)}`);
        }
    }
}

/** Problems of placement that would leave pods Pending: no node to run on, a spread key no node has, too few nodes for host networking. */
export function placementProblems(settings: Settings, nodes: readonly ClusterNode[]): string[] {
    const eligible = eligibleNodes(settings, nodes);
    if (eligible === undefined) return [];
    const problems: string[] = [];
    const selector = Object.entries(settings.nodeSelector).map(([k, v]) => `${k}=${v}`).join(",");
    if (eligible.length === 0) {
        const why = selector === "" ? "none is schedulable for its taints" : `none is schedulable and has the labels ${selector}`;
        problems.push(`${selector === "" ? "tolerations" : "nodeSelector"}: the cluster has ${nodes.length} node(s) and ${why}; the traffic manager's pods could not start anywhere`);
        return problems;
    }
    const key = settings.availability.spreadTopologyKey;
    if (settings.replicas > 1 && !eligible.some((n) => key in n.labels)) {
        problems.push(
            `availability.spreadTopologyKey: no node the pods may run on has the label '${key}', so the ${settings.replicas} replicas would not be spread; ` +
                "label the nodes or choose another key (kubernetes.io/hostname spreads over nodes)",
        );
    }
    if (settings.exposure === "HostNetwork" && settings.replicas > eligible.length) {
        problems.push(
            `replicas: ${settings.replicas} host-network traffic managers need ${settings.replicas} nodes (one per node), and only ${eligible.length} can run them; ` +
                `lower replicas to ${eligible.length} or add nodes`,
        );
    }
    return problems;
}

/**
 * Reads the cluster and checks the stack's prerequisites; throws PrerequisiteError naming everything
 * missing. When the cluster cannot be read, says so and returns undefined: the deployment goes on
 * and the provider reports what it finds.
 */
export async function observeCluster(settings: Settings, cluster: ClusterReader, warn: (message: string) => void, timeoutMs = READ_TIMEOUT_MS): Promise<ClusterFacts | undefined> {
    let result: { nodes: readonly ClusterNode[]; problems: string[] };
    try {
        result = await withTimeout(
            (async () => {
                const [nodes, answers] = await Promise.all([cluster.nodes(), Promise.all(prerequisitesOf(settings).map((p) => missing(p, settings.namespace, cluster)))]);
                return { nodes, problems: [...answers.filter((a): a is string => a !== undefined), ...placementProblems(settings, nodes)] };
            })(),
            timeoutMs,
        );
    } catch (err) {
        warn(
            `Could not read the cluster (${(err as Error).message}): its prerequisites are not checked and the node address is unknown. ` +
                `Set one with: ${configCommand("set nodeAddress <address>")}`,
        );
        return undefined;
    }
    if (result.problems.length > 0) throw new PrerequisiteError(result.problems);
    return { nodes: result.nodes, eligibleNodes: eligibleNodes(settings, result.nodes)?.length };
}
