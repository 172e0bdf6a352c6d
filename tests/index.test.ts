// The entry point `pulumi up` runs: it reads the stack configuration and exports the outputs users
// read with `pulumi stack output`. Loaded once, as the Pulumi language host loads it.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as pulumi from "@pulumi/pulumi";
import { Recorder, runMocked } from "../scripts/mockRuntime";
import { PROJECT_DIR, stackConfig } from "../scripts/render";

async function value(output: pulumi.Output<unknown>): Promise<unknown> {
    return new Promise((resolve) => output.apply((v) => (resolve(v), v)));
}

describe("index.ts", () => {
    let program: typeof import("../index");
    const recorder = new Recorder({ simulateCluster: true });

    before(async () => {
        const { project, config, secretKeys } = stackConfig({ stack: "dev", set: { nodeAddress: "192.0.2.50", exposure: "NodePort" } });
        // As the language host runs it: the module's top level is the program.
        program = await runMocked(recorder, { project, stack: "dev", config, secretKeys }, () => require("../index"));
    });

    it("exports the documented stack outputs", async () => {
        assert.deepStrictEqual(Object.keys(program).filter((k) => k !== "__esModule").sort(), [
            "adminPassword",
            "adminUrl",
            "namespace",
            "restApiUrl",
            "serviceEndpoint",
            "serviceEndpoints",
            "serviceNodePort",
        ]);
        assert.match(String(await value(program.serviceEndpoint!)), /^http:\/\/192\.0\.2\.50:3\d{4}$/);
        assert.deepStrictEqual(Object.keys((await value(program.serviceEndpoints)) as object), ["example-service"]);
        assert.match(String(await value(program.adminUrl)), /^https:\/\/192\.0\.2\.50:3\d{4}$/);
        assert.strictEqual(program.namespace, "default");
        assert.strictEqual(await pulumi.isSecret(program.adminPassword), true);
    });

    it("deploys the stack the configuration describes", () => {
        const kinds = recorder.kubernetesObjects().map((o) => `${o.kind}/${o.metadata.name}`);
        assert.ok(kinds.includes("Deployment/vtm") && kinds.includes("Service/vtm-services"), kinds.join(", "));
    });

    it("loads under the options the Pulumi language host gives ts-node (tsconfig.pulumi.json, transpile only)", function () {
        this.timeout(30_000);
        // As sdk/nodejs/cmd/run does when Pulumi.yaml names tsconfig.pulumi.json, whose noCheck means transpileOnly.
        const script =
            "require('ts-node').register({ transpileOnly: true, project: 'tsconfig.pulumi.json', compilerOptions: {} });" +
            "try { require('./index.ts'); } catch (e) { console.log(e.message); process.exit(3); }";
        const run = spawnSync("node", ["-e", script], {
            cwd: PROJECT_DIR,
            encoding: "utf8",
            env: { ...process.env, PULUMI_NODEJS_PROJECT: "vtm-kubernetes", PULUMI_CONFIG: JSON.stringify({ "vtm-kubernetes:config:exposure": "Bogus" }) },
        });
        // It compiled, ran, and stopped at the configuration check before any resource.
        assert.strictEqual(run.status, 3, run.stderr);
        assert.match(run.stdout, /exposure: 'Bogus' is not one of NodePort, LoadBalancer, HostNetwork/);
        assert.match(run.stdout, /eula: '' does not accept the vTM licence/);
    });
});
