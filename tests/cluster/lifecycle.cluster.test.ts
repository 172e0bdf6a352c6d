// What Kubernetes does with the program's updates: a document or rule edit changes only ConfigMaps and
// no pod restarts; a new password or image rolls every pod; scaling keeps the spread and the disruption
// budget holds (an eviction beyond it is refused); deleting the stack leaves nothing behind.
import * as assert from "assert";
import * as k8s from "@kubernetes/client-node";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CONFIG_DIR } from "../../vtm/documents";
import { Cluster, KubeObject, Namespace, connect, duringRollout, until } from "./harness";

const selector = { app: "vtm" };

/** A copy of config/ that a test may edit. */
function configCopy(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-config-"));
    fs.cpSync(CONFIG_DIR, dir, { recursive: true });
    return dir;
}

/** Every object of the namespace that the stack made, with its resourceVersion. */
async function versions(ns: Namespace, objects: readonly KubeObject[]): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    for (const o of objects) {
        const live = await ns.cluster.objects.read({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata.name, namespace: ns.name } });
        result.set(`${o.kind}/${o.metadata.name}`, String(live.metadata?.resourceVersion));
    }
    return result;
}

const uids = async (ns: Namespace) => new Set((await ns.pods(selector)).map((p) => p.metadata!.uid!));

describe("cluster: updates, scaling and deletion", function () {
    this.timeout(300_000);
    let cluster: Cluster;
    let ns: Namespace;

    before(async () => {
        cluster = await connect();
    });
    beforeEach(async () => {
        ns = await cluster.namespace();
    });
    afterEach(() => ns.cleanup());

    it("a document or rule edit changes only ConfigMaps: the same pods keep running", async () => {
        const config = configCopy();
        const before = (await ns.render({ stack: "dev", set: { replicas: "2" }, configDir: config })).objects;
        await ns.up(before);
        const podsBefore = await uids(ns);
        const versionsBefore = await versions(ns, before);

        fs.appendFileSync(path.join(config, "rules", "Response-Headers.trafficscript"), '\nhttp.setResponseHeader("X-Edited", "yes");\n');
        fs.mkdirSync(path.join(config, "documents"), { recursive: true });
        fs.writeFileSync(path.join(config, "documents", "50-timeouts.yaml"), "version: 6.2\nvirtual_servers:\n- name: example-service\n  properties:\n    connection:\n      timeout: 60\n");
        const after = (await ns.render({ stack: "dev", set: { replicas: "2" }, configDir: config })).objects;
        await ns.up(after, before);

        const versionsAfter = await versions(ns, after);
        const changed = [...versionsAfter].filter(([k, v]) => versionsBefore.get(k) !== v).map(([k]) => k).sort();
        assert.deepStrictEqual(changed, ["ConfigMap/vtm-config", "ConfigMap/vtm-extra-data"]);
        assert.deepStrictEqual(await uids(ns), podsBefore);
        const data = (await cluster.core.readNamespacedConfigMap({ name: "vtm-extra-data", namespace: ns.name })).data!;
        assert.match(data["Response-Headers.trafficscript"], /X-Edited/);
    });

    const changes: [string, Record<string, string>][] = [
        ["a new admin password", { adminPassword: "Second-Password-222" }],
        ["a password rotation", { adminPassword: "", adminPasswordRotation: "2026-12" }],
        ["a new image", { image: "registry.example.com/pulsesecure/vtm:19.1" }],
    ];
    for (const [change, set] of changes) {
        it(`${change} rolls every pod, one at a time with a new one ready first`, async () => {
            const before = (await ns.render({ stack: "dev", set: { replicas: "2", adminPassword: "First-Password-111" } })).objects;
            await ns.up(before);
            const podsBefore = await uids(ns);
            const after = (await ns.render({ stack: "dev", set: { replicas: "2", adminPassword: "First-Password-111", ...set } })).objects;
            const seen = await duringRollout(ns, selector, () => ns.up(after, before));
            // Sampled every 100 ms: never fewer than the 2 replicas ready, never more than one extra pod.
            assert.ok(seen.minReady >= 2 && seen.maxPods <= 3, JSON.stringify(seen));
            const podsAfter = await uids(ns);
            assert.strictEqual(podsAfter.size, 2);
            assert.deepStrictEqual([...podsAfter].filter((u) => podsBefore.has(u)), [], "no pod of the old template is left");
            // The admin Secret the pods read: a new password is a new Secret, and the old one is gone.
            const secrets = (await cluster.core.listNamespacedSecret({ namespace: ns.name })).items.map((s) => s.metadata!.name!);
            const admin = secrets.filter((s) => s.startsWith("vtm-admin-login-credentials-"));
            assert.strictEqual(admin.length, 1, admin.join(", "));
            const env = (await ns.deployment("vtm")).spec!.template.spec!.containers[0].env!.find((e) => e.name === "ZEUS_PASS")!;
            assert.strictEqual(env.valueFrom?.secretKeyRef?.name, admin[0]);
        });
    }

    it("scaling up and down keeps the replicas spread over the nodes, and the budget refuses an eviction beyond it", async () => {
        const nodes = await cluster.nodes();
        const stack = async (replicas: number) => (await ns.render({ stack: "dev", set: { replicas: String(replicas) } })).objects;
        let current = await stack(2);
        await ns.up(current);
        for (const replicas of [nodes.length, 2]) {
            const next = await stack(replicas);
            await ns.up(next, current);
            current = next;
            const pods = await ns.pods(selector);
            assert.strictEqual(pods.length, replicas);
            // maxSkew 1 over kubernetes.io/hostname: with no more replicas than nodes, one per node.
            assert.strictEqual(new Set(pods.map((p) => p.spec!.nodeName)).size, replicas, `spread over ${replicas} nodes`);
        }
        await until("the disruption budget to allow one eviction", async () => {
            const pdb = await cluster.policy.readNamespacedPodDisruptionBudget({ name: "vtm", namespace: ns.name });
            return pdb.status?.disruptionsAllowed === 1;
        });
        // As kubectl drain does: the nodes are cordoned first, so an evicted pod's replacement cannot start
        // and the budget stays spent; the first eviction is allowed, the second refused.
        const [first, second] = await ns.pods(selector);
        const evict = (pod: string) => cluster.core.createNamespacedPodEviction({ name: pod, namespace: ns.name, body: { metadata: { name: pod, namespace: ns.name } } });
        const cordon = (unschedulable: boolean) =>
            Promise.all(
                nodes.map((n) =>
                    cluster.core.patchNode({ name: n.metadata!.name!, body: { spec: { unschedulable } } }, k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch)),
                ),
            );
        await cordon(true);
        try {
            await evict(first.metadata!.name!);
            await until("the budget to be spent", async () => (await cluster.policy.readNamespacedPodDisruptionBudget({ name: "vtm", namespace: ns.name })).status?.disruptionsAllowed === 0);
            await assert.rejects(evict(second.metadata!.name!), (err: { code?: number; body?: string }) => {
                assert.strictEqual(err.code, 429, String(err.body));
                assert.match(String(err.body), /disruption budget/);
                return true;
            });
        } finally {
            await cordon(false);
        }
    });

    it("deleting the stack's objects, as pulumi destroy does, leaves nothing behind", async () => {
        const objects = (await ns.render({ stack: "dev", set: { replicas: "2", exposure: "LoadBalancer" } })).objects;
        await ns.up(objects);
        assert.ok((await ns.leftovers()).length > objects.length, "pods, ReplicaSets and EndpointSlices were made too");
        await ns.remove(objects);
        await until("the garbage collector to remove pods, ReplicaSets and EndpointSlices", async () => (await ns.leftovers()).length === 0 || undefined);
        assert.deepStrictEqual(await ns.leftovers(), []);
    });
});
