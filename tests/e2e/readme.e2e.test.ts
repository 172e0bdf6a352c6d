// The README's own commands, as written, against the real engine: `npm run deploy`, `npm run pulumi --
// config set exposure LoadBalancer`, `npm run pulumi -- stack output …` and `npm run verify`, in a
// copy of the project with its own .pulumi-local state (the wrapper's generated passphrase, no other
// backend). The only addition is the namespace: `npm run pulumi -- config set namespace <ns>` first.
import * as assert from "assert";
import { PROJECT_DIR, World, withWorld, run } from "./harness";

describe("e2e: the README's commands, as written", function () {
    let world: World;
    let dir: string;
    /** `npm run <script> -- <args>` in the copy, with no backend or passphrase of the caller's. */
    const npm = (script: string, ...args: string[]) =>
        run("npm", ["run", "-s", script, ...(args.length ? ["--", ...args] : [])], {
            cwd: dir,
            env: { PULUMI_BACKEND_URL: undefined, PULUMI_CONFIG_PASSPHRASE: undefined, PULUMI_CONFIG_PASSPHRASE_FILE: undefined, PULUMI_STACK: undefined },
        });
    const must = async (script: string, ...args: string[]) => {
        const r = await npm(script, ...args);
        assert.strictEqual(r.code, 0, `npm run ${script} -- ${args.join(" ")}:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`);
        return r.stdout.trim();
    };

    withWorld({
        balancer: true,
        setup: async (w) => {
            world = w;
            dir = w.engine.workDir(PROJECT_DIR, ["Pulumi.dev.yaml"]);
            await must("pulumi", "config", "set", "namespace", w.namespace);
        },
        teardown: async () => {
            if (dir) await npm("pulumi", "destroy", "--yes");
        },
    });

    it("npm run deploy brings the dev stack up, and stack output shows what the cluster allocated", async () => {
        await must("deploy");
        assert.strictEqual((await world.ns.deployment("vtm")).status?.readyReplicas, 1);
        const node = (await world.cluster.nodes())[0].status!.addresses![0].address;
        const data = (await world.ns.services()).find((s) => s.metadata!.name === "vtm-services")!;
        assert.strictEqual(await must("pulumi", "stack", "output", "serviceEndpoint"), `http://${node}:${data.spec!.ports![0].nodePort}`);
        // The password output is the one the pods read.
        const deployment = await world.ns.deployment("vtm");
        const ref = deployment.spec!.template.spec!.containers[0].env!.find((e) => e.name === "ZEUS_PASS")!.valueFrom!.secretKeyRef!;
        const secret = await world.cluster.core.readNamespacedSecret({ name: ref.name!, namespace: world.namespace });
        assert.strictEqual(await must("pulumi", "stack", "output", "--show-secrets", "adminPassword"), Buffer.from(secret.data![ref.key], "base64").toString());
    });

    it("npm run pulumi -- config set exposure LoadBalancer, then npm run deploy, switches it", async () => {
        await must("pulumi", "config", "set", "exposure", "LoadBalancer");
        await must("deploy");
        const data = (await world.ns.services()).find((s) => s.metadata!.name === "vtm-services")!;
        assert.strictEqual(data.spec!.type, "LoadBalancer");
        assert.strictEqual(await must("pulumi", "stack", "output", "serviceEndpoint"), `http://${data.status!.loadBalancer!.ingress![0].ip}:80`);
    });

    it("npm run verify reads the stack's outputs and reports the rollout", async () => {
        // Nodes without a running image (as here) fail verify's REST and traffic checks; the rollout is Kubernetes'.
        const r = await npm("verify");
        assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
        assert.match(r.stdout, new RegExp(`Stack dev: vtm in namespace ${world.namespace} \\(LoadBalancer\\)`));
        assert.match(r.stdout, /Service endpoints from the stack's serviceEndpoints output \(npm run pulumi -- stack output, stack dev\)/);
        // The balancer's address on port 80 is probed (nothing answers on fake nodes), not refused as unreadable.
        assert.match(r.stdout, /^services +example-service http:\/\/127\.0\.0\.2:80 /m);
        assert.doesNotMatch(r.stdout, /cannot probe/);
        assert.match(r.stdout, new RegExp(`rollout +deployment ${world.namespace}/vtm +ok`));
    });
});
