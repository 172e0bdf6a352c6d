// The e2e suite's harness: the real engine (tools/engine.ts: Automation API, a file backend of its
// own, a passphrase) against the cluster the kubeconfig names, each test with a namespace of its own,
// and readers of what the cluster holds, so that every claim is proven by the cluster rather than by
// the engine's own report. Reusable for other programs: `stack(name, { programDir, … })`.
import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import * as k8s from "@kubernetes/client-node";
import { Cluster, Namespace, connect, duringRollout, until } from "../cluster/harness";
import { Engine, EngineStack, PROJECT_DIR, StackOptions, run } from "../../tools/engine";

export { Engine, EngineStack, Namespace, PROJECT_DIR, run, until };

/** Namespaces and stacks are named `<prefix>-…`. */
export const PREFIX = process.env.E2E_PREFIX ?? "vtm-e2e";

/** Why the suite cannot run here, or undefined when it can. */
export function missing(): string | undefined {
    if (spawnSync("pulumi", ["version"], { encoding: "utf8" }).status !== 0) {
        return "no Pulumi CLI on PATH (eval \"$(bash ../shared/pulumi-engine/install.sh)\", or install it)";
    }
    return undefined;
}

/**
 * The upstream manifests in shared/reference/upstream-deploy beside the clone (CI lays shared/ there;
 * VTM_SHARED_DIR says where it is otherwise), or undefined.
 */
export function upstreamManifests(): string | undefined {
    const shared = process.env.VTM_SHARED_DIR ?? path.resolve(PROJECT_DIR, "..", "shared");
    const dir = path.join(shared, "reference", "upstream-deploy");
    return fs.existsSync(dir) ? dir : undefined;
}

/** What a suite needs around its tests (withWorld). */
export interface WorldHooks {
    /** Give LoadBalancer Services an address, as a controller would. @default false */
    readonly balancer?: boolean;
    /** Another reason to skip the suite, besides a missing Pulumi CLI. */
    readonly skipIf?: () => string | undefined;
    /** Once the world is open: the suite's stacks. */
    readonly setup?: (world: World) => Promise<void>;
    /** Before the world is closed (its stacks destroyed, its namespace deleted). */
    readonly teardown?: (world: World) => Promise<void>;
}

/**
 * Opens a world before the suite's tests and closes it after them; where the engine (or what `skipIf`
 * names) is missing, the suite is skipped, saying why, in one line.
 */
export function withWorld(hooks: WorldHooks = {}): void {
    const reason = missing() ?? hooks.skipIf?.();
    let world: World | undefined;
    before(async function () {
        if (reason) {
            console.log(`      skipped: ${reason}`);
            return this.skip();
        }
        world = await World.open();
        if (hooks.balancer) world.startBalancer();
        await hooks.setup?.(world);
    });
    after(async () => {
        if (world === undefined) return;
        try {
            await hooks.teardown?.(world);
        } finally {
            await world.close();
        }
    });
}

/** One test's world: an engine, the cluster, and a namespace of its own; `close` removes all of it. */
export class World {
    private readonly stacks: EngineStack[] = [];
    private balancing = false;
    private balancer?: Promise<void>;

    private constructor(
        readonly engine: Engine,
        readonly cluster: Cluster,
        readonly ns: Namespace,
    ) {}

    static async open(): Promise<World> {
        const cluster = await connect();
        return new World(Engine.create(), cluster, await cluster.namespace(PREFIX));
    }

    get namespace(): string {
        return this.ns.name;
    }

    /** A stack in this world's namespace (destroyed and removed by `close`). */
    async stack(options: StackOptions = {}): Promise<EngineStack> {
        const stack = await this.engine.stack(`${this.namespace}-${this.stacks.length}`, { ...options, config: { namespace: this.namespace, ...options.config } });
        this.stacks.push(stack);
        return stack;
    }

    /** The dev stack (Pulumi.dev.yaml) in this namespace, with `config` over it. */
    devStack(config: Record<string, unknown> = {}, secrets?: Record<string, string>): Promise<EngineStack> {
        return this.stack({ from: "Pulumi.dev.yaml", config, secrets });
    }

    /**
     * What a load-balancer controller does, while the test runs: every LoadBalancer Service of the
     * namespace gets the address 127.0.0.2 (a real controller's own address wins).
     */
    startBalancer(): void {
        if (this.balancing) return;
        this.balancing = true;
        this.balancer = (async () => {
            while (this.balancing) {
                const services = await this.ns.services().catch(() => []);
                for (const s of services.filter((x) => x.spec?.type === "LoadBalancer" && !(x.status?.loadBalancer?.ingress ?? []).length)) {
                    await this.ns.giveBalancerAddress(s.metadata!.name!).catch(() => undefined);
                }
                await new Promise((r) => setTimeout(r, 200));
            }
        })();
    }

    /** Every object of the namespace that a stack makes or that its objects make, by `<Kind>/<name>`. */
    async objects(): Promise<Map<string, KubeMeta>> {
        const ns = { namespace: this.namespace };
        const c = this.cluster;
        const lists: [string, Promise<{ items: { metadata?: k8s.V1ObjectMeta }[] }>][] = [
            ["Deployment", c.apps.listNamespacedDeployment(ns)],
            ["ReplicaSet", c.apps.listNamespacedReplicaSet(ns)],
            ["Pod", c.core.listNamespacedPod(ns)],
            ["Service", c.core.listNamespacedService(ns)],
            ["ConfigMap", c.core.listNamespacedConfigMap(ns)],
            ["Secret", c.core.listNamespacedSecret(ns)],
            ["ServiceAccount", c.core.listNamespacedServiceAccount(ns)],
            ["PodDisruptionBudget", c.policy.listNamespacedPodDisruptionBudget(ns)],
            ["NetworkPolicy", c.config.makeApiClient(k8s.NetworkingV1Api).listNamespacedNetworkPolicy(ns)],
        ];
        const all = new Map<string, KubeMeta>();
        for (const [kind, list] of lists) {
            for (const item of (await list).items) {
                const m = item.metadata!;
                if ((kind === "ConfigMap" && m.name === "kube-root-ca.crt") || (kind === "ServiceAccount" && m.name === "default")) continue;
                all.set(`${kind}/${m.name}`, { kind, name: m.name!, uid: m.uid!, resourceVersion: m.resourceVersion!, generation: m.generation, managers: (m.managedFields ?? []).map((f) => f.manager!) });
            }
        }
        return all;
    }

    /** The traffic manager's pods (app=vtm), not being deleted. */
    vtmPods(): Promise<k8s.V1Pod[]> {
        return this.ns.pods({ app: "vtm" });
    }

    /** kubectl against this cluster. */
    kubectl(args: readonly string[], input?: string) {
        return run("kubectl", args, { cwd: PROJECT_DIR, input });
    }

    /** Destroys and removes every stack, then deletes the namespace. */
    async close(): Promise<void> {
        this.balancing = false;
        await this.balancer;
        for (const stack of this.stacks.reverse()) await stack.remove().catch((err) => console.error(`      (cleanup of stack ${stack.name}: ${(err as Error).message.split("\n")[0]})`));
        await this.ns.cleanup();
        this.engine.cleanup();
    }
}

export interface KubeMeta {
    readonly kind: string;
    readonly name: string;
    readonly uid: string;
    readonly resourceVersion: string;
    readonly generation?: number;
    readonly managers: string[];
}

/** The URNs' Kubernetes objects in a stack's state: `<Kind>/<name>` of each, with how often each is there. */
export async function stateObjects(stack: EngineStack): Promise<Map<string, number>> {
    const state = await stack.stack.exportStack();
    const counts = new Map<string, number>();
    for (const r of (state.deployment.resources ?? []) as { type: string; outputs?: { kind?: string; metadata?: { name?: string } } }[]) {
        if (!r.type.startsWith("kubernetes:") || r.type.startsWith("pulumi:providers")) continue;
        const key = `${r.outputs?.kind}/${r.outputs?.metadata?.name}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
}

/** A preview's change summary without the unchanged ("same") count: {} when nothing would change. */
export function changes(summary: Record<string, number | undefined>): Record<string, number> {
    return Object.fromEntries(Object.entries(summary).filter(([op, n]) => op !== "same" && (n ?? 0) > 0)) as Record<string, number>;
}

/** Samples the ready traffic manager pods while `action` runs: the fewest ready seen (the cluster suite's sampler). */
export async function fewestReady(world: World, action: () => Promise<unknown>): Promise<number> {
    return (await duringRollout(world.ns, { app: "vtm" }, async () => void (await action()))).minReady;
}
