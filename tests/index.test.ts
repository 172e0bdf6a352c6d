// The entry point `pulumi up` runs, run the way the Pulumi language host runs it (the module's export
// is called inside runInPulumiStack, and the Stack resource turns its result into stack outputs), with
// the real Kubernetes client reading a stand-in API server.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Recorder, runMocked } from "../scripts/mockRuntime";
import { PROJECT_DIR, stackConfig } from "../scripts/render";
import { FakeApiServer, apiNode, startFakeApiServer } from "./fakeApiServer";

async function value(output: unknown): Promise<unknown> {
    return pulumi.Output.isInstance(output) ? new Promise((resolve) => (output as pulumi.Output<unknown>).apply((v) => (resolve(v), v))) : output;
}

/** Runs index.ts as the language host does; returns the stack outputs, the resources and the warnings printed. */
async function runIndex(set: Record<string, string>): Promise<{ outputs: Record<string, unknown>; recorder: Recorder; warnings: string[] }> {
    const recorder = new Recorder({ simulateCluster: true });
    const { project, config, secretKeys } = stackConfig({ stack: "dev", set });
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.join(" "));
    try {
        const outputs = await runMocked(recorder, { project, stack: "dev", config, secretKeys }, () =>
            pulumi.runtime.runInPulumiStack(async () => {
                const program = require("../index");
                return program instanceof Function ? program() : program;
            }),
        );
        return { outputs: (outputs ?? {}) as Record<string, unknown>, recorder, warnings };
    } finally {
        console.warn = warn;
    }
}

describe("index.ts", () => {
    let api: FakeApiServer;

    before(async () => {
        api = await startFakeApiServer({
            nodes: [apiNode("kind-worker", "172.18.0.3"), apiNode("kind-worker2", "172.18.0.4")],
            namespaces: ["default"],
            priorityClasses: [],
            secrets: {},
            configMaps: {},
        });
    });
    after(() => api.close());

    const outputsOf = (mode: string) =>
        runIndex({ exposure: mode, replicas: "2", "kubernetes:kubeconfig": api.kubeconfig, ...(mode === "HostNetwork" ? { "security.acceptAdminExposure": "CVE-2024-7593" } : {}) });

    it("gives the documented stack outputs in NodePort mode, with the node address read from the cluster", async () => {
        const { outputs, recorder, warnings } = await outputsOf("NodePort");
        assert.deepStrictEqual(Object.keys(outputs).sort(), ["adminPassword", "adminUrl", "namespace", "restApiUrl", "serviceEndpoint", "serviceEndpoints", "serviceNodePort"]);
        assert.match(String(await value(outputs.serviceEndpoint)), /^http:\/\/172\.18\.0\.3:3\d{4}$/);
        assert.strictEqual(String(await value(outputs.serviceEndpoint)), `http://172.18.0.3:${await value(outputs.serviceNodePort)}`);
        assert.deepStrictEqual(Object.keys((await value(outputs.serviceEndpoints)) as object), ["example-service"]);
        // The dev stack's admin Service is ClusterIP: reached inside the cluster (or with npm run admin).
        assert.strictEqual(String(await value(outputs.adminUrl)), "https://vtm-admin-services.default.svc.cluster.local:9090");
        assert.strictEqual(outputs.namespace, "default");
        // runInPulumiStack hands back plain values (the engine keeps secrets secret; secrets.test.ts checks the flag).
        const secret = recorder.kubernetesObjects().find((o) => o.kind === "Secret" && o.metadata.name.startsWith("vtm-admin-login-credentials-"));
        assert.strictEqual(await value(outputs.adminPassword), secret?.stringData["vtm-admin-password"]);
        assert.deepStrictEqual(warnings, []);
        const kinds = recorder.kubernetesObjects().map((o) => `${o.kind}/${o.metadata.name}`);
        assert.ok(kinds.includes("Deployment/vtm") && kinds.includes("Service/vtm-services"), kinds.join(", "));
        assert.ok(api.requests.includes("/api/v1/nodes") && api.requests.includes("/api/v1/namespaces/default"), api.requests.join(", "));
    });

    for (const mode of ["LoadBalancer", "HostNetwork"]) {
        it(`leaves serviceNodePort out in ${mode} mode instead of exporting it undefined, so the engine has nothing to warn about`, async () => {
            const { outputs, warnings } = await outputsOf(mode);
            assert.deepStrictEqual(Object.keys(outputs).sort(), ["adminPassword", "adminUrl", "namespace", "restApiUrl", "serviceEndpoint", "serviceEndpoints"]);
            // On the host network the only warning is the accepted admin exposure's, naming the CVE.
            assert.deepStrictEqual(warnings.map((w) => /CVE-2024-7593 \(CVSS 9\.8/.test(w)), mode === "HostNetwork" ? [true] : []);
        });
    }

    it("leaves serviceEndpoint out when there are no services", async () => {
        const { outputs, warnings } = await runIndex({ services: "{}", "kubernetes:kubeconfig": api.kubeconfig });
        assert.strictEqual("serviceEndpoint" in outputs, false);
        assert.deepStrictEqual(await value(outputs.serviceEndpoints), {});
        assert.deepStrictEqual(warnings, []);
    });

    it("stops before registering anything when the cluster lacks a prerequisite, naming it", async () => {
        await assert.rejects(runIndex({ namespace: "shop", priorityClassName: "vtm-critical", "kubernetes:kubeconfig": api.kubeconfig }), (err: Error) => {
            assert.match(err.message, /namespace: Namespace 'shop' does not exist/);
            assert.match(err.message, /priorityClassName: PriorityClass 'vtm-critical' does not exist/);
            return true;
        });
    });

    it("loads through boot.js as the language host runs it (node --require ./boot.js, then Pulumi.yaml's main)", function () {
        this.timeout(30_000);
        const script = "require('./index.ts')().catch((e) => { console.log(e.message); process.exit(3); });";
        const run = spawnSync("node", ["--require", "./boot.js", "-e", script], {
            cwd: PROJECT_DIR,
            encoding: "utf8",
            env: { ...process.env, PULUMI_NODEJS_PROJECT: "vtm-kubernetes", PULUMI_CONFIG: JSON.stringify({ "vtm-kubernetes:config:exposure": "Bogus" }) },
        });
        // It loaded, ran, and stopped at the configuration check before any resource.
        assert.strictEqual(run.status, 3, run.stderr);
        assert.match(run.stdout, /exposure: 'Bogus' is not one of NodePort, LoadBalancer, HostNetwork/);
        assert.match(run.stdout, /eula: '' does not accept the vTM licence/);
    });

    it("boot.js keeps each file's transpiled code by its contents: a second process runs the kept code, an edited file is transpiled anew", function () {
        this.timeout(30_000);
        const cache = path.join(PROJECT_DIR, "node_modules", ".cache", "vtm-kubernetes", "sucrase");
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vtm-boot-")), "value.ts");
        const value = () => spawnSync("node", ["--require", "./boot.js", "-e", `console.log(require(${JSON.stringify(file)}).value)`], { cwd: PROJECT_DIR, encoding: "utf8" });
        const entries = () => (fs.existsSync(cache) ? fs.readdirSync(cache) : []);
        fs.writeFileSync(file, "export const value: number = 1;\n");
        const before = new Set(entries());
        assert.strictEqual(value().stdout.trim(), "1");
        const kept = entries().filter((e) => !before.has(e));
        assert.strictEqual(kept.length, 1, "one cache entry for the one new file");
        // The kept code is what the next process runs (made to say 42 here, so that it shows).
        const entry = path.join(cache, kept[0]);
        fs.writeFileSync(entry, fs.readFileSync(entry, "utf8").replace("= 1;", "= 42;"));
        assert.strictEqual(value().stdout.trim(), "42");
        // An edit changes the key: the new contents are transpiled, never the old code served.
        fs.writeFileSync(file, "export const value: number = 2;\n");
        assert.strictEqual(value().stdout.trim(), "2");
        fs.rmSync(entry);
    });
});
