// `npm run admin` as a user runs it: the command line in a child process, with the real
// @kubernetes/client-node port-forward (verify/kube.ts) through a fake API server's WebSocket tunnel
// (the loopback cluster's fake nodes cannot forward), to an HTTPS server standing in for the admin UI.
import * as assert from "assert";
import { ChildProcess, execFile, spawn } from "child_process";
import * as https from "https";
import * as path from "path";
import { PROJECT_DIR } from "../scripts/render";
import { USAGE, parseArgs } from "../scripts/admin";
import { renderDev } from "./helpers";
import { FakeApiServer, FakeCluster, selfSigned } from "./verifyStandIns";

const POD = "vtm-6f7d9c5b8-x2p4q";
// node and bash (the stack rule is scripts/stack.sh), and no Pulumi CLI: the dev stack.
const ENV = () => ({ PATH: `${path.dirname(process.execPath)}:/bin:/usr/bin`, HOME: process.env.HOME });
const CLI = ["-r", "sucrase/register/ts", "scripts/admin.ts"];

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
    while (stops.length > 0) await stops.pop()!();
});

/** The dev stack in a fake API server whose port-forwards lead to an HTTPS server answering "admin UI". */
async function deployed(pods = [{ name: POD, ready: true }]) {
    const { objects } = await renderDev();
    const ui = https.createServer(selfSigned(), (_q, r) => r.end("admin UI"));
    await new Promise<void>((resolve) => ui.listen(0, "127.0.0.1", () => resolve()));
    stops.push(() => new Promise((resolve) => ui.close(() => resolve())));
    const cluster = new FakeCluster({ objects, pods, forwardTo: () => (ui.address() as { port: number }).port });
    const api = await new FakeApiServer(cluster).start();
    stops.push(() => api.stop());
    const secret = objects.find((o) => o.kind === "Secret" && o.stringData?.["vtm-admin-password"])!;
    return { api, kubeconfig: api.kubeconfig(), secret: secret.metadata.name as string };
}

/** Starts the command and resolves with its output once it has printed the URLs (or exited). */
function start(args: string[], kubeconfig: string): Promise<{ child: ChildProcess; stdout: () => string; exited: Promise<number | null> }> {
    const child = spawn(process.execPath, [...CLI, ...args], { cwd: PROJECT_DIR, env: { ...ENV(), KUBECONFIG: kubeconfig } });
    let out = "";
    let err = "";
    child.stdout!.on("data", (c) => (out += c));
    child.stderr!.on("data", (c) => (err += c));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    stops.push(async () => void (child.exitCode === null && child.kill("SIGKILL")));
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed in 60 s; stdout: ${out}; stderr: ${err}`)), 60_000);
        const done = () => (clearTimeout(timer), resolve({ child, stdout: () => out + err, exited }));
        child.stdout!.on("data", () => out.includes("REST API:") && done());
        void exited.then(done);
    });
}

function get(url: string): Promise<string> {
    return new Promise((resolve, reject) => {
        https.get(url, { rejectUnauthorized: false }, (res) => {
            let body = "";
            res.on("data", (c) => (body += c));
            res.on("end", () => resolve(body));
        }).on("error", reject);
    });
}

describe("admin command line (npm run admin)", function () {
    this.timeout(90_000);

    it("forwards the admin UI and REST API of a ready pod, prints the URLs and how to get the password, and exits 0 on Ctrl+C", async () => {
        const { api, kubeconfig, secret } = await deployed([{ name: "vtm-starting-pod", ready: false } as never, { name: POD, ready: true }]);
        const run = await start(["--port", "0", "--rest-port", "0"], kubeconfig);
        const text = run.stdout();
        const ui = /admin UI: {2}(https:\/\/127\.0\.0\.1:\d+\/)/.exec(text)?.[1];
        const rest = /REST API: {2}(https:\/\/127\.0\.0\.1:\d+)\/api\/tm\//.exec(text)?.[1];
        assert.ok(ui && rest, text);
        assert.strictEqual(await get(ui), "admin UI");
        assert.strictEqual(await get(rest), "admin UI");
        // The ready pod, on the admin UI's and the REST API's ports.
        assert.deepStrictEqual([...new Set(api.forwarded)].sort(), [`${POD}:9070`, `${POD}:9090`]);
        assert.ok(text.includes(`(pod default/${POD}), forwarded until Ctrl+C`), text);
        assert.ok(text.includes("npm run -s pulumi -- stack output --show-secrets adminPassword"), text);
        assert.ok(text.includes(`kubectl -n default get secret ${secret} -o jsonpath='{.data.vtm-admin-password}' | base64 -d`), text);
        run.child.kill("SIGINT");
        assert.strictEqual(await run.exited, 0);
        assert.ok(run.stdout().includes("port-forward stopped"));
    });

    it("exits 2 naming the namespace and the deploy command when no traffic manager pod runs", async () => {
        const { kubeconfig } = await deployed([]);
        const run = await start(["--port", "0", "--rest-port", "0"], kubeconfig);
        assert.strictEqual(await run.exited, 2);
        assert.match(run.stdout(), /admin could not start: no traffic manager pod in namespace default \(kubectl -n default get pods -l app=vtm\); deploy first: npm run deploy -- --stack dev/);
    });

    it("prints the usage and exits 0 with --help; refuses a bad port with the usage", async () => {
        const help = await new Promise<{ code: number; stdout: string }>((resolve) =>
            execFile(process.execPath, [...CLI, "--help"], { cwd: PROJECT_DIR, env: ENV() }, (err, stdout) => resolve({ code: err ? Number(err.code) : 0, stdout })),
        );
        assert.deepStrictEqual(help, { code: 0, stdout: `${USAGE}\n` });
        assert.throws(() => parseArgs(["--port", "70000"]), { message: `--port takes a port number from 0 to 65535, not '70000'\n${USAGE}` });
        assert.deepStrictEqual(parseArgs([], {}), { stack: "dev", port: 9090, restPort: 9070 });
        assert.deepStrictEqual(parseArgs(["--stack", "prod", "--port", "0"], { PULUMI_STACK: "x" }), { stack: "prod", port: 0, restPort: 9070 });
    });
});
