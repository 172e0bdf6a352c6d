// Every switch between the three exposure modes, in both directions, with as many replicas as nodes and
// with fewer: each finishes in one update (the rollout completes, the old pods are gone, the Services
// are what the new mode wants), and never has fewer ready traffic managers than the modes allow.
import * as assert from "assert";
import { Cluster, KubeObject, Namespace, connect, duringRollout } from "./harness";

const MODES = ["NodePort", "LoadBalancer", "HostNetwork"] as const;
type Mode = (typeof MODES)[number];

const selector = { app: "vtm" };
/** The default image (vTM 19.1) on the host network faces the node: its admin exposure is accepted (CVE-2024-7593). */
const modeSettings = (mode: Mode): Record<string, string> => (mode === "HostNetwork" ? { exposure: mode, "security.acceptAdminExposure": "CVE-2024-7593" } : { exposure: mode });

describe("cluster: exposure switches", function () {
    this.timeout(300_000);
    let cluster: Cluster;
    let nodeCount: number;

    before(async () => {
        cluster = await connect();
        nodeCount = (await cluster.nodes()).filter((n) => !n.spec?.unschedulable).length;
        assert.ok(nodeCount >= 2, `the suite needs at least two schedulable nodes (has ${nodeCount})`);
    });

    /** What the Services and pods of a mode look like. */
    async function assertMode(ns: Namespace, mode: Mode, replicas: number): Promise<void> {
        const services = new Map((await ns.services()).map((s) => [s.metadata!.name!, s]));
        if (mode === "HostNetwork") {
            assert.strictEqual(services.has("vtm-services"), false, "no data Service on the host network");
            assert.strictEqual(services.has("vtm-admin-services"), false, "no admin Service on the host network");
        } else {
            assert.strictEqual(services.get("vtm-services")?.spec?.type, mode);
            // The dev stack keeps the admin interfaces inside the cluster.
            assert.strictEqual(services.get("vtm-admin-services")?.spec?.type, "ClusterIP");
        }
        const pods = await ns.pods(selector);
        assert.strictEqual(pods.length, replicas, `${replicas} pods`);
        const d = await ns.deployment("vtm");
        const hash = (p: (typeof pods)[number]) => p.metadata?.labels?.["pod-template-hash"];
        assert.strictEqual(new Set(pods.map(hash)).size, 1, "every pod of the new template: the old ones are gone");
        assert.strictEqual(d.status?.updatedReplicas, replicas);
        for (const p of pods) assert.strictEqual(p.spec?.hostNetwork === true, mode === "HostNetwork", `pod ${p.metadata?.name} hostNetwork`);
        if (mode === "HostNetwork") assert.strictEqual(new Set(pods.map((p) => p.spec?.nodeName)).size, replicas, "one host-network pod per node");
    }

    for (const from of MODES) {
        for (const to of MODES.filter((m) => m !== from)) {
            for (const fill of ["as many replicas as nodes", "fewer replicas than nodes"] as const) {
                it(`${from} → ${to}, ${fill}`, async () => {
                    const replicas = fill === "as many replicas as nodes" ? nodeCount : nodeCount - 1;
                    const ns = await cluster.namespace();
                    try {
                        const stack = async (mode: Mode) => (await ns.render({ stack: "dev", set: { ...modeSettings(mode), replicas: String(replicas) } })).objects;
                        const before = await stack(from);
                        await ns.up(before);
                        await assertMode(ns, from, replicas);

                        const after: KubeObject[] = await stack(to);
                        const strategy = after.find((o) => o.kind === "Deployment" && o.metadata.name === "vtm")!.spec.strategy.rollingUpdate;
                        const seen = await duringRollout(ns, selector, () => ns.up(after, before));
                        await assertMode(ns, to, replicas);
                        // Never fewer ready pods than the new strategy allows, and never more than one extra.
                        assert.ok(seen.minReady >= replicas - strategy.maxUnavailable, `min ready ${seen.minReady} with ${replicas} replicas and maxUnavailable ${strategy.maxUnavailable}`);
                        assert.ok(seen.maxPods <= replicas + strategy.maxSurge, `at most ${replicas + strategy.maxSurge} pods, saw ${seen.maxPods}`);
                        // Out of HostNetwork, or with a node to spare, no traffic manager stops before its replacement is ready.
                        if (to !== "HostNetwork" || replicas < nodeCount) assert.strictEqual(strategy.maxUnavailable, 0);
                    } finally {
                        await ns.cleanup();
                    }
                });
            }
        }
    }

    it("the switch out of HostNetwork is what used to hang: old host-network pods no longer keep new pods off their nodes", async () => {
        const ns = await cluster.namespace();
        try {
            const host = (await ns.render({ stack: "dev", set: { ...modeSettings("HostNetwork"), replicas: String(nodeCount) } })).objects;
            await ns.up(host);
            const template = host.find((o) => o.kind === "Deployment" && o.metadata.name === "vtm")!.spec.template;
            const rule = template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchLabels;
            const nodePort = (await ns.render({ stack: "dev", set: { exposure: "NodePort", replicas: String(nodeCount) } })).objects;
            const newLabels = nodePort.find((o) => o.kind === "Deployment" && o.metadata.name === "vtm")!.spec.template.metadata.labels;
            // The old pods' rule does not match the new pods (a rule on `app` alone did, and left them Pending).
            assert.ok(Object.entries(rule).some(([k, v]) => newLabels[k] !== v), `rule ${JSON.stringify(rule)} matches ${JSON.stringify(newLabels)}`);
            await ns.up(nodePort, host);
            const events = await cluster.core.listNamespacedEvent({ namespace: ns.name, fieldSelector: "reason=FailedScheduling" });
            assert.deepStrictEqual(events.items.map((e) => e.message), []);
        } finally {
            await ns.cleanup();
        }
    });
});
