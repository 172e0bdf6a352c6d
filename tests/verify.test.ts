// `npm run verify` against stand-ins: the dev stack as `npm run render` makes it, served by a fake
// cluster, a traffic manager REST API stand-in over real HTTPS, and real listeners for the service
// endpoints. Healthy, then each failure mode the issue names, each named in one line with where to look.
import * as assert from "assert";
import * as dgram from "dgram";
import * as http from "http";
import * as net from "net";
import { verify, Verification } from "../scripts/verify/index";
import { jsonReport, textReport, exitCode } from "../scripts/verify/report";
import { CheckResult } from "../scripts/verify/types";
import { KubeObject, configWith, renderDev } from "./helpers";
import { FakeCluster, PodState, VtmStandIn, closedPort, projectedFiles } from "./verifyStandIns";

const POD = "vtm-6f7d9c5b8-x2p4q";

/** What the upstream README shows a successful import logging. */
const HEALTHY_LOG = [
    "Creating /usr/local/zeus/zxtm/conf_A/rules/internal_healthcheck",
    "Creating /usr/local/zeus/zxtm/conf_A/vservers/kubernetes_healthcheck",
    "Creating /usr/local/zeus/zxtm/conf_A/pools/example-pool",
    "Creating /usr/local/zeus/zxtm/conf_A/rules/Response-Headers",
    "Creating /usr/local/zeus/zxtm/conf_A/vservers/example-service",
    "Set 'conf_A' as the active configuration",
].join("\n");

interface World {
    readonly objects: KubeObject[];
    readonly password: string;
    readonly standIn: VtmStandIn;
    readonly cluster: FakeCluster;
    readonly webPort: number;
    readonly set: Record<string, string>;
    run(extra?: Parameters<typeof verify>[0]): Promise<Verification>;
}

const cleanups: (() => Promise<void>)[] = [];

/** An HTTP server that answers as the example service does through vTM. */
async function webServer(status = 200): Promise<number> {
    const server = http.createServer((_req, res) => {
        res.writeHead(status, { "X-Served-Via": "vtm-6f7d9c5b8-x2p4q" });
        res.end("<html>nginx</html>");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    return (server.address() as net.AddressInfo).port;
}

/** The dev stack deployed: rendered objects in a fake cluster, its documents imported by the REST stand-in. */
async function world(options: { set?: Record<string, string>; pods?: PodState[]; configDir?: string; nodePorts?: Record<string, number> } = {}): Promise<World> {
    const set = options.set ?? {};
    const rendered = await renderDev(set, options.configDir ? { configDir: options.configDir } : {});
    const objects = rendered.objects;
    const secret = objects.find((o) => o.kind === "Secret" && o.stringData?.["vtm-admin-password"]);
    assert.ok(secret, "the rendered stack has the admin Secret");
    const password = secret.stringData["vtm-admin-password"] as string;
    const standIn = await new VtmStandIn(password).start();
    cleanups.push(() => standIn.stop());
    const files = projectedFiles(objects);
    standIn.importDocuments(files.documents, files.data);
    const webPort = await webServer();
    const cluster = new FakeCluster({
        objects,
        pods: options.pods ?? [{ name: POD, log: HEALTHY_LOG }],
        forwardTo: () => standIn.port,
        nodePorts: { "vtm-services/example-service": webPort, ...options.nodePorts },
    });
    return {
        objects,
        password,
        standIn,
        cluster,
        webPort,
        set,
        run: (extra = {}) => verify({ stack: "dev", set, cluster, stackOutputs: false, ...extra }),
    };
}

function only(result: Verification, check: CheckResult["check"]): CheckResult[] {
    return result.checks.filter((c) => c.check === check);
}

function failing(result: Verification): CheckResult[] {
    return result.checks.filter((c) => c.status === "fail");
}

/** The one failing check, which must be the one named, with its summary line. */
function theFailure(result: Verification, check: CheckResult["check"]): CheckResult {
    const failures = failing(result);
    assert.deepStrictEqual(failures.map((f) => f.check), [check], `expected only ${check} to fail:\n${textReport(result)}`);
    return failures[0];
}

afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
});

describe("verify: a healthy stack", () => {
    it("passes every check, with the evidence of each", async () => {
        const w = await world();
        const result = await w.run();
        assert.strictEqual(result.ok, true, textReport(result));
        assert.deepStrictEqual(result.checks.map((c) => [c.check, c.status]), [["rollout", "pass"], ["configuration", "pass"], ["services", "pass"]]);
        assert.match(only(result, "rollout")[0].summary, /^1 of 1 ready, 1 up to date \(image pulsesecure\/vtm:19\.1\)$/);
        const config = only(result, "configuration")[0];
        assert.strictEqual(config.subject, `pod ${POD}`);
        assert.match(config.summary, /^vTM 19\.1 answers, serves API 6\.2; all 6 objects of 5 documents present as the documents set them$/);
        assert.match(only(result, "services")[0].summary, /^HTTP 200 in \d+ ms \(X-Served-Via: vtm-6f7d9c5b8-x2p4q\)$/);
        assert.strictEqual(only(result, "services")[0].subject, `example-service http://127.0.0.1:${w.webPort}`);
        assert.strictEqual(exitCode(result), 0);
        // It went through a port-forward to the pod's REST port, and asked for each object by its REST path.
        assert.deepStrictEqual(w.cluster.forwards, [{ pod: POD, port: 9070 }]);
        for (const p of ["/api/tm/6.2/config/active/pools/example-pool", "/api/tm/6.2/config/active/virtual_servers/example-service", "/api/tm/6.2/config/active/rules/Response-Headers", "/api/tm/6.2/config/active/global_settings"]) {
            assert.ok(w.standIn.requests.includes(p), `asked for ${p}: ${w.standIn.requests.join(" ")}`);
        }
    });

    it("asks a 22.x stack's objects of the 8.3 REST API, the version the stack deploys", async () => {
        const w = await world({ set: { image: "pulsesecure/vtm:22.7R2" } });
        w.standIn.versions = [...w.standIn.versions, "7.0", "7.1", "8.0", "8.1", "8.2", "8.3"];
        const result = await w.run();
        assert.strictEqual(result.ok, true, textReport(result));
        assert.match(only(result, "configuration")[0].summary, /serves API 8\.3; all 6 objects of 5 documents present/);
        const objects = w.standIn.requests.filter((p) => p.includes("/config/active/"));
        assert.ok(objects.length >= 6, objects.join(" "));
        assert.deepStrictEqual(objects.filter((p) => !p.startsWith("/api/tm/8.3/")), []);
        assert.ok(objects.includes("/api/tm/8.3/config/active/virtual_servers/example-service"), objects.join(" "));
    });

    it("asks for names with spaces URL-encoded, and compares raw rule text with the data file it came from", async () => {
        const configDir = configWith({
            "documents/monitors.yaml": "version: 6.2\nmonitors:\n  - name: Deep Check\n    properties:\n      basic: {type: http, delay: 5}\n      http: {path: /healthz}\n",
        });
        const w = await world({ configDir });
        const result = await w.run();
        assert.strictEqual(result.ok, true, textReport(result));
        assert.ok(w.standIn.requests.includes("/api/tm/6.2/config/active/monitors/Deep%20Check"), w.standIn.requests.join(" "));
        // The rule's text, read from the vtm-extra-data ConfigMap through its fileRef, is what the REST API must hold.
        w.standIn.objects.set("rules/Response-Headers", "http.setResponseHeader( \"X-Served-Via\", \"someone else\" );\n");
        const changed = await w.run();
        assert.match(theFailure(changed, "configuration").summary, /^rules 'Response-Headers': content differs from config\/10-rules\.yaml \(ConfigMap vtm-config\)/);
    });

    it("prints the same results as a table and as JSON, never the admin password", async () => {
        const w = await world();
        const result = await w.run();
        const text = textReport(result);
        const json = JSON.parse(jsonReport(result));
        assert.strictEqual(json.ok, true);
        assert.strictEqual(json.exitCode, 0);
        assert.deepStrictEqual(json.checks, JSON.parse(JSON.stringify(result.checks)));
        for (const c of result.checks) assert.ok(text.includes(c.summary), `table shows: ${c.summary}`);
        assert.match(text, /The stack works: 3 checks passed, 0 failed, 0 skipped\./);
        assert.ok(!text.includes(w.password) && !jsonReport(result).includes(w.password), "the password is never printed");
    });
});

describe("verify: each fault named in one line with where to look", () => {
    it("a wrong admin password (401)", async () => {
        const w = await world();
        w.standIn.password = "changed-in-the-admin-ui";
        const result = await w.run();
        const f = theFailure(result, "configuration");
        assert.match(f.summary, /^the REST API refused the admin password from Secret default\/vtm-admin-login-credentials-[0-9a-f]+ key vtm-admin-password \(HTTP 401\)/);
        assert.match(f.summary, /look: kubectl -n default rollout restart deployment\/vtm/);
        assert.ok(!textReport(result).includes(w.password));
        assert.strictEqual(exitCode(result), 1);
    });

    it("an API version the traffic manager does not serve", async () => {
        const w = await world();
        w.standIn.versions = ["5.2", "6.0", "6.1"];
        const f = theFailure(await w.run(), "configuration");
        assert.match(f.summary, /^API version 6\.2, which 6 objects of the documents are written for, is not served \(the REST API serves 5\.2, 6\.0, 6\.1\): set apiVersion/);
        assert.match(f.summary, /look: kubectl -n default logs vtm-6f7d9c5b8-x2p4q -c vtm$/);
    });

    it("a pool missing from the running configuration, with the import error from the log", async () => {
        const w = await world({
            pods: [{ name: POD, log: `${HEALTHY_LOG}\nERROR: pools/example-pool: failed to load: invalid value for load_balancing!algorithm` }],
        });
        w.standIn.remove("pools", "example-pool");
        const f = theFailure(await w.run(), "configuration");
        assert.match(f.summary, /^pools 'example-pool': missing from the running configuration \(defined in config\/20-pool-example-pool\.yaml \(ConfigMap vtm-config\)\); look: kubectl -n default logs vtm-6f7d9c5b8-x2p4q -c vtm$/);
        assert.deepStrictEqual(f.details, ["log: ERROR: pools/example-pool: failed to load: invalid value for load_balancing!algorithm"]);
    });

    it("a virtual server with a different port", async () => {
        const w = await world();
        w.standIn.set("virtual_servers", "example-service", "basic", "port", 8080);
        const f = theFailure(await w.run(), "configuration");
        assert.match(f.summary, /^virtual_servers 'example-service': basic\.port is 8080 in the running configuration; config\/30-service-example-service\.yaml \(ConfigMap vtm-config\) sets 80; look: /);
    });

    it("an import error in the log after the last successful import, though every object is there", async () => {
        const w = await world({
            pods: [{ name: POD, log: `${HEALTHY_LOG}\nImporting configuration from /import/config\nError: rules/Response-Headers: parse error at line 2, password was ${"X"}` }],
        });
        const f = theFailure(await w.run(), "configuration");
        assert.match(f.summary, /^the last import reported errors \(1 line\): "Error: rules\/Response-Headers: parse error at line 2, password was X"; look: kubectl -n default logs vtm-6f7d9c5b8-x2p4q -c vtm$/);
        // An error before a later successful import is history, not a fault.
        const healed = await world({ pods: [{ name: POD, log: `Error: rules/x: parse error\n${HEALTHY_LOG}` }] });
        assert.strictEqual((await healed.run()).ok, true);
    });

    it("never quotes the admin password from the log", async () => {
        const w = await world();
        w.cluster.options.pods[0] = { name: POD, log: `${HEALTHY_LOG}\nERROR: login for admin with ${w.password} failed` };
        const result = await w.run();
        const f = theFailure(result, "configuration");
        assert.match(f.summary, /ERROR: login for admin with <admin password> failed/);
        assert.ok(!jsonReport(result).includes(w.password));
    });

    it("a pod in a crash loop, with its container's last exit", async () => {
        const crash = {
            name: "vtm",
            image: "pulsesecure/vtm:19.1",
            ready: false,
            restartCount: 4,
            state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 1m20s restarting failed container" } },
            lastState: { terminated: { reason: "Error", exitCode: 1, message: "Starting vTM\nFailed to import configuration" } },
        };
        const w = await world({ pods: [{ name: POD, ready: false, containerStatus: crash }] });
        w.cluster.options.forwardTo = () => 1; // the container is not running: nothing answers
        const result = await w.run();
        const rollout = only(result, "rollout")[0];
        assert.strictEqual(rollout.status, "fail");
        assert.strictEqual(
            rollout.summary,
            `0 of 1 ready, 1 up to date: pod ${POD}: crash loop: container vtm restarted 4 times; last exit: Error (code 1): "Failed to import configuration"; look: kubectl -n default logs ${POD} -c vtm --previous`,
        );
        assert.match(only(result, "configuration")[0].summary, /^no traffic manager answers on the pod's REST port 9070/);
    });

    it("an endpoint that does not accept connections", async () => {
        const w = await world({ nodePorts: { "vtm-services/example-service": await closedPort() } });
        const f = theFailure(await w.run(), "services");
        assert.match(f.subject, /^example-service http:\/\/127\.0\.0\.1:\d+$/);
        assert.match(f.summary, /^connection refused \(nothing listens there\); look: is the address reachable from here/);
    });

    it("a REST port that nothing answers on", async () => {
        const w = await world();
        const port = await closedPort();
        w.cluster.options.forwardTo = () => port;
        const f = theFailure(await w.run(), "configuration");
        assert.match(f.summary, /^no traffic manager answers on the pod's REST port 9070 \(connect ECONNREFUSED 127\.0\.0\.1:\d+\); look: kubectl -n default logs vtm-6f7d9c5b8-x2p4q -c vtm/);
    });
});

describe("verify: endpoints it cannot or need not reach", () => {
    it("skips a ClusterIP frontend with the reason, and still passes", async () => {
        const w = await world({ set: { "services.internal": JSON.stringify({ port: 8081, pool: "example-pool", frontend: { type: "ClusterIP" } }) } });
        const result = await w.run();
        assert.strictEqual(result.ok, true, textReport(result));
        const skipped = result.checks.filter((c) => c.status === "skip");
        assert.deepStrictEqual(skipped.map((c) => [c.check, c.subject]), [["services", "internal"]]);
        assert.strictEqual(skipped[0].summary, "Service vtm-internal is ClusterIP: reachable inside the cluster only (kubectl -n default port-forward service/vtm-internal 8081)");
    });

    it("sends a UDP service a datagram: a DNS query must be answered, a refusal fails", async () => {
        const dns = dgram.createSocket("udp4");
        dns.on("message", (msg, from) => dns.send(Buffer.concat([msg.subarray(0, 2), Buffer.from([0x81, 0x80]), msg.subarray(4)]), from.port, from.address));
        await new Promise<void>((resolve) => dns.bind(0, "127.0.0.1", () => resolve()));
        cleanups.push(() => new Promise((resolve) => dns.close(() => resolve())));
        const set = { "services.dns": JSON.stringify({ protocol: "dns", port: 53, pool: "example-pool" }) };
        const w = await world({ set, nodePorts: { "vtm-services/dns": dns.address().port } });
        const result = await w.run();
        const udp = result.checks.find((c) => c.subject.startsWith("dns "))!;
        assert.strictEqual(udp.subject, `dns udp://127.0.0.1:${dns.address().port}`);
        assert.strictEqual(udp.status, "pass", textReport(result));
        assert.match(udp.summary, /^sent a 17-byte datagram, 17-byte reply in \d+ ms$/);

        const silent = await world({ set, nodePorts: { "vtm-services/dns": await closedPort() } });
        const refused = (await silent.run()).checks.find((c) => c.subject.startsWith("dns "))!;
        assert.strictEqual(refused.status, "fail");
        assert.match(refused.summary, /^port unreachable \(nothing listens there\)/);
    });
});

describe("verify --wait", () => {
    it("tries again until the traffic manager has re-imported, showing progress", async () => {
        const w = await world();
        const pool = w.standIn.objects.get("pools/example-pool")!;
        w.standIn.remove("pools", "example-pool");
        const progress: string[] = [];
        // The re-import lands after the first try.
        const timer = setTimeout(() => w.standIn.objects.set("pools/example-pool", pool), 500);
        const result = await w.run({ waitSeconds: 10, retrySeconds: 1, progress: (l) => progress.push(l) });
        clearTimeout(timer);
        assert.strictEqual(result.ok, true, textReport(result));
        assert.ok(result.attempts >= 2 && !result.timedOut);
        assert.match(progress[0], /^\[\d+ s\] 1 check failing \(configuration pod vtm-6f7d9c5b8-x2p4q: pools 'example-pool': missing .*\); trying again in 1 s, for up to \d+ s more$/);
    });

    it("gives up when the time runs out, and says so", async () => {
        const w = await world();
        w.standIn.remove("pools", "example-pool");
        const started = Date.now();
        const result = await w.run({ waitSeconds: 2, retrySeconds: 1 });
        assert.ok(Date.now() - started < 10_000, "ends by itself");
        assert.strictEqual(result.ok, false);
        assert.strictEqual(result.timedOut, true);
        assert.ok(result.attempts >= 2, `tried more than once (${result.attempts})`);
        assert.match(textReport(result), /The stack does not work yet: 2 checks passed, 1 failed, 0 skipped \(gave up waiting after \d+ s, \d+ attempts\)\.\n$/);
        assert.strictEqual(JSON.parse(jsonReport(result)).exitCode, 1);
    });
});
