// `npm run verify` as a user runs it: the command line (in a child process for a healthy stack, in this
// process for the rest, to spare a node start each), with the real
// @kubernetes/client-node code (kube.ts) talking to a fake Kubernetes API server on 127.0.0.1 through
// KUBECONFIG, a real WebSocket port-forward to the REST API stand-in, and real probes. The exit code,
// the table and --json agree.
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as path from "path";
import { PROJECT_DIR } from "../scripts/render";
import { kubeCluster } from "../scripts/verify/kube";
import { parseArgs, verifyCli } from "../scripts/verify";
import { renderDev } from "./helpers";
import { FakeApiServer, FakeCluster, PortForwardMode, VtmStandIn, closedPort, projectedFiles } from "./verifyStandIns";

const POD = "vtm-6f7d9c5b8-x2p4q";
const LOG = "Creating /usr/local/zeus/zxtm/conf_A/pools/example-pool\nSet 'conf_A' as the active configuration";

interface Run {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
    readonly seconds: number;
}

/** Runs the command line as `npm run verify` does, with only node on PATH (no Pulumi CLI). */
function runCli(args: string[], kubeconfig: string): Promise<Run> {
    const started = Date.now();
    return new Promise((resolve) => {
        execFile(
            process.execPath,
            ["-r", "sucrase/register/ts", "scripts/verify.ts", ...args],
            { cwd: PROJECT_DIR, env: { PATH: path.dirname(process.execPath), HOME: process.env.HOME, KUBECONFIG: kubeconfig }, timeout: 90_000 },
            (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr, seconds: (Date.now() - started) / 1000 }),
        );
    });
}

/**
 * The same command line run in this process (its own code, without a new node): with KUBECONFIG and
 * PATH (node only, no Pulumi CLI) as runCli gives them, for the duration.
 */
async function inProcess(args: string[], kubeconfig: string): Promise<Run> {
    const started = Date.now();
    const saved = { KUBECONFIG: process.env.KUBECONFIG, PATH: process.env.PATH };
    Object.assign(process.env, { KUBECONFIG: kubeconfig, PATH: path.dirname(process.execPath) });
    let stdout = "";
    let stderr = "";
    try {
        const code = await verifyCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
        return { code, stdout, stderr, seconds: (Date.now() - started) / 1000 };
    } finally {
        for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
    while (stops.length > 0) await stops.pop()!();
});

/** The dev stack in a fake API server, the REST stand-in behind its port-forward, a web server at the nodePort. */
async function deployed(portForward: PortForwardMode = "tunnel") {
    const { objects } = await renderDev();
    const password = objects.find((o) => o.kind === "Secret" && o.stringData?.["vtm-admin-password"])!.stringData["vtm-admin-password"];
    const standIn = await new VtmStandIn(password).start();
    stops.push(() => standIn.stop());
    const files = projectedFiles(objects);
    standIn.importDocuments(files.documents, files.data);
    const web = http.createServer((_q, r) => r.end("ok"));
    await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", () => resolve()));
    stops.push(() => new Promise((resolve) => web.close(() => resolve())));
    const cluster = new FakeCluster({
        objects,
        pods: [{ name: POD, log: LOG }],
        forwardTo: () => standIn.port,
        nodePorts: { "vtm-services/example-service": (web.address() as net.AddressInfo).port },
    });
    const api = await new FakeApiServer(cluster, portForward).start();
    stops.push(() => api.stop());
    return { standIn, api, kubeconfig: api.kubeconfig(), password };
}

describe("verify command line", () => {
    it("passes a healthy stack with exit code 0, and --json says the same", async () => {
        const { kubeconfig, password, standIn } = await deployed();
        const text = await runCli(["--stack", "dev"], kubeconfig);
        assert.strictEqual(text.code, 0, text.stdout + text.stderr);
        assert.match(text.stdout, /^Stack dev: vtm in namespace default \(NodePort\), cluster https:\/\/127\.0\.0\.1:\d+ \(context fake\)$/m);
        assert.match(text.stdout, /^Service endpoints from the cluster's Services and nodes \(the Pulumi CLI is not installed\)$/m);
        assert.match(text.stdout, /^configuration  pod vtm-6f7d9c5b8-x2p4q\s+ok\s+vTM 19\.1 answers, serves API 6\.2; all 6 objects/m);
        assert.match(text.stdout, /The stack works: 3 checks passed, 0 failed, 0 skipped\.\n$/);
        // The REST calls came through the WebSocket port-forward, with the Secret's password.
        assert.ok(standIn.requests.includes("/api/tm/6.2/config/active/virtual_servers/example-service"));

        const json = await runCli(["--stack", "dev", "--json"], kubeconfig);
        assert.strictEqual(json.code, 0);
        const result = JSON.parse(json.stdout);
        assert.strictEqual(result.ok, true);
        assert.strictEqual(result.exitCode, json.code);
        assert.deepStrictEqual(result.checks.map((c: { check: string; status: string }) => `${c.check}:${c.status}`), ["rollout:pass", "configuration:pass", "services:pass"]);
        assert.ok(!text.stdout.includes(password) && !json.stdout.includes(password) && !json.stderr.includes(password));
    });

    it("exits 1 on a fault, and the JSON names the same failure as the table's line", async () => {
        const { kubeconfig, standIn } = await deployed();
        standIn.set("virtual_servers", "example-service", "basic", "port", 8080);
        const text = await inProcess(["--stack", "dev"], kubeconfig);
        const json = await inProcess(["--stack", "dev", "--json"], kubeconfig);
        assert.strictEqual(text.code, 1);
        assert.strictEqual(json.code, 1);
        const result = JSON.parse(json.stdout);
        assert.strictEqual(result.ok, false);
        assert.strictEqual(result.exitCode, 1);
        const failures = result.checks.filter((c: { status: string }) => c.status === "fail");
        assert.strictEqual(failures.length, 1);
        assert.match(failures[0].summary, /^virtual_servers 'example-service': basic\.port is 8080 in the running configuration/);
        const line = text.stdout.split("\n").find((l) => l.includes("FAIL"));
        assert.ok(line?.endsWith(failures[0].summary), `the table's line: ${line}`);
        assert.match(text.stdout, /The stack does not work yet: 2 checks passed, 1 failed, 0 skipped\.\n$/);
    });

    it("says no traffic manager answers when the API server refuses the port-forward, as a fake-node cluster does", async () => {
        const { kubeconfig } = await deployed("refuse");
        const run = await inProcess(["--stack", "dev", "--json"], kubeconfig);
        assert.strictEqual(run.code, 1);
        const config = JSON.parse(run.stdout).checks.find((c: { check: string }) => c.check === "configuration");
        assert.strictEqual(config.status, "fail");
        assert.match(config.summary, /^no traffic manager answers on the pod's REST port 9070 \(port-forward: Unexpected server response: 400\); look: kubectl -n default logs vtm-6f7d9c5b8-x2p4q -c vtm/);
        assert.ok(run.seconds < 60, `ended by itself in ${run.seconds} s`);
    });

    it("reports an API server that does not answer as a failed rollout check, within a bounded time", async () => {
        const port = await closedPort();
        const { kubeconfig } = await deployed();
        const dead = `${kubeconfig}-dead`;
        fs.writeFileSync(dead, fs.readFileSync(kubeconfig, "utf8").replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${port}`));
        const run = await inProcess(["--stack", "dev"], dead);
        assert.strictEqual(run.code, 1);
        assert.match(run.stdout, /^rollout\s+deployment default\/vtm\s+FAIL\s+the Kubernetes API server could not be reached: .*ECONNREFUSED.*; look: kubectl cluster-info/m);
    });

    it("exits 2 with the usage on a bad argument", async () => {
        const run = await inProcess(["--wait", "soon"], "/nonexistent");
        assert.strictEqual(run.code, 2);
        assert.match(run.stderr, /^verify could not run: --wait takes whole seconds \(0 or more\), not 'soon'\nusage: npm run verify -- \[--stack NAME\] \[--wait SECONDS\] \[--json\]/);
        assert.throws(() => parseArgs(["--bogus"]), /unknown argument '--bogus'/);
        assert.deepStrictEqual(parseArgs(["--stack", "prod", "--wait", "60", "--json"]), { options: { stack: "prod", waitSeconds: 60 }, json: true });
    });

    it("prints the usage and exits 0 with --help", async () => {
        const run = await inProcess(["--help"], "/nonexistent");
        assert.strictEqual(run.code, 0, run.stderr);
        assert.match(run.stdout, /^usage: npm run verify -- \[--stack NAME\] \[--wait SECONDS\] \[--json\]/);
    });
});

describe("verify's Kubernetes client (kube.ts) against an API server", () => {
    it("reads what verify needs, and gives an absent object as undefined", async () => {
        const { api, kubeconfig } = await deployed();
        const cluster = await kubeCluster({ kubeconfig });
        assert.match(cluster.description, new RegExp(`^https://127\\.0\\.0\\.1:${api.port} \\(context fake\\)$`));
        assert.strictEqual((await cluster.deployment("default", "vtm"))?.spec?.replicas, 1);
        assert.strictEqual(await cluster.deployment("default", "nope"), undefined);
        assert.deepStrictEqual((await cluster.pods("default", "app=vtm")).map((p) => p.metadata?.name), [POD]);
        assert.ok((await cluster.configMap("default", "vtm-config"))?.data?.["30-service-example-service.yaml"]);
        assert.strictEqual(await cluster.podLog("default", POD, "vtm", 100), LOG);
        assert.deepStrictEqual((await cluster.services("default", "app=vtm")).map((s) => s.metadata?.name).sort(), ["vtm-admin-services", "vtm-services"]);
    });

    it("times out a call the API server never answers", async () => {
        const sockets: net.Socket[] = [];
        const silent = net.createServer((s) => void sockets.push(s)); // accepts, never answers
        await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", () => resolve()));
        stops.push(() => new Promise((resolve) => {
            sockets.forEach((s) => s.destroy());
            silent.close(() => resolve());
        }));
        const kubeconfig = `apiVersion: v1\nkind: Config\nclusters: [{name: s, cluster: {server: "http://127.0.0.1:${(silent.address() as net.AddressInfo).port}", insecure-skip-tls-verify: true}}]\nusers: [{name: s, user: {}}]\ncontexts: [{name: s, context: {cluster: s, user: s}}]\ncurrent-context: s\n`;
        const cluster = await kubeCluster({ kubeconfig }, 500);
        const started = Date.now();
        await assert.rejects(cluster.deployment("default", "vtm"), /^Error: no answer from the Kubernetes API server in 0\.5 s$/);
        assert.ok(Date.now() - started < 5000);
    });
});
