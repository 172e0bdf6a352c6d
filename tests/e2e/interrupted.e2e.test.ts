// An update killed halfway (the terminal closed, a CI job's timeout: SIGKILL to the CLI and everything
// it started), followed by exactly what docs/operations.md ("An interrupted update") tells users to
// do, ends with the stack complete, owning every object it made once, and a clean preview; a later
// destroy leaves nothing behind.
import * as assert from "assert";
import { ChildProcess } from "child_process";
import { EngineStack, World, changes, withWorld, stateObjects, until } from "./harness";

const owned = (key: string) => !/^(ReplicaSet|Pod)\//.test(key);

/** Runs `pulumi up --yes` as `npm run deploy` does and kills it, with every process it started, once `when` holds. */
async function killedUp(stack: EngineStack, when: () => Promise<boolean>): Promise<void> {
    let child: ChildProcess | undefined;
    const up = stack.cli(["up", "--yes"], { started: (c) => (child = c) });
    let done = false;
    void up.then(() => (done = true));
    await until("the moment to kill the update", async () => done || (await when().catch(() => false)), 120_000, 50);
    assert.ok(!done, "the update ended before it could be killed");
    process.kill(-child!.pid!, "SIGKILL");
    const result = await up;
    assert.strictEqual(result.signal, "SIGKILL");
    // What the kill left: operations in flight, in the state.
    const pending = ((await stack.stack.exportStack()).deployment.pending_operations ?? []) as unknown[];
    assert.ok(pending.length > 0, "the state records the operations the kill cut off");
}

/** docs/operations.md, An interrupted update: the commands, in order (`npm run pulumi -- …` runs `pulumi …`). */
async function recover(stack: EngineStack): Promise<void> {
    for (const args of [
        ["cancel", "--yes"],
        ["refresh", "--clear-pending-creates", "--yes"],
        ["config", "set", "kubernetes:upsertExistingObjects", "true"],
        ["up", "--yes"],
    ]) {
        const r = await stack.cli(args);
        assert.strictEqual(r.code, 0, `pulumi ${args.join(" ")}:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`);
    }
}

/** The stack owns every object of the namespace once, and a preview changes nothing. */
async function assertComplete(world: World, stack: EngineStack): Promise<void> {
    const state = await stateObjects(stack);
    assert.deepStrictEqual([...state.entries()].filter(([, n]) => n !== 1), [], "each object once in the state");
    const cluster = [...(await world.objects()).keys()].filter(owned).sort();
    assert.deepStrictEqual(cluster, [...state.keys()].sort(), "the namespace holds exactly the stack's objects");
    assert.deepStrictEqual(changes((await stack.preview()).changeSummary), {});
}

describe("e2e: an update killed halfway, then the documented recovery", function () {
    let world: World;
    let stack: EngineStack;
    withWorld({
        setup: async (w) => {
            world = w;
            stack = await w.devStack({ replicas: 2 });
        },
    });

    it("killed while it creates: recovered, complete, owning every object once, a clean preview", async () => {
        // The Deployment exists and is being waited for: its create is in flight.
        await killedUp(stack, async () => (await world.ns.deployment("vtm")) !== undefined);
        await recover(stack);
        assert.strictEqual((await world.ns.deployment("vtm")).status?.readyReplicas, 2);
        await assertComplete(world, stack);
    });

    it("killed while it rolls out: recovered, every pod of the new template, a clean preview", async () => {
        const generation = (await world.ns.deployment("vtm")).metadata!.generation!;
        await stack.set("image", "pulsesecure/vtm:19.2");
        await killedUp(stack, async () => ((await world.ns.deployment("vtm")).metadata!.generation ?? 0) > generation);
        await recover(stack);
        await world.ns.rolledOut("vtm");
        const pods = await world.vtmPods();
        assert.deepStrictEqual(pods.map((p) => p.spec!.containers[0].image), ["pulsesecure/vtm:19.2", "pulsesecure/vtm:19.2"]);
        await assertComplete(world, stack);
    });

    it("leaves nothing behind at a later destroy", async () => {
        assert.strictEqual((await stack.destroy()).summary.result, "succeeded");
        assert.deepStrictEqual(await world.ns.leftovers(), []);
    });
});
