// The README's render applies as it is: `kubectl apply -f` of what it writes, on an empty namespace,
// gives a stack whose Deployments roll out, and every Secret and ConfigMap the pods read is there (a
// kubelet would not start a container without them, and fake nodes do not check). Also what the API
// server refuses that the settings refuse first: a nodePort outside its range.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { PROJECT_DIR } from "../../scripts/render";
import { NODE_PORT_RANGE } from "../../settings/checks";
import { README_RENDER, readmeCommands } from "../docExamples";
import { Cluster, Namespace, WAIT_MS, connect } from "./harness";

/** The names of the Secrets and ConfigMaps a pod template reads (env, envFrom, volumes, pull Secrets). */
function referenced(template: Record<string, any>): { Secret: string[]; ConfigMap: string[] } {
    const spec = template.spec;
    const refs = { Secret: new Set<string>(), ConfigMap: new Set<string>() };
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
        for (const e of c.env ?? []) {
            if (e.valueFrom?.secretKeyRef && !e.valueFrom.secretKeyRef.optional) refs.Secret.add(e.valueFrom.secretKeyRef.name);
            if (e.valueFrom?.configMapKeyRef && !e.valueFrom.configMapKeyRef.optional) refs.ConfigMap.add(e.valueFrom.configMapKeyRef.name);
        }
    }
    for (const v of spec.volumes ?? []) {
        if (v.secret && !v.secret.optional) refs.Secret.add(v.secret.secretName);
        if (v.configMap && !v.configMap.optional) refs.ConfigMap.add(v.configMap.name);
        for (const s of v.projected?.sources ?? []) {
            if (s.secret && !s.secret.optional) refs.Secret.add(s.secret.name);
            if (s.configMap && !s.configMap.optional) refs.ConfigMap.add(s.configMap.name);
        }
    }
    for (const p of spec.imagePullSecrets ?? []) refs.Secret.add(p.name);
    return { Secret: [...refs.Secret].sort(), ConfigMap: [...refs.ConfigMap].sort() };
}

describe("cluster: the README's render, applied with kubectl as it is", function () {
    this.timeout(WAIT_MS * 3);
    let cluster: Cluster;
    let ns: Namespace;
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vtm-it-18-")), "rendered");

    before(async () => {
        cluster = await connect();
        ns = await cluster.namespace("vtm-it-18-readme");
    });
    after(async () => ns && ns.cleanup());

    it("kubectl apply -f on an empty namespace gives a stack whose Deployments roll out", async () => {
        assert.ok(readmeCommands().includes(README_RENDER), "the README shows this render");
        // The README's command, into a namespace and a folder of the test's own.
        const command = README_RENDER.replace(/--out \S+/, `--out ${out}`) + ` --set namespace=${ns.name}`;
        const render = spawnSync("bash", ["-c", command], { cwd: PROJECT_DIR, encoding: "utf8" });
        assert.strictEqual(render.status, 0, render.stderr);
        const objects = fs.readdirSync(out).filter((f) => f.endsWith(".yaml")).sort().flatMap((f) => yaml.loadAll(fs.readFileSync(path.join(out, f), "utf8")) as Record<string, any>[]);

        const apply = spawnSync("kubectl", ["apply", "-f", out], { encoding: "utf8", env: { ...process.env, KUBECONFIG: kubeconfigFile(cluster) } });
        assert.strictEqual(apply.status, 0, apply.stderr);

        const deployments = objects.filter((o) => o.kind === "Deployment");
        assert.deepStrictEqual(deployments.map((d) => d.metadata.name).sort(), ["example-application-deployment", "vtm"]);
        for (const d of deployments) await ns.rolledOut(d.metadata.name);
        // What the kubelet would need to start the containers is in the namespace.
        for (const d of deployments) {
            const refs = referenced(d.spec.template);
            for (const name of refs.Secret) await cluster.core.readNamespacedSecret({ name, namespace: ns.name });
            for (const name of refs.ConfigMap) await cluster.core.readNamespacedConfigMap({ name, namespace: ns.name });
        }
        const vtm = deployments.find((d) => d.metadata.name === "vtm")!;
        assert.ok(referenced(vtm.spec.template).Secret.some((s) => s.startsWith("vtm-admin-login-credentials-")), "the admin password's Secret is among them");
    });

    it("the API server refuses a nodePort outside its range, which the settings refuse first", async () => {
        const below = NODE_PORT_RANGE.min - 1;
        await assert.rejects(
            cluster.core.createNamespacedService({ namespace: ns.name, body: { metadata: { name: "out-of-range" }, spec: { type: "NodePort", ports: [{ port: 80, nodePort: below }] } } }),
            (err: { body?: string }) => {
                assert.match(String(err.body), new RegExp(`provided port is not in the valid range\\. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`));
                return true;
            },
        );
    });
});

/** The cluster's kubeconfig as a file, for kubectl. */
function kubeconfigFile(cluster: Cluster): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vtm-it-18-kube-")), "config");
    fs.writeFileSync(file, cluster.config.exportConfig(), { mode: 0o600 });
    return file;
}
