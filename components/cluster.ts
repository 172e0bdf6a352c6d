// What the program reads of the cluster before it registers anything: the nodes (for the endpoint
// outputs' address and the room a host-network rollout has) and the objects the stack refers to but
// does not create (prerequisites.ts). The Kubernetes provider cannot list or read such objects, so this
// asks the API server itself, with the provider's kubeconfig and context, read-only and bounded in time:
// with Node's https where the kubeconfig allows (directCluster.ts), else with @kubernetes/client-node.
// Tests pass their own ClusterReader.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { KubernetesSettings } from "../settings/settings";
import { DirectAccess, directAccess, directCluster, unlessMissing } from "./directCluster";

/** A node as far as placement and the endpoint outputs care. */
export interface ClusterNode {
    readonly name: string;
    /** status.addresses in the node's order. */
    readonly addresses: readonly string[];
    readonly labels: Readonly<Record<string, string>>;
    readonly unschedulable: boolean;
    readonly taints: readonly { readonly key: string; readonly value?: string; readonly effect: string }[];
}

/** An existing object the stack refers to: the keys of its data (never the values). */
export interface ObjectKeys {
    /** A Secret's type; undefined for a ConfigMap. */
    readonly type?: string;
    readonly keys: readonly string[];
}

/** Read-only questions to the cluster; "missing" is undefined or false, any other failure throws. */
export interface ClusterReader {
    nodes(): Promise<readonly ClusterNode[]>;
    namespaceExists(name: string): Promise<boolean>;
    priorityClassExists(name: string): Promise<boolean>;
    secret(namespace: string, name: string): Promise<ObjectKeys | undefined>;
    configMap(namespace: string, name: string): Promise<ObjectKeys | undefined>;
}

/** How long the whole read may take before the program goes on without it. */
export const READ_TIMEOUT_MS = 10_000;

/** What this module uses of @kubernetes/client-node (tests pass a fake). */
export interface KubeClient {
    KubeConfig: new () => {
        loadFromDefault(): void;
        loadFromFile(file: string): void;
        loadFromString(contents: string): void;
        setCurrentContext(context: string): void;
        makeApiClient<T>(api: new (...args: never[]) => T): T;
    };
    CoreV1Api: new (...args: never[]) => CoreApi;
    SchedulingV1Api: new (...args: never[]) => SchedulingApi;
}

interface CoreApi {
    listNode(): Promise<{ items?: RawNode[] }>;
    readNamespace(p: { name: string }): Promise<unknown>;
    readNamespacedSecret(p: { name: string; namespace: string }): Promise<{ type?: string; data?: Record<string, string> }>;
    readNamespacedConfigMap(p: { name: string; namespace: string }): Promise<{ data?: Record<string, string>; binaryData?: Record<string, string> }>;
}

interface SchedulingApi {
    readPriorityClass(p: { name: string }): Promise<unknown>;
}

/** A node as the API returns it (the fields used). */
export interface RawNode {
    metadata?: { name?: string; labels?: Record<string, string> };
    spec?: { unschedulable?: boolean; taints?: { key: string; value?: string; effect: string }[] };
    status?: { addresses?: { address?: string }[] };
}

export function clusterNode(raw: RawNode): ClusterNode {
    return {
        name: raw.metadata?.name ?? "",
        addresses: (raw.status?.addresses ?? []).flatMap((a) => (a.address ? [a.address] : [])),
        labels: raw.metadata?.labels ?? {},
        unschedulable: raw.spec?.unschedulable === true,
        taints: (raw.spec?.taints ?? []).map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
    };
}

/** `{.items[0].status.addresses[0].address}` of a node list, as the seed README's jsonpath finds it. */
export function firstNodeAddress(nodes: { items?: readonly RawNode[] }): string | undefined {
    return nodes.items?.[0]?.status?.addresses?.[0]?.address || undefined;
}

/** `kubernetes:kubeconfig` holds either a file's contents or its path, as for the provider. */
function loadKubeconfig(
    config: Pick<InstanceType<KubeClient["KubeConfig"]>, "loadFromDefault" | "loadFromFile" | "loadFromString">,
    kubeconfig: string | undefined,
): void {
    if (kubeconfig === undefined) {
        // loadFromDefault falls back to http://localhost:8080 when it finds nothing, which then fails
        // with a reason about TLS: say instead that there is no kubeconfig, and where we looked.
        const missing = missingKubeconfig(process.env);
        if (missing !== undefined) throw new Error(missing);
        config.loadFromDefault();
    } else if (/\n|^\s*[{]|^\s*apiVersion:/.test(kubeconfig)) {
        config.loadFromString(kubeconfig);
    } else {
        const file = kubeconfig.replace(/^~(?=$|\/)/, os.homedir());
        if (!fs.existsSync(file)) throw new Error(`kubeconfig file ${file} does not exist`);
        config.loadFromFile(file);
    }
}

/** The provider's kubeconfig and context, loaded into a client-node KubeConfig (`config`). */
export function useKubeconfig(
    config: Pick<InstanceType<KubeClient["KubeConfig"]>, "loadFromDefault" | "loadFromFile" | "loadFromString" | "setCurrentContext">,
    kube: Pick<KubernetesSettings, "kubeconfig" | "context">,
): void {
    loadKubeconfig(config, kube.kubeconfig);
    if (kube.context !== undefined) config.setCurrentContext(kube.context);
}

/** Why the client would find no kubeconfig (KUBECONFIG's files, else ~/.kube/config, else in a pod), or undefined. */
export function missingKubeconfig(env: NodeJS.ProcessEnv, home = os.homedir()): string | undefined {
    const fix = "set KUBECONFIG to your cluster's kubeconfig (or the stack's kubernetes:kubeconfig)";
    if (env.KUBECONFIG !== undefined && env.KUBECONFIG !== "") {
        const files = env.KUBECONFIG.split(path.delimiter).filter((f) => f !== "");
        if (files.some((f) => fs.existsSync(f))) return undefined;
        return `no kubeconfig was found: KUBECONFIG names ${files.join(", ")}, which does not exist; ${fix}`;
    }
    const file = path.join(home, ".kube", "config");
    if (fs.existsSync(file) || env.KUBERNETES_SERVICE_HOST !== undefined) return undefined;
    return `no kubeconfig was found: KUBECONFIG is not set and ${file} does not exist; ${fix}`;
}

/**
 * A reader of the cluster the provider deploys to; undefined when the provider renders to a directory.
 * A kubeconfig of a server and static credentials is read with Node's https (directCluster.ts), any
 * other with @kubernetes/client-node.
 */
export async function kubernetesCluster(
    kube: KubernetesSettings,
    loadClient: () => Promise<KubeClient> = () => import("@kubernetes/client-node") as unknown as Promise<KubeClient>,
    direct: (kube: KubernetesSettings) => DirectAccess | undefined = directAccess,
): Promise<ClusterReader | undefined> {
    if (kube.renderYamlToDirectory !== undefined) return undefined; // rendering: there is no cluster
    const access = direct(kube);
    if (access !== undefined) return directCluster(access, clusterNode, READ_TIMEOUT_MS);
    const client = await loadClient();
    const config = new client.KubeConfig();
    useKubeconfig(config, kube);
    const core = config.makeApiClient(client.CoreV1Api);
    const scheduling = config.makeApiClient(client.SchedulingV1Api);
    return {
        nodes: async () => ((await core.listNode()).items ?? []).map(clusterNode),
        namespaceExists: async (name) => (await unlessMissing(core.readNamespace({ name }))) !== undefined,
        priorityClassExists: async (name) => (await unlessMissing(scheduling.readPriorityClass({ name }))) !== undefined,
        secret: async (namespace, name) => {
            const secret = await unlessMissing(core.readNamespacedSecret({ name, namespace }));
            // Only the key names leave this function; the values are dropped here.
            return secret && { type: secret.type, keys: Object.keys(secret.data ?? {}) };
        },
        configMap: async (namespace, name) => {
            const cm = await unlessMissing(core.readNamespacedConfigMap({ name, namespace }));
            return cm && { keys: [...Object.keys(cm.data ?? {}), ...Object.keys(cm.binaryData ?? {})] };
        },
    };
}

/** Rejects after `ms` with a message that says so; the timer never keeps the process alive. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer from the API server in ${ms / 1000} s`)), ms);
        timer.unref?.();
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
