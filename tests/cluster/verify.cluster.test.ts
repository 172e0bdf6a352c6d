// verify against a real Kubernetes API server whose nodes may be fake (a loopback control plane with
// kwok nodes, as CI runs): the dev stack is deployed into a namespace of its own, the rollout check
// must pass (the controllers and the scheduler are real), and where no traffic manager runs (fake
// nodes run no container, so no port-forward, log or service answers there) the vTM checks must fail
// clearly within a bounded time, not hang or crash. On a cluster that runs the image they pass.
import * as assert from "assert";
import { verify } from "../../scripts/verify/index";
import { textReport } from "../../scripts/verify/report";
import { Cluster, Namespace, connect } from "./harness";

describe("cluster: npm run verify", function () {
    this.timeout(240_000);
    let cluster: Cluster;
    let ns: Namespace;

    before(async () => {
        cluster = await connect();
        ns = await cluster.namespace("vtm-verify");
    });
    after(() => ns?.cleanup());

    it("passes the rollout, and says whether a traffic manager answers, within a bounded time", async () => {
        await ns.up((await ns.render({ stack: "dev" })).objects);
        const fakeNodes = (await cluster.nodes()).every((n) => n.status?.nodeInfo?.kubeletVersion === "fake");

        const started = Date.now();
        const result = await verify({ stack: "dev", set: { namespace: ns.name, "kubernetes:kubeconfig": cluster.config.exportConfig() }, stackOutputs: false });
        const seconds = (Date.now() - started) / 1000;
        const report = textReport(result);

        assert.ok(seconds < 120, `verify ended by itself in ${seconds} s`);
        const rollout = result.checks.find((c) => c.check === "rollout")!;
        assert.strictEqual(rollout.status, "pass", report);
        assert.match(rollout.summary, /^1 of 1 ready, 1 up to date \(image pulsesecure\/vtm:19\.1\)$/);
        const config = result.checks.filter((c) => c.check === "configuration");
        assert.strictEqual(config.length, 1, report);
        if (!fakeNodes) {
            assert.strictEqual(result.ok, true, report);
            return;
        }
        assert.strictEqual(result.ok, false, report);
        assert.strictEqual(config[0].status, "fail");
        assert.match(config[0].summary, new RegExp(`^no traffic manager answers on the pod's REST port 9070 \\(.+\\); look: kubectl -n ${ns.name} logs vtm-[-a-z0-9]+ -c vtm`), report);
        // The example service's nodePort on a fake node's documentation-range address: no connection.
        const service = result.checks.find((c) => c.check === "services")!;
        assert.strictEqual(service.status, "fail", report);
        assert.match(service.subject, /^example-service http:\/\/192\.0\.2\.\d+:\d+$/);
    });
});
