// The dev stack's life under the real engine, one stack from `up` to `destroy`, each claim read back
// from the cluster: its outputs are what the cluster allocated; a second preview, and one after a
// refresh, change nothing; a bad value fails before anything changes; a document or rule edit changes
// only ConfigMaps while a new password or image rolls every pod; `destroy` leaves nothing behind.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { EngineStack, World, changes, withWorld } from "./harness";

/** A pod's identity and what it runs. */
const podIds = async (world: World) => (await world.vtmPods()).map((p) => p.metadata!.uid!).sort();

describe("e2e: the dev stack from up to destroy", function () {
    let world: World;
    let stack: EngineStack;
    withWorld({
        balancer: true,
        setup: async (w) => {
            world = w;
            stack = await w.devStack();
        },
    });

    it("comes up, and serviceEndpoint, serviceNodePort, adminUrl and restApiUrl are what the cluster allocated", async () => {
        const up = await stack.up();
        assert.strictEqual(up.summary.result, "succeeded");
        const outputs = await stack.outputs();
        const node = (await world.cluster.nodes())[0].status!.addresses![0].address;
        const services = await world.ns.services();
        const data = services.find((s) => s.metadata!.name === "vtm-services")!;
        assert.strictEqual(data.spec!.type, "NodePort");
        const nodePort = data.spec!.ports!.find((p) => p.name === "example-service")!.nodePort!;
        assert.strictEqual(outputs.serviceNodePort, nodePort);
        assert.strictEqual(outputs.serviceEndpoint, `http://${node}:${nodePort}`);
        // The admin URLs follow the admin Service the cluster holds, whatever its type.
        const admin = services.find((s) => s.metadata!.name === "vtm-admin-services")!;
        const adminUrl = (portName: string, port: number) =>
            admin.spec!.type === "NodePort"
                ? `https://${node}:${admin.spec!.ports!.find((p) => p.name === portName)!.nodePort}`
                : `https://vtm-admin-services.${world.namespace}.svc.cluster.local:${port}`;
        assert.strictEqual(outputs.adminUrl, adminUrl("vtm-webui", 9090));
        assert.strictEqual(outputs.restApiUrl, adminUrl("vtm-restapi", 9070));
        assert.strictEqual(outputs.namespace, world.namespace);
        // Up means rolled out: the pod ready, and the Service's endpoints are that pod.
        const deployment = await world.ns.deployment("vtm");
        assert.strictEqual(deployment.status?.readyReplicas, 1);
        const slices = await world.cluster.discovery.listNamespacedEndpointSlice({ namespace: world.namespace, labelSelector: "kubernetes.io/service-name=vtm-services" });
        const targets = slices.items.flatMap((s) => (s.endpoints ?? []).filter((e) => e.conditions?.ready).map((e) => e.targetRef?.name));
        assert.deepStrictEqual(targets, (await world.vtmPods()).map((p) => p.metadata!.name));
    });

    it("shows no change in a second preview, nor in one after a refresh", async () => {
        assert.deepStrictEqual(changes((await stack.preview()).changeSummary), {});
        const refresh = await stack.refresh();
        assert.strictEqual(refresh.summary.result, "succeeded");
        assert.deepStrictEqual(changes(refresh.summary.resourceChanges ?? {}), {}, "the refresh found the cluster as the state has it");
        assert.deepStrictEqual(changes((await stack.preview()).changeSummary), {});
    });

    it("fails the up of a bad value before anything changes, naming the key", async () => {
        const before = await world.objects();
        await stack.set("replicas", "0");
        try {
            await assert.rejects(stack.up(), (err: Error) => {
                assert.match(err.message, /replicas: '?0'? is not a whole number of at least 1/);
                assert.match(err.message, /nothing was deployed or changed/);
                return true;
            });
        } finally {
            await stack.stack.removeConfig(`${stack.project}:replicas`);
        }
        const after = await world.objects();
        assert.deepStrictEqual([...after.entries()].map(([k, v]) => [k, v.resourceVersion]), [...before.entries()].map(([k, v]) => [k, v.resourceVersion]));
    });

    it("updates only ConfigMaps for a document or rule edit: the same pods, the Deployment's generation unchanged", async () => {
        const pods = await podIds(world);
        const generation = (await world.ns.deployment("vtm")).metadata!.generation;
        const before = await world.objects();
        // As a user edits their rule: the file under config/rules of the stack's checkout.
        const rule = path.join(stack.dir, "config", "rules", "Response-Headers.trafficscript");
        fs.writeFileSync(rule, `${fs.readFileSync(rule, "utf8")}\n# edited by the e2e suite\n`);
        const up = await stack.up();
        assert.strictEqual(up.summary.result, "succeeded");
        assert.deepStrictEqual(await podIds(world), pods);
        assert.strictEqual((await world.ns.deployment("vtm")).metadata!.generation, generation);
        const after = await world.objects();
        const changed = [...after.values()].filter((o) => before.get(`${o.kind}/${o.name}`)?.resourceVersion !== o.resourceVersion).map((o) => `${o.kind}/${o.name}`);
        assert.ok(changed.length > 0 && changed.every((k) => k.startsWith("ConfigMap/")), `changed: ${changed.join(", ")}`);
    });

    for (const [what, key, value] of [
        ["a password rotation", "adminPasswordRotation", "e2e-1"],
        ["an image change", "image", "pulsesecure/vtm:19.2"],
    ] as const) {
        it(`rolls every pod for ${what}, and leaves one admin Secret`, async () => {
            const pods = await podIds(world);
            await stack.set(key, value);
            assert.strictEqual((await stack.up()).summary.result, "succeeded");
            const now = await podIds(world);
            assert.strictEqual(now.length, pods.length);
            assert.deepStrictEqual(now.filter((uid) => pods.includes(uid)), [], "no pod of before is left");
            const secrets = [...(await world.objects()).keys()].filter((k) => k.startsWith("Secret/vtm-admin-login-credentials"));
            assert.strictEqual(secrets.length, 1, secrets.join(", "));
            const template = (await world.ns.deployment("vtm")).spec!.template.spec!;
            const secretRef = template.containers[0].env!.find((e) => e.name === "ZEUS_PASS")!.valueFrom!.secretKeyRef!.name;
            assert.strictEqual(`Secret/${secretRef}`, secrets[0]);
        });
    }

    it("leaves nothing in the namespace after destroy", async () => {
        assert.strictEqual((await stack.destroy()).summary.result, "succeeded");
        assert.deepStrictEqual(await world.ns.leftovers(), []);
    });
});
