// An update killed halfway (the terminal closed, a CI job's timeout: SIGKILL to the CLI and everything
// it started), followed by exactly what docs/operations.md ("An interrupted update") tells users to
// do, `npm run recover`, ends with the stack complete, owning every object it made once, and a clean
// preview; a later destroy leaves nothing behind.
import * as assert from "assert";
import { ChildProcess } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { EngineStack, World, changes, withWorld, stateObjects, until, run } from "./harness";

const owned = (key: string) => !/^(ReplicaSet|Pod)\//.test(key);

/**
 * Runs `pulumi up --yes` as `npm run deploy` does and kills it, with every process it started, once
 * `when` holds. An update that ends first (the moment can be a few hundred milliseconds on a fast
 * cluster) is made again after `again` and killed then, up to three times.
 */
async function killedUp(stack: EngineStack, when: () => Promise<boolean>, again: () => Promise<unknown>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
        let child: ChildProcess | undefined;
        const up = stack.cli(["up", "--yes"], { started: (c) => (child = c) });
        let done = false;
        void up.then(() => (done = true));
        await until("the moment to kill the update", async () => done || (await when().catch(() => false)), 120_000, 25);
        if (done) {
            assert.ok(attempt < 3, "the update ended before it could be killed, three times");
            await again();
            continue;
        }
        process.kill(-child!.pid!, "SIGKILL");
        const result = await up;
        assert.strictEqual(result.signal, "SIGKILL");
        break;
    }
    // What the kill left: operations in flight, in the state.
    const pending = ((await stack.stack.exportStack()).deployment.pending_operations ?? []) as unknown[];
    assert.ok(pending.length > 0, "the state records the operations the kill cut off");
}

/** docs/operations.md, An interrupted update: `npm run recover` in the stack's project, on its backend. */
async function recover(stack: EngineStack): Promise<string> {
    const r = await run("npm", ["run", "-s", "recover", "--", "--stack", stack.name], { cwd: stack.dir, env: stack.engine.env });
    assert.strictEqual(r.code, 0, `npm run recover:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
    assert.match(r.stdout, new RegExp(`the ${stack.name} stack is complete`));
    return r.stdout;
}

/** The stack owns every object of the namespace once, and a preview changes nothing. */
async function assertComplete(world: World, stack: EngineStack): Promise<void> {
    const state = await stateObjects(stack);
    assert.deepStrictEqual([...state.entries()].filter(([, n]) => n !== 1), [], "each object once in the state");
    const cluster = [...(await world.objects()).keys()].filter(owned).sort();
    assert.deepStrictEqual(cluster, [...state.keys()].sort(), "the namespace holds exactly the stack's objects");
    assert.deepStrictEqual(changes((await stack.preview()).changeSummary), {});
}

interface StateResource {
    urn: string;
    type: string;
    id?: string;
    outputs?: Record<string, any>;
    inputs?: Record<string, any>;
    parent?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
}

/**
 * The state a kill leaves while `target`'s create is in flight: the object exists, its create is a
 * pending operation, and nothing that needs it has been made yet (removed here from the state and the
 * cluster). A kill lands in the few milliseconds of a Secret's create too rarely to wait for, so the
 * state is written as the engine writes it then: the checkpoint on the stack's file backend.
 */
async function cutOffWhileCreating(world: World, stack: EngineStack, target: (r: StateResource) => boolean): Promise<StateResource> {
    const exported = await stack.stack.exportStack();
    const resources = exported.deployment.resources as StateResource[];
    const cut = resources.find(target)!;
    // The cut-off resource and everything that needs it, however indirectly (the state lists each after what it needs).
    const gone = new Set([cut.urn]);
    for (const r of resources) {
        const needs = [...(r.dependencies ?? []), ...Object.values(r.propertyDependencies ?? {}).flat(), ...(r.parent ? [r.parent] : [])];
        if (needs.some((u) => gone.has(u))) gone.add(r.urn);
    }
    for (const r of resources.filter((x) => gone.has(x.urn) && x !== cut && x.type.startsWith("kubernetes:"))) {
        const { kind, metadata } = r.outputs!;
        assert.strictEqual((await world.kubectl(["-n", metadata.namespace, "delete", kind, metadata.name, "--wait=true"])).code, 0);
    }
    exported.deployment.resources = resources.filter((r) => !gone.has(r.urn));
    const { id: _id, outputs: _outputs, ...inFlight } = cut;
    exported.deployment.pending_operations = [{ resource: inFlight, type: "creating" }];
    writeCheckpoint(stack, exported.deployment);
    return cut;
}

/**
 * Writes a deployment into the stack's checkpoint on its file backend, as the engine writes it
 * (`pulumi stack import` would drop the pending operation: it clears them).
 */
function writeCheckpoint(stack: EngineStack, deployment: unknown): void {
    const file = path.join(new URL(stack.engine.env.PULUMI_BACKEND_URL).pathname, ".pulumi", "stacks", stack.project, `${stack.name}.json`);
    const checkpoint = JSON.parse(fs.readFileSync(file, "utf8"));
    checkpoint.checkpoint.latest = deployment;
    const text = JSON.stringify(checkpoint, null, 4);
    fs.writeFileSync(file, text);
    // The blob store's attributes hold the file's MD5.
    const attrs = `${file}.attrs`;
    if (fs.existsSync(attrs)) fs.writeFileSync(attrs, JSON.stringify({ ...JSON.parse(fs.readFileSync(attrs, "utf8")), md5: createHash("md5").update(text).digest("base64") }));
}

describe("e2e: an update killed halfway, then the documented recovery (npm run recover)", function () {
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
        await killedUp(stack, async () => (await world.ns.deployment("vtm")) !== undefined, () => stack.destroy());
        const said = await recover(stack);
        assert.match(said, /adopting Deployment vtm-e2e-[\w-]+\/vtm: its create was cut off after the cluster made it/);
        assert.strictEqual((await world.ns.deployment("vtm")).status?.readyReplicas, 2);
        await assertComplete(world, stack);
    });

    it("killed while it rolls out: recovered, every pod of the new template, a clean preview", async () => {
        let image = "pulsesecure/vtm:19.2";
        let generation = (await world.ns.deployment("vtm")).metadata!.generation!;
        await stack.set("image", image);
        const rolling = async () => ((await world.ns.deployment("vtm")).metadata!.generation ?? 0) > generation;
        const anotherImage = async () => {
            generation = (await world.ns.deployment("vtm")).metadata!.generation!;
            image = image === "pulsesecure/vtm:19.2" ? "pulsesecure/vtm:19.3" : "pulsesecure/vtm:19.2";
            await stack.set("image", image);
        };
        await killedUp(stack, rolling, anotherImage);
        await recover(stack);
        await world.ns.rolledOut("vtm");
        const pods = await world.vtmPods();
        assert.deepStrictEqual(pods.map((p) => p.spec!.containers[0].image), [image, image]);
        await assertComplete(world, stack);
    });

    it("cut off while it creates the admin Secret (a generated name): the Secret is adopted, not left behind under its name", async () => {
        const cut = await cutOffWhileCreating(world, stack, (r) => r.type === "kubernetes:core/v1:Secret" && /^vtm-admin-login-credentials-/.test(r.outputs?.metadata?.name));
        const name = cut.outputs!.metadata.name as string;
        assert.strictEqual(await world.ns.deployment("vtm").catch(() => undefined), undefined, "nothing that needs the Secret is left");
        const said = await recover(stack);
        assert.match(said, new RegExp(`adopting Secret ${world.namespace}/${name}: its create was cut off after the cluster made it`));
        const secrets = [...(await world.objects()).keys()].filter((k) => k.startsWith("Secret/vtm-admin-login-credentials-"));
        assert.deepStrictEqual(secrets, [`Secret/${name}`], "one admin Secret: the one the cut-off create made");
        const zeusPass = (await world.ns.deployment("vtm")).spec!.template.spec!.containers[0].env!.find((e) => e.name === "ZEUS_PASS")!;
        assert.strictEqual(zeusPass.valueFrom!.secretKeyRef!.name, name);
        await world.ns.rolledOut("vtm");
        await assertComplete(world, stack);
    });

    it("leaves nothing behind at a later destroy", async () => {
        assert.strictEqual((await stack.destroy()).summary.result, "succeeded");
        assert.deepStrictEqual(await world.ns.leftovers(), []);
    });
});
