// Every command the README shows, run as written (or, for the test command itself, found in CI):
// render commands for real, the deploy wrapper with a stand-in `pulumi`, verify against a stand-in API
// server. A command no test knows how to run fails the suite, so the README cannot grow one untried.
import * as assert from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { PROJECT_DIR } from "../scripts/render";
import { FakeApiServer, apiNode, startFakeApiServer } from "./fakeApiServer";
import { README_RENDER, readmeCommands } from "./docExamples";
import { callsIn, cleanEnv, fakePulumiDir } from "./fakePulumi";

/** Runs a command line without blocking this process, whose stand-in API server must keep answering. */
function shAsync(command: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        const child = spawn("bash", ["-c", command], { cwd: PROJECT_DIR, env });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
}

/** Runs a command line with bash in the project folder. */
function sh(command: string, env: NodeJS.ProcessEnv = process.env) {
    return spawnSync("bash", ["-c", command], { cwd: PROJECT_DIR, encoding: "utf8", env, timeout: 120_000 });
}

describe("README commands, run as written", function () {
    this.timeout(300_000);
    const commands = readmeCommands();
    let api: FakeApiServer;

    before(async () => {
        api = await startFakeApiServer({ nodes: [apiNode("worker", "198.51.100.9")], namespaces: ["default"], priorityClasses: [], secrets: {}, configMaps: {} });
    });
    after(() => api.close());

    it("shows the three commands a newcomer needs: test, render without a cluster, deploy", () => {
        for (const wanted of ["npm ci && npm test", README_RENDER, "npm run deploy"]) assert.ok(commands.includes(wanted), wanted);
    });

    it("the README's render writes into a folder git ignores, not into the repository", () => {
        const folder = /--out (\S+)/.exec(README_RENDER)?.[1] ?? /> (\S+)$/.exec(README_RENDER)?.[1];
        assert.ok(folder !== undefined, README_RENDER);
        const ignored = fs.readFileSync(path.join(PROJECT_DIR, ".gitignore"), "utf8").split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
        assert.ok(ignored.includes(`${folder.split("/")[0]}/`), `.gitignore ignores ${folder.split("/")[0]}/ (it has: ${ignored.join(", ")})`);
    });

    for (const command of readmeCommands()) {
        it(command, async () => {
            if (command === "npm ci && npm test") {
                // This suite is that command: CI runs it, exactly, on a clean clone.
                assert.ok(fs.readFileSync(path.join(PROJECT_DIR, ".ci", "run"), "utf8").split("\n").includes(command));
                return;
            }
            if (/^npm run (-s )?render/.test(command)) {
                // Into a folder of the test's own, in place of the README's (--out DIR or > FILE).
                const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-readme-"));
                const out = path.join(dir, "out");
                const run = sh(command.replace(/--out \S+/, `--out ${out}`).replace(/> (\S+)$/, `> ${out}`));
                assert.strictEqual(run.status, 0, run.stderr);
                const text = fs.statSync(out).isDirectory() ? fs.readdirSync(out).filter((f) => f.endsWith(".yaml")).sort().map((f) => fs.readFileSync(path.join(out, f), "utf8")).join("") : fs.readFileSync(out, "utf8");
                const objects = yaml.loadAll(text) as Record<string, any>[];
                assert.ok(objects.some((o) => o.kind === "Secret"), "the generated admin password's Secret is written: the render applies as it is");
                assert.ok(objects.some((o) => o.kind === "Deployment" && o.metadata.name === "vtm"), "the traffic manager's Deployment is rendered");
                assert.ok(objects.every((o) => typeof o.kind === "string"), "nothing but Kubernetes objects on standard output");
                return;
            }
            if (command.startsWith("npm run deploy") || command.startsWith("npm run pulumi --")) {
                const fake = fakePulumiDir();
                const run = sh(command, cleanEnv(fake.bin, path.join(fake.dir, "local")));
                assert.strictEqual(run.status, 0, run.stderr);
                const ran = callsIn(fake.log).map((c) => c.args.join(" "));
                const expected = command.startsWith("npm run deploy") ? "up --yes" : command.replace(/^npm run pulumi -- /, "").replace(/'/g, "");
                assert.ok(ran.includes(expected), `pulumi ${expected} was run (ran: ${ran.join("; ")})`);
                return;
            }
            if (command.startsWith("npm run verify")) {
                // Against an API server with no stack deployed: it runs, reports, and exits 1 (a check failed), not 2 (could not run).
                const run = await shAsync(command, { ...cleanEnv(undefined, os.tmpdir()), KUBECONFIG: api.kubeconfig });
                assert.strictEqual(run.status, 1, run.stderr);
                assert.match(run.stdout, /rollout/);
                return;
            }
            if (command.startsWith("npm run admin")) {
                // Against an API server with no stack deployed: it says it cannot start, with exit 2 (tests/adminCli.test.ts forwards a deployed one).
                const run = await shAsync(command, { ...cleanEnv(undefined, os.tmpdir()), KUBECONFIG: api.kubeconfig });
                assert.strictEqual(run.status, 2, run.stderr);
                assert.match(run.stderr, /^admin could not start: /m);
                return;
            }
            assert.fail(`no test knows how to run this README command: ${command}`);
        });
    }
});
