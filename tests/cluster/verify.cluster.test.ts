// verify against a real Kubernetes API server whose nodes are fake (the loopback control plane,
// ../shared/k8s-loopback): the rendered dev stack is applied to a fresh namespace, the rollout
// check must pass (the controllers and the scheduler are real), and the traffic manager checks must
// fail clearly, not hang or crash: the pods run no container, so no port-forward, log or service
// answers there. Runs only when VTM_TEST_KUBECONFIG names a disposable cluster's kubeconfig.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { render, toYaml } from "../../scripts/render";
import { verify } from "../../scripts/verify/index";
import { textReport } from "../../scripts/verify/report";

const KUBECONFIG = process.env.VTM_TEST_KUBECONFIG;

function kubectl(...args: string[]): string {
    return execFileSync("kubectl", ["--kubeconfig", KUBECONFIG!, ...args], { encoding: "utf8", timeout: 60_000 });
}

describe("verify on a cluster with fake nodes", function () {
    this.timeout(240_000);
    const namespace = `verify-${process.pid}-${Date.now().toString(36)}`;

    before(function () {
        if (KUBECONFIG === undefined) this.skip();
    });

    after(() => {
        if (KUBECONFIG !== undefined) kubectl("delete", "namespace", namespace, "--wait=false", "--ignore-not-found");
    });

    it("passes the rollout, and reports that no traffic manager answers, within a bounded time", async () => {
        const set = { namespace, "kubernetes:kubeconfig": KUBECONFIG! };
        kubectl("create", "namespace", namespace);
        const rendered = await render({ stack: "dev", set: { namespace }, includeSecrets: true });
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vtm-verify-cluster-")), "stack.yaml");
        fs.writeFileSync(file, toYaml(rendered.objects));
        kubectl("apply", "-f", file);
        kubectl("-n", namespace, "rollout", "status", "deployment/vtm", "--timeout=120s");

        const started = Date.now();
        const result = await verify({ stack: "dev", set, stackOutputs: false });
        const seconds = (Date.now() - started) / 1000;
        const report = textReport(result);

        assert.ok(seconds < 120, `verify ended by itself in ${seconds} s`);
        assert.strictEqual(result.ok, false, report);
        const rollout = result.checks.find((c) => c.check === "rollout")!;
        assert.strictEqual(rollout.status, "pass", report);
        assert.match(rollout.summary, /^1 of 1 ready, 1 up to date \(image pulsesecure\/vtm:19\.1\)$/);
        const config = result.checks.filter((c) => c.check === "configuration");
        assert.strictEqual(config.length, 1, report);
        assert.strictEqual(config[0].status, "fail");
        assert.match(config[0].summary, /^no traffic manager answers on the pod's REST port 9070 \(.+\); look: kubectl -n verify-[-a-z0-9]+ logs vtm-[-a-z0-9]+ -c vtm/, report);
        // The example service's nodePort on a fake node's documentation-range address: no connection.
        const service = result.checks.find((c) => c.check === "services")!;
        assert.strictEqual(service.status, "fail", report);
        assert.match(service.subject, /^example-service http:\/\/192\.0\.2\.\d+:\d+$/);
    });
});
