// Coming from the upstream manifests, under the real engine: what `kubectl apply -f` of
// ../shared/reference/upstream-deploy/ created is adopted the way docs/operations.md says, and then one
// stack owns each object of the namespace, once, with nothing left over, and a preview is clean.
import * as assert from "assert";
import { EngineStack, World, changes, withWorld, stateObjects, upstreamManifests } from "./harness";

/** The kinds a stack owns (ReplicaSets and pods are the Deployments'). */
const owned = (key: string) => !/^(ReplicaSet|Pod)\//.test(key);

describe("e2e: adopting what the upstream manifests created", function () {
    let world: World;
    let stack: EngineStack;
    withWorld({
        skipIf: () => (upstreamManifests() ? undefined : "no upstream manifests beside the clone (../shared/reference/upstream-deploy; VTM_SHARED_DIR says where shared/ is)"),
        setup: async (w) => {
            world = w;
            const applied = await w.kubectl(["apply", "-n", w.namespace, "-f", upstreamManifests()!]);
            assert.strictEqual(applied.code, 0, applied.stderr);
            const rolled = await w.kubectl(["-n", w.namespace, "rollout", "status", "deployment/vtm", "--timeout=120s"]);
            assert.strictEqual(rolled.code, 0, rolled.stderr);
            stack = await w.devStack();
        },
    });

    it("ends, after the documented steps, with one stack owning each object once, nothing left over, and a clean preview", async () => {
        const before = [...(await world.objects()).keys()].filter(owned);
        assert.ok(before.includes("Deployment/vtm") && before.includes("Service/vtm-services"), before.join(", "));
        // docs/operations.md, Coming from the upstream manifests.
        const deleted = await world.kubectl(["-n", world.namespace, "delete", "deployment", "example-application-deployment", "--wait=true"]);
        assert.strictEqual(deleted.code, 0, deleted.stderr);
        await stack.set("kubernetes:upsertExistingObjects", "true");
        await stack.set("kubernetes:enablePatchForce", "true");
        assert.strictEqual((await stack.up()).summary.result, "succeeded");
        // Each object is applied by one Pulumi resource: one pulumi-kubernetes field manager each.
        for (const o of [...(await world.objects()).values()].filter((x) => owned(`${x.kind}/${x.name}`))) {
            assert.strictEqual(new Set(o.managers.filter((m) => m.startsWith("pulumi-kubernetes"))).size, 1, `${o.kind}/${o.name}: ${o.managers.join(", ")}`);
        }

        const state = await stateObjects(stack);
        assert.deepStrictEqual([...state.entries()].filter(([, n]) => n !== 1), [], "each object once in the state");
        const cluster = [...(await world.objects()).keys()].filter(owned).sort();
        assert.deepStrictEqual(cluster, [...state.keys()].sort(), "the namespace holds exactly the stack's objects");
        for (const key of before) assert.ok(state.has(key), `${key} (from the upstream manifests) is the stack's`);
        assert.strictEqual(cluster.filter((k) => k.startsWith("Secret/vtm-admin-login-credentials")).length, 1, "one admin Secret");
        // No pod of the upstream Deployment's template is left.
        const deployment = await world.ns.deployment("vtm");
        assert.strictEqual((await world.vtmPods()).length, deployment.spec!.replicas);
        assert.deepStrictEqual(changes((await stack.preview()).changeSummary), {});
    });

    it("leaves nothing in the namespace after destroy", async () => {
        assert.strictEqual((await stack.destroy()).summary.result, "succeeded");
        assert.deepStrictEqual(await world.ns.leftovers(), []);
    });
});
