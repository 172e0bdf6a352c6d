// Each of the six exposure switches in one `pulumi up` of the real engine: the chain
// NodePort → LoadBalancer → HostNetwork → NodePort → HostNetwork → LoadBalancer → NodePort takes every
// directed switch once, with as many replicas as the cluster has nodes and with fewer. After each `up`
// the cluster holds the new mode (pods, Services, the endpoint output), and while it ran the ready
// pods never fell below what the Deployment's rollout allows.
import * as assert from "assert";
import { EngineStack, World, fewestReady, withWorld } from "./harness";
import { imageAdvisories } from "../../settings/advisories";
import { DEFAULTS } from "../../settings/defaults";

type Mode = "NodePort" | "LoadBalancer" | "HostNetwork";
const CHAIN: Mode[] = ["NodePort", "LoadBalancer", "HostNetwork", "NodePort", "HostNetwork", "LoadBalancer", "NodePort"];

/** What the cluster must hold in a mode, and the serviceEndpoint output it implies. */
async function assertMode(world: World, mode: Mode, replicas: number, outputs: Record<string, unknown>): Promise<void> {
    const pods = await world.vtmPods();
    assert.strictEqual(pods.length, replicas, `${replicas} pods`);
    for (const p of pods) {
        assert.strictEqual(p.spec?.hostNetwork ?? false, mode === "HostNetwork", `${p.metadata!.name} hostNetwork`);
        assert.ok(p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"), `${p.metadata!.name} ready`);
    }
    const services = await world.ns.services();
    const data = services.find((s) => s.metadata!.name === "vtm-services");
    const admin = services.find((s) => s.metadata!.name === "vtm-admin-services");
    const node = (await world.cluster.nodes())[0].status!.addresses![0].address;
    switch (mode) {
        case "HostNetwork":
            assert.strictEqual(data, undefined, "no vtm-services on the host network");
            assert.strictEqual(admin, undefined, "no admin Service on the host network");
            assert.strictEqual(outputs.serviceEndpoint, `http://${node}:80`);
            break;
        case "NodePort":
            assert.strictEqual(data?.spec?.type, "NodePort");
            assert.ok(admin, "the admin Service");
            assert.strictEqual(outputs.serviceEndpoint, `http://${node}:${data!.spec!.ports![0].nodePort}`);
            break;
        case "LoadBalancer": {
            assert.strictEqual(data?.spec?.type, "LoadBalancer");
            assert.ok(admin, "the admin Service");
            const ip = data!.status?.loadBalancer?.ingress?.[0]?.ip;
            assert.ok(ip, "the balancer's address is in the cluster");
            assert.strictEqual(outputs.serviceEndpoint, `http://${ip}:80`);
            break;
        }
    }
}

for (const fewer of [false, true]) {
    describe(`e2e: the six exposure switches, each in one up, with ${fewer ? "fewer replicas than nodes" : "as many replicas as nodes"}`, function () {
        let world: World;
        let stack: EngineStack;
        let replicas = 0;

        withWorld({
            balancer: true,
            setup: async (w) => {
                world = w;
                const nodes = (await world.cluster.nodes()).filter((n) => !n.spec?.unschedulable).length;
                replicas = fewer ? nodes - 1 : nodes;
                if (replicas < 1) throw new Error(`the cluster has ${nodes} schedulable nodes; this needs at least 2`);
                // The default image has a known admin bypass: host networking puts its admin ports on the nodes,
                // which the stack refuses unless the user accepts the advisories by name, as here.
                const accept = imageAdvisories(DEFAULTS.image).advisories.map((a) => a.id);
                stack = await world.devStack({ replicas, exposure: CHAIN[0], security: { acceptAdminExposure: accept } });
                assert.strictEqual((await stack.up()).summary.result, "succeeded");
                await assertMode(world, CHAIN[0], replicas, await stack.outputs());
            },
        });

        for (let i = 1; i < CHAIN.length; i++) {
            const [from, to] = [CHAIN[i - 1], CHAIN[i]];
            it(`${from} → ${to}`, async () => {
                await stack.set("exposure", to);
                let result = "";
                const fewest = await fewestReady(world, async () => {
                    result = (await stack.up()).summary.result;
                });
                assert.strictEqual(result, "succeeded");
                // The up has seen the new pods ready; the controller removes the last old one a moment later.
                await world.ns.rolledOut("vtm");
                await assertMode(world, to, replicas, await stack.outputs());
                // What the rollout allowed: the strategy of the Deployment that was rolled out.
                const strategy = (await world.ns.deployment("vtm")).spec!.strategy!.rollingUpdate!;
                const allowed = replicas - Number(strategy.maxUnavailable ?? 0);
                assert.ok(fewest >= allowed, `${fewest} ready pods at the fewest; the rollout allows ${allowed} (maxUnavailable ${strategy.maxUnavailable})`);
            });
        }
    });
}
