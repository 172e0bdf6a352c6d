// No cluster, clear reasons: verify with no kubeconfig says so and where it looked (not a TLS reason
// about http://localhost:8080, where the client falls back to), and the cluster suite stops once, in
// one line, saying what it needs.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { missingKubeconfig } from "../components/cluster";
import { PROJECT_DIR } from "../scripts/render";
import { kubeCluster } from "../scripts/verify/kube";

describe("no cluster", function () {
    this.timeout(60_000);
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-home-"));

    it("no kubeconfig: says where it looked, for KUBECONFIG and for ~/.kube/config", () => {
        assert.strictEqual(missingKubeconfig({}, home), `no kubeconfig was found: KUBECONFIG is not set and ${path.join(home, ".kube", "config")} does not exist; set KUBECONFIG to your cluster's kubeconfig (or the stack's kubernetes:kubeconfig)`);
        assert.match(missingKubeconfig({ KUBECONFIG: "/nowhere/a:/nowhere/b" }, home)!, /^no kubeconfig was found: KUBECONFIG names \/nowhere\/a, \/nowhere\/b, which does not exist;/);
        fs.mkdirSync(path.join(home, ".kube"), { recursive: true });
        fs.writeFileSync(path.join(home, ".kube", "config"), "apiVersion: v1\nkind: Config\n");
        assert.strictEqual(missingKubeconfig({}, home), undefined);
        assert.strictEqual(missingKubeconfig({ KUBERNETES_SERVICE_HOST: "10.0.0.1" }, fs.mkdtempSync(path.join(os.tmpdir(), "vtm-home-"))), undefined, "in a pod the client uses its service account");
    });

    it("verify's cluster: refused with that reason before any request", async () => {
        const saved = process.env.KUBECONFIG;
        process.env.KUBECONFIG = path.join(home, "missing-kubeconfig");
        try {
            await assert.rejects(kubeCluster({}), /^Error: no kubeconfig was found: KUBECONFIG names .*missing-kubeconfig, which does not exist/);
        } finally {
            if (saved === undefined) delete process.env.KUBECONFIG;
            else process.env.KUBECONFIG = saved;
        }
    });

    it("npm run test:cluster without a cluster: one line on standard error, exit 1, no mocha run", () => {
        const scripts = (JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
        const [preflight, suite] = scripts["test:cluster"].split(" && ");
        assert.strictEqual(suite, "mocha --config .mocharc.cluster.json", "the suite runs only after the preflight passed");
        const kubeconfig = path.join(home, "dead-kubeconfig");
        fs.writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\nusers: [{name: u, user: {}}]\ncurrent-context: c\n');
        for (const env of [{ KUBECONFIG: kubeconfig }, { KUBECONFIG: path.join(home, "none") }]) {
            const run = spawnSync("bash", ["-c", preflight], { cwd: PROJECT_DIR, env: { ...process.env, ...env }, encoding: "utf8" });
            assert.strictEqual(run.status, 1);
            assert.strictEqual(run.stdout, "");
            const lines = run.stderr.trimEnd().split("\n");
            assert.strictEqual(lines.length, 1, run.stderr);
            assert.match(lines[0], /^the cluster suite needs a Kubernetes cluster .* with at least two schedulable nodes, named by KUBECONFIG or ~\/\.kube\/config: (no Kubernetes cluster answers at https:\/\/127\.0\.0\.1:1|no kubeconfig was found)/);
            assert.ok(!lines[0].includes("shared"), "no path the user does not have");
        }
    });
});
