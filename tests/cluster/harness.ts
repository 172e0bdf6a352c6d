// The cluster suite's harness: a namespace of its own per test, the program's output applied the way
// `pulumi up` applies it (server-side apply under one field manager, then the provider's waits, then the
// deletion of what the stack no longer has), and small readers of what Kubernetes decided.
// Runs against the cluster the kubeconfig names: KUBECONFIG, or ~/.kube/config.
import * as k8s from "@kubernetes/client-node";
import { randomBytes } from "crypto";
import { ClusterReader, kubernetesCluster } from "../../components/cluster";
import { RenderOptions, RenderResult, render } from "../../scripts/render";
import { NEEDS } from "./preflight";

export type KubeObject = Record<string, any>;

/** The field manager the Pulumi Kubernetes provider applies with. */
const FIELD_MANAGER = "pulumi-kubernetes";
/** How long a wait may take in these tests (the program's own default is 600 s). */
export const WAIT_MS = Number(process.env.CLUSTER_WAIT_SECONDS ?? 120) * 1000;

export class Cluster {
    readonly config = new k8s.KubeConfig();
    readonly objects: k8s.KubernetesObjectApi;
    readonly core: k8s.CoreV1Api;
    readonly apps: k8s.AppsV1Api;
    readonly policy: k8s.PolicyV1Api;
    readonly discovery: k8s.DiscoveryV1Api;
    readonly networking: k8s.NetworkingV1Api;

    constructor() {
        this.config.loadFromDefault();
        this.objects = k8s.KubernetesObjectApi.makeApiClient(this.config);
        this.core = this.config.makeApiClient(k8s.CoreV1Api);
        this.apps = this.config.makeApiClient(k8s.AppsV1Api);
        this.policy = this.config.makeApiClient(k8s.PolicyV1Api);
        this.discovery = this.config.makeApiClient(k8s.DiscoveryV1Api);
        this.networking = this.config.makeApiClient(k8s.NetworkingV1Api);
    }

    /** The program's own reader of this cluster (what `pulumi up` reads before deploying). */
    reader(): Promise<ClusterReader | undefined> {
        return kubernetesCluster({ kubeconfig: this.config.exportConfig() });
    }

    async nodes(): Promise<k8s.V1Node[]> {
        return (await this.core.listNode()).items;
    }

    /** A namespace of the test's own; `cleanup` deletes it and waits until it is gone. */
    async namespace(prefix = "vtm-it"): Promise<Namespace> {
        const name = `${prefix}-${randomBytes(3).toString("hex")}`;
        await this.core.createNamespace({ body: { metadata: { name, labels: { "vtm-kubernetes/test": "cluster-suite" } } } });
        return new Namespace(this, name);
    }
}

/** Connects to the cluster the kubeconfig names, or fails saying how to get one. */
export async function connect(): Promise<Cluster> {
    const cluster = new Cluster();
    try {
        await cluster.core.listNode();
    } catch (err) {
        throw new Error(`No Kubernetes cluster answers (${(err as Error).message.split("\n")[0]}): ${NEEDS}`);
    }
    return cluster;
}

export async function until<T>(what: string, probe: () => Promise<T | undefined | false>, ms = WAIT_MS, every = 250): Promise<T> {
    const deadline = Date.now() + ms;
    let last: unknown;
    for (;;) {
        try {
            const v = await probe();
            if (v !== undefined && v !== false) return v;
        } catch (err) {
            last = err;
        }
        if (Date.now() > deadline) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ""}`);
        await new Promise((r) => setTimeout(r, every));
    }
}

const isMissing = (err: unknown) => (err as { code?: number }).code === 404;
const key = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;

/**
 * An object as the client's serializer expects it: its models call a NetworkPolicy rule's `from`
 * `_from` (a reserved word in its generator), and a plain `from` would be dropped without a word.
 */
function clientModel(o: KubeObject): k8s.KubernetesObject {
    if (o.kind !== "NetworkPolicy") return o as k8s.KubernetesObject;
    const ingress = (o.spec?.ingress ?? []).map(({ from, ...rule }: KubeObject) => (from === undefined ? rule : { ...rule, _from: from }));
    return { ...o, spec: { ...o.spec, ingress } } as k8s.KubernetesObject;
}

export class Namespace {
    constructor(
        readonly cluster: Cluster,
        readonly name: string,
    ) {}

    /** Renders a stack into this namespace, reading this cluster as `pulumi up` would. */
    async render(options: RenderOptions): Promise<RenderResult> {
        return render({
            includeSecrets: true,
            cluster: await this.cluster.reader(),
            ...options,
            set: { adminPassword: "Cluster-Suite-Password-1", ...options.set, namespace: this.name },
        });
    }

    /** Server-side apply, as the provider does; `dryRun` asks the API server to validate only. */
    async apply(objects: readonly KubeObject[], dryRun = false): Promise<KubeObject[]> {
        const applied: KubeObject[] = [];
        for (const o of objects) {
            applied.push(await this.cluster.objects.patch(clientModel(o), undefined, dryRun ? "All" : undefined, FIELD_MANAGER, true, k8s.PatchStrategy.ServerSideApply));
        }
        return applied;
    }

    /**
     * One `pulumi up`: apply everything, wait as the provider waits (Deployments rolled out, balancers
     * given an address), then delete what the previous update had and this one does not.
     */
    async up(objects: readonly KubeObject[], previous: readonly KubeObject[] = []): Promise<void> {
        await this.apply(objects);
        for (const o of objects.filter((x) => x.kind === "Service" && x.spec?.type === "LoadBalancer")) await this.giveBalancerAddress(o.metadata.name);
        for (const o of objects.filter((x) => x.kind === "Deployment")) await this.rolledOut(o.metadata.name);
        const current = new Set(objects.map(key));
        await this.remove(previous.filter((o) => !current.has(key(o))));
    }

    /** `pulumi destroy`: deletes in reverse apply order, waiting for each object to go. */
    async remove(objects: readonly KubeObject[]): Promise<void> {
        for (const o of [...objects].reverse()) {
            try {
                await this.cluster.objects.delete({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata.name, namespace: this.name } }, undefined, undefined, undefined, undefined, "Foreground");
            } catch (err) {
                if (!isMissing(err)) throw err;
            }
        }
        for (const o of objects) {
            await until(`${key(o)} to be deleted`, async () => {
                try {
                    await this.cluster.objects.read({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata.name, namespace: this.name } });
                    return false;
                } catch (err) {
                    return isMissing(err) ? true : Promise.reject(err);
                }
            });
        }
    }

    /** What a load-balancer controller does (there is none here); a real cluster's own controller wins. */
    async giveBalancerAddress(service: string): Promise<void> {
        const current = await this.cluster.core.readNamespacedService({ name: service, namespace: this.name });
        if ((current.status?.loadBalancer?.ingress ?? []).length > 0) return;
        await this.cluster.core.patchNamespacedServiceStatus(
            { name: service, namespace: this.name, body: { status: { loadBalancer: { ingress: [{ ip: "127.0.0.2" }] } } } },
            k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch),
        );
    }

    /** The provider's Deployment wait: the new ReplicaSet has every replica ready and available, and no old pod is left. */
    async rolledOut(name: string, ms = WAIT_MS): Promise<void> {
        await until(`Deployment ${name} to roll out`, async () => {
            const d = await this.cluster.apps.readNamespacedDeployment({ name, namespace: this.name });
            const want = d.spec?.replicas ?? 1;
            const s = d.status ?? {};
            const done =
                (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
                s.updatedReplicas === want &&
                s.availableReplicas === want &&
                (s.replicas ?? 0) === want;
            if (!done) return false;
            const pods = await this.pods(d.spec!.selector!.matchLabels!);
            return pods.length === want || false;
        }, ms);
    }

    async pods(selector: Record<string, string>): Promise<k8s.V1Pod[]> {
        const labelSelector = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(",");
        const pods = (await this.cluster.core.listNamespacedPod({ namespace: this.name, labelSelector })).items;
        return pods.filter((p) => p.metadata?.deletionTimestamp === undefined);
    }

    async deployment(name: string): Promise<k8s.V1Deployment> {
        return this.cluster.apps.readNamespacedDeployment({ name, namespace: this.name });
    }

    async services(): Promise<k8s.V1Service[]> {
        return (await this.cluster.core.listNamespacedService({ namespace: this.name })).items;
    }

    /** Every object of the kinds a stack could leave behind, as `<Kind>/<name>`. */
    async leftovers(): Promise<string[]> {
        const ns = { namespace: this.name };
        const names = (kind: string, list: { items: { metadata?: { name?: string } }[] }) => list.items.map((i) => `${kind}/${i.metadata?.name}`);
        return [
            ...names("Deployment", await this.cluster.apps.listNamespacedDeployment(ns)),
            ...names("ReplicaSet", await this.cluster.apps.listNamespacedReplicaSet(ns)),
            ...names("Pod", await this.cluster.core.listNamespacedPod(ns)),
            ...names("Service", await this.cluster.core.listNamespacedService(ns)),
            ...names("EndpointSlice", await this.cluster.discovery.listNamespacedEndpointSlice(ns)),
            ...names("ConfigMap", await this.cluster.core.listNamespacedConfigMap(ns)).filter((n) => n !== "ConfigMap/kube-root-ca.crt"),
            ...names("Secret", await this.cluster.core.listNamespacedSecret(ns)),
            ...names("ServiceAccount", await this.cluster.core.listNamespacedServiceAccount(ns)).filter((n) => n !== "ServiceAccount/default"),
            ...names("PodDisruptionBudget", await this.cluster.policy.listNamespacedPodDisruptionBudget(ns)),
            ...names("NetworkPolicy", await this.cluster.networking.listNamespacedNetworkPolicy(ns)),
        ];
    }

    async cleanup(): Promise<void> {
        try {
            await this.cluster.core.deleteNamespace({ name: this.name });
        } catch (err) {
            if (!isMissing(err)) throw err;
        }
        await until(`namespace ${this.name} to be deleted`, async () => {
            try {
                await this.cluster.core.readNamespace({ name: this.name });
                return false;
            } catch (err) {
                return isMissing(err) ? true : Promise.reject(err);
            }
        });
    }
}

/** Samples the ready pods of a selector while `action` runs: the fewest seen, and the most pods at once. */
export async function duringRollout(ns: Namespace, selector: Record<string, string>, action: () => Promise<void>): Promise<{ minReady: number; maxPods: number }> {
    let minReady = Number.POSITIVE_INFINITY;
    let maxPods = 0;
    let running = true;
    const sample = (async () => {
        while (running) {
            const pods = await ns.pods(selector).catch(() => undefined);
            if (pods !== undefined) {
                const ready = pods.filter((p) => p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")).length;
                minReady = Math.min(minReady, ready);
                maxPods = Math.max(maxPods, pods.length);
            }
            await new Promise((r) => setTimeout(r, 100));
        }
    })();
    try {
        await action();
    } finally {
        running = false;
        await sample;
    }
    return { minReady, maxPods };
}
