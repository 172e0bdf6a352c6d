// npm run scan's own logic (tools/scan.ts): which failed checks the exceptions accept, which exceptions
// nothing needs, the stacks it renders, and the exceptions file itself. checkov is not run here (it is
// slow and needs PyPI): .ci/run runs the scan.
import * as assert from "assert";
import * as fs from "fs";
import { CHECKOV_VERSION, EXCEPTIONS_FILE, Exception, Finding, judge, scannedStacks } from "../tools/scan";

const finding = (check: string, resource: string, stack = "dev-NodePort"): Finding => ({ stack, check, resource, name: check });

describe("npm run scan (tools/scan.ts)", () => {
    it("accepts a failed check only when an exception names its check and matches its resource; * matches any run", () => {
        const exceptions: Exception[] = [{ check: "CKV_K8S_21", resource: "*.default.*", reason: "r" }, { check: "CKV_K8S_11", resource: "Deployment.*.vtm", reason: "r" }];
        const { refused, unused } = judge(
            [finding("CKV_K8S_21", "ConfigMap.default.vtm-config"), finding("CKV_K8S_11", "Deployment.vtm-prod.vtm"), finding("CKV_K8S_11", "Deployment.default.vtm-other"), finding("CKV_K8S_13", "Deployment.default.vtm")],
            exceptions,
        );
        assert.deepStrictEqual(refused.map((f) => `${f.check} ${f.resource}`), ["CKV_K8S_11 Deployment.default.vtm-other", "CKV_K8S_13 Deployment.default.vtm"]);
        assert.deepStrictEqual(unused, []);
    });

    it("limits an exception with stacks to those renders", () => {
        const exceptions: Exception[] = [{ check: "CKV2_K8S_6", resource: "Pod.*", stacks: ["*-HostNetwork"], reason: "r" }];
        const { refused } = judge([finding("CKV2_K8S_6", "Pod.default.vtm", "dev-HostNetwork"), finding("CKV2_K8S_6", "Pod.default.vtm", "dev-NodePort")], exceptions);
        assert.deepStrictEqual(refused.map((f) => f.stack), ["dev-NodePort"]);
    });

    it("reports an exception that no failed check needs any more, and treats a dot as a dot", () => {
        const { refused, unused } = judge([finding("CKV_K8S_21", "ConfigMapXdefaultXvtm")], [{ check: "CKV_K8S_21", resource: "ConfigMap.default.vtm", reason: "r" }]);
        assert.strictEqual(refused.length, 1);
        assert.deepStrictEqual(unused.map((e) => e.resource), ["ConfigMap.default.vtm"]);
    });

    it("scans every shipped stack and the docs' stack file in every exposure mode", () => {
        const stacks = scannedStacks();
        assert.deepStrictEqual(stacks.map((s) => s.label).sort(), ["dev", "prod", "shop"].flatMap((s) => ["HostNetwork", "LoadBalancer", "NodePort"].map((m) => `${s}-${m}`)).sort());
        for (const s of stacks) assert.strictEqual(s.set.exposure, s.label.split("-")[1]);
        // The prod stack's placeholder digest is refused, so the scan gives one; the docs' stack brings its services.
        assert.match(stacks.find((s) => s.label === "prod-NodePort")!.set.imageDigest, /^sha256:[0-9a-f]{64}$/);
        assert.ok(JSON.parse(stacks.find((s) => s.label === "shop-NodePort")!.set.services).secure);
    });

    it("pins one checkov release, and every exception has a check id, a resource and a reason", () => {
        assert.match(CHECKOV_VERSION, /^3\.3\.\d+$/);
        const { exceptions } = JSON.parse(fs.readFileSync(EXCEPTIONS_FILE, "utf8")) as { exceptions: Exception[] };
        assert.ok(exceptions.length > 0);
        for (const e of exceptions) {
            assert.match(e.check, /^CKV2?_K8S_\d+$/, JSON.stringify(e));
            assert.ok(e.resource.length > 0 && e.reason.length > 40, JSON.stringify(e));
        }
    });
});
