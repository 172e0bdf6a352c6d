// The component package under the real engine: in a copy of the repository, each example program
// (examples/yaml, examples/python) runs `pulumi install` then `pulumi up`, as its README says, and the
// cluster holds what the TypeScript program makes for the same settings, with the same outputs; bad
// arguments fail before anything is created; and a stack the TypeScript program deployed before the
// package (components typed vtm:<module>:<Class>) upgrades without a replacement or a new pod.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { EngineStack, PROJECT_DIR, World, changes, stateObjects, withWorld } from "./harness";
import { EngineStack as Stack } from "../../tools/engine";

/** The last commit of main before the package: the TypeScript program as its users deployed it. */
const BEFORE_PACKAGE = "0525352";

/** What a user relies on of every object in the namespace, by `<Kind>/<name>`: its spec, not what the cluster adds. */
async function shapes(world: World): Promise<Record<string, unknown>> {
    const ns = { namespace: world.namespace };
    const c = world.cluster;
    const out: Record<string, unknown> = {};
    for (const d of (await c.apps.listNamespacedDeployment(ns)).items) {
        const { annotations, ...meta } = d.spec!.template.metadata!;
        // The pods' annotations carry the admin password's hash, which differs from one deployment to the next.
        out[`Deployment/${d.metadata!.name}`] = { labels: d.metadata!.labels, replicas: d.spec!.replicas, meta, spec: d.spec!.template.spec, annotations: Object.keys(annotations ?? {}).sort() };
    }
    for (const s of (await c.core.listNamespacedService(ns)).items) {
        const ports = (s.spec!.ports ?? []).map(({ nodePort: _allocated, ...p }) => p);
        out[`Service/${s.metadata!.name}`] = { type: s.spec!.type, selector: s.spec!.selector, ports, clusterIP: s.spec!.clusterIP === "None" ? "None" : "allocated" };
    }
    for (const m of (await c.core.listNamespacedConfigMap(ns)).items.filter((x) => x.metadata!.name !== "kube-root-ca.crt")) {
        out[`ConfigMap/${m.metadata!.name}`] = m.data;
    }
    for (const s of (await c.core.listNamespacedSecret(ns)).items) out[`Secret/${s.metadata!.name}`] = { type: s.type, keys: Object.keys(s.data ?? {}).sort() };
    for (const a of (await c.core.listNamespacedServiceAccount(ns)).items.filter((x) => x.metadata!.name !== "default")) out[`ServiceAccount/${a.metadata!.name}`] = a.automountServiceAccountToken;
    for (const p of (await c.networking.listNamespacedNetworkPolicy(ns)).items) out[`NetworkPolicy/${p.metadata!.name}`] = p.spec;
    for (const b of (await c.policy.listNamespacedPodDisruptionBudget(ns)).items) out[`PodDisruptionBudget/${b.metadata!.name}`] = b.spec;
    // The admin Secret's name ends in a suffix Pulumi generates at each creation.
    const { name } = await adminSecret(world);
    return JSON.parse(JSON.stringify(out).split(name).join("<admin-secret>"));
}

/** The Secret and key the traffic manager reads ZEUS_PASS from. */
async function adminSecret(world: World): Promise<{ name: string; key: string }> {
    const container = (await world.ns.deployment("vtm")).spec!.template.spec!.containers[0];
    const ref = container.env!.find((e) => e.name === "ZEUS_PASS")!.valueFrom!.secretKeyRef!;
    return { name: ref.name!, key: ref.key };
}

/** The outputs that do not depend on what the cluster allocated at random (nodePorts), and the admin password's match with the cluster's Secret. */
async function outputsOf(world: World, stack: EngineStack): Promise<Record<string, unknown>> {
    const o = await stack.outputs();
    const data = (await world.ns.services()).find((s) => s.metadata!.name === "vtm-services")!;
    const ports = Object.fromEntries((data.spec!.ports ?? []).map((p) => [p.name, p.nodePort]));
    const ref = await adminSecret(world);
    const secret = await world.cluster.core.readNamespacedSecret({ namespace: world.namespace, name: ref.name });
    return {
        // serviceNodePort (NodePort mode only) is the component's output too; the examples leave it out.
        keys: Object.keys(o).filter((k) => k !== "serviceNodePort").sort(),
        namespace: o.namespace,
        // Each endpoint with the cluster's own nodePort in place of the number.
        serviceEndpoints: JSON.stringify(o.serviceEndpoints).replace(/:(\d+)"/g, (m, port) => (Object.values(ports).includes(Number(port)) ? ':<allocated>"' : m)),
        adminUrl: o.adminUrl,
        restApiUrl: o.restApiUrl,
        adminPasswordIsTheSecrets: Buffer.from(secret.data?.[ref.key] ?? "", "base64").toString() === o.adminPassword,
    };
}

function python(): string | undefined {
    return spawnSync("python3", ["-m", "venv", "--help"], { encoding: "utf8" }).status === 0 ? undefined : "no python3 with venv here";
}

describe("e2e: the component package, used from Pulumi YAML and Python", function () {
    let world: World;
    let copy: string;
    withWorld({
        balancer: true,
        setup: async (w) => {
            world = w;
            // A copy of the repository, as a user's clone; the examples add it by relative path (../..).
            copy = w.engine.workDir(PROJECT_DIR);
        },
    });

    /** The TypeScript program's dev stack with `config`: what the cluster holds and the outputs, then destroyed. */
    async function typescriptProgram(config: Record<string, unknown>) {
        const ts = await world.devStack(config);
        try {
            assert.strictEqual((await ts.up()).summary.result, "succeeded");
            return { shapes: await shapes(world), outputs: await outputsOf(world, ts) };
        } finally {
            await ts.destroy();
        }
    }

    for (const [language, exposure, skip] of [["yaml", "NodePort", () => undefined], ["python", "LoadBalancer", python]] as const) {
        describe(`examples/${language}`, () => {
            let example: EngineStack;
            const dir = () => path.join(copy, "examples", language);

            it(`pulumi install, then pulumi up with exposure ${exposure}: the objects and outputs of the TypeScript program for the same settings`, async function () {
                const reason = skip();
                if (reason) {
                    console.log(`      skipped: ${reason}`);
                    return this.skip();
                }
                const expected = await typescriptProgram({ exposure });
                assert.deepStrictEqual(await world.objects().then((o) => [...o.keys()]), [], "the TypeScript program's stack is gone");

                const install = await world.engine.cli(["install"], { cwd: dir() });
                assert.strictEqual(install.code, 0, install.stderr);
                assert.ok(fs.existsSync(path.join(dir(), "sdks", "vtm")), "pulumi install generated the package's SDK");
                example = await world.stack({ inPlace: dir(), config: { exposure } });
                const up = await example.up().catch(async (err) => {
                    await example.destroy();
                    throw err;
                });
                assert.strictEqual(up.summary.result, "succeeded");
                assert.deepStrictEqual(await shapes(world), expected.shapes);
                assert.deepStrictEqual(await outputsOf(world, example), expected.outputs);
                // The vTM objects are the component's children, under its type.
                const state = await example.stack.exportStack();
                const types = new Set((state.deployment.resources as { type: string }[]).map((r) => r.type));
                assert.ok(types.has("vtm:index:VtmStack") && types.has("vtm:index:VtmFoundation"), [...types].join(", "));
                assert.deepStrictEqual(changes((await example.preview()).changeSummary), {});
            });

            it("destroys every object it made", async function () {
                if (example === undefined) return this.skip();
                assert.strictEqual((await example.destroy()).summary.result, "succeeded");
                assert.deepStrictEqual([...(await world.objects()).keys()], []);
            });

            it("fails on a bad argument before anything is created, naming the argument", async function () {
                if (example === undefined) return this.skip();
                await example.set("exposure", "Bogus");
                await assert.rejects(example.up(), (err: Error) => {
                    assert.match(err.message, /exposure/);
                    assert.match(err.message, /Bogus/);
                    return true;
                });
                assert.deepStrictEqual([...(await world.objects()).keys()], []);
                assert.deepStrictEqual([...(await stateObjects(example)).keys()], []);
                await example.set("exposure", exposure);
            });
        });
    }
});

describe("e2e: a stack deployed before the package upgrades in place", function () {
    let world: World;
    withWorld({ setup: async (w) => void (world = w) });

    it("moves every component to its vtm:index type: the preview changes nothing, and no object or pod is new", async function () {
        const old = world.engine.workDir(PROJECT_DIR);
        for (const entry of fs.readdirSync(old).filter((e) => e !== "node_modules")) fs.rmSync(path.join(old, entry), { recursive: true });
        const archive = spawnSync("sh", ["-c", `git -C "${PROJECT_DIR}" archive ${BEFORE_PACKAGE} | tar -x -C "${old}"`], { encoding: "utf8" });
        if (archive.status !== 0) {
            console.log(`      skipped: no commit ${BEFORE_PACKAGE} in this clone's history (${archive.stderr.trim()})`);
            return this.skip();
        }
        const before = await world.stack({ programDir: old, from: "Pulumi.dev.yaml" });
        assert.strictEqual((await before.up()).summary.result, "succeeded");
        const types = async (s: Stack) => ((await s.stack.exportStack()).deployment.resources as { type: string }[]).map((r) => r.type).filter((t) => t.startsWith("vtm:"));
        assert.ok((await types(before)).includes("vtm:foundation:VtmFoundation"));
        const objects = await world.objects();
        const pods = (await world.vtmPods()).map((p) => p.metadata!.uid).sort();

        // The same stack (its state and stack file), now run from this checkout.
        const now = world.engine.workDir(PROJECT_DIR);
        fs.copyFileSync(path.join(before.dir, `Pulumi.${before.name}.yaml`), path.join(now, `Pulumi.${before.name}.yaml`));
        const stack = await LocalWorkspace.selectStack({ stackName: before.name, workDir: now }, { envVars: { ...world.engine.env } });
        const after = new Stack(world.engine, stack, now, before.project);
        const preview = await after.preview();
        assert.deepStrictEqual(changes(preview.changeSummary), {}, preview.stdout);
        assert.strictEqual((await after.up()).summary.result, "succeeded");
        const moved = await types(after);
        assert.deepStrictEqual(moved.filter((t) => !t.startsWith("vtm:index:")), [], moved.join(", "));
        assert.deepStrictEqual((await world.vtmPods()).map((p) => p.metadata!.uid).sort(), pods);
        const uids = (m: Map<string, { uid: string }>) => [...m.entries()].map(([k, v]) => [k, v.uid]);
        assert.deepStrictEqual(uids(await world.objects()), uids(objects));
    });
});
