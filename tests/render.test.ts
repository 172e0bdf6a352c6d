// Offline rendering (`npm run render`): the stack's objects without the Pulumi CLI or a cluster,
// deterministic but for the passwords it generates, which it writes (as helm template does).
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { PROJECT_DIR, parseArgs, render, stackConfig, toYaml } from "../scripts/render";
import { cliRender, find, findByPrefix } from "./helpers";

/** A throwaway project directory: the real Pulumi.yaml and one stack file. */
function projectWithStack(stackYaml: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-render-"));
    fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.writeFileSync(path.join(dir, "Pulumi.test.yaml"), stackYaml);
    return dir;
}

describe("offline rendering", () => {
    it("is deterministic: two renders of a stack with the same password are byte-identical", async () => {
        const mock = { password: () => "Same-Password-Twice-1" };
        const first = toYaml((await render({ stack: "dev", mock })).objects);
        const second = toYaml((await render({ stack: "dev", mock })).objects);
        assert.ok(first.length > 1000);
        assert.strictEqual(first, second);
    });

    it("writes the Secret of a generated admin password, like helm template, and the Deployment refers to it", async () => {
        const result = await render({ stack: "dev" });
        const secret = findByPrefix(result.objects, "Secret", "vtm-admin-login-credentials");
        assert.match(secret.stringData["vtm-admin-password"], /^[A-Za-z0-9]{24}$/);
        assert.deepStrictEqual(result.omittedSecrets, []);
        const ref = find(result.objects, "Deployment", "vtm").spec.template.spec.containers[0].env.find((e: any) => e.name === "ZEUS_PASS");
        assert.strictEqual(ref.valueFrom.secretKeyRef.name, secret.metadata.name);
        assert.ok(result.notes.some((n) => n.startsWith(`Secret default/${secret.metadata.name} holds a password generated for this render`)), result.notes.join("\n"));
        // A new render is a new password under a new name: applying it rolls the pods onto the Secret they read.
        const again = findByPrefix((await render({ stack: "dev" })).objects, "Secret", "vtm-admin-login-credentials");
        assert.notStrictEqual(again.stringData["vtm-admin-password"], secret.stringData["vtm-admin-password"]);
        assert.notStrictEqual(again.metadata.name, secret.metadata.name);
    });

    it("leaves out a Secret holding a value of the configuration unless asked, and says which to create and how", async () => {
        const result = await render({ stack: "dev", set: { adminPassword: "Configured-Password-1" } });
        assert.deepStrictEqual(result.objects.filter((o) => o.kind === "Secret"), []);
        const secret = result.omittedSecrets[0];
        assert.ok(!toYaml(result.objects).includes("Configured-Password-1"), "the configured password is not written");
        assert.ok(
            result.notes.some((n) => n.includes(`kubectl create secret generic ${secret.metadata.name} -n default --from-literal=vtm-admin-password=<value>`)),
            result.notes.join("\n"),
        );
        // The Deployment refers to exactly the Secret the note names.
        const ref = find(result.objects, "Deployment", "vtm").spec.template.spec.containers[0].env.find((e: any) => e.name === "ZEUS_PASS");
        assert.strictEqual(ref.valueFrom.secretKeyRef.name, secret.metadata.name);
    });

    it("writes a Secret of a configured value with --include-secrets", async () => {
        const result = await render({ stack: "dev", includeSecrets: true, set: { adminPassword: "Configured-Password-1" } });
        const secret = findByPrefix(result.objects, "Secret", "vtm-admin-login-credentials");
        assert.strictEqual(secret.stringData["vtm-admin-password"], "Configured-Password-1");
        assert.deepStrictEqual(result.notes, []);
    });

    it("reads the stack file, then --set values on top, like the CLI's config", () => {
        const dir = projectWithStack("config:\n  vtm-kubernetes:eula: accept\n  vtm-kubernetes:replicas: 2\n  vtm-kubernetes:backend:\n    replicas: 5\n");
        const { config } = stackConfig({ projectDir: dir, stack: "test", set: { replicas: "3", "backend.enabled": "false" } });
        assert.strictEqual(config["vtm-kubernetes:replicas"], "3");
        assert.deepStrictEqual(JSON.parse(config["vtm-kubernetes:backend"]), { replicas: 5, enabled: false });
        assert.strictEqual(config["vtm-kubernetes:exposure"], "NodePort", "Pulumi.yaml defaults are merged as the CLI does");
    });

    it("renders a stack whose password is encrypted, and refuses to write it without the value", async () => {
        const dir = projectWithStack("config:\n  vtm-kubernetes:eula: accept\n  vtm-kubernetes:adminPassword:\n    secure: v1:AAAABBBB\n");
        const result = await render({ projectDir: dir, stack: "test" });
        assert.ok(result.notes.some((n) => n.includes("vtm-kubernetes:adminPassword is encrypted")));
        assert.strictEqual(result.recorder.resources.filter((r) => r.type.startsWith("random:")).length, 0, "the configured password is used");
        await assert.rejects(render({ projectDir: dir, stack: "test", includeSecrets: true }), /only the Pulumi CLI can decrypt it: pass --set adminPassword=<value>/);
        const withValue = await render({ projectDir: dir, stack: "test", includeSecrets: true, set: { adminPassword: "From-The-Command-Line-1" } });
        assert.strictEqual(findByPrefix(withValue.objects, "Secret", "vtm-admin-login-credentials").stringData["vtm-admin-password"], "From-The-Command-Line-1");
    });

    it("refuses an admin password written in plain text in the stack file, as pulumi up does", async () => {
        const dir = projectWithStack("config:\n  vtm-kubernetes:eula: accept\n  vtm-kubernetes:adminPassword: Plain-Text-Pa55\n");
        await assert.rejects(render({ projectDir: dir, stack: "test" }), (err: Error) => {
            assert.match(err.message, /adminPassword: is stored in plain text; set it as a secret/);
            assert.ok(!err.message.includes("Plain-Text-Pa55"));
            return true;
        });
    });

    it("names a missing stack file", () => {
        assert.throws(() => stackConfig({ stack: "nope" }), /stack 'nope' has no Pulumi\.nope\.yaml in .*; the stacks there: dev, prod$/);
    });

    it("parses its command line and refuses what it does not know", () => {
        assert.deepStrictEqual(parseArgs(["--stack", "dev", "--set", "exposure=LoadBalancer", "--set", "loadBalancer.annotations={\"a\":\"b=c\"}", "--out", "o", "--include-secrets"]), {
            options: { stack: "dev", set: { exposure: "LoadBalancer", "loadBalancer.annotations": '{"a":"b=c"}' }, includeSecrets: true },
            out: "o",
        });
        assert.throws(() => parseArgs(["--bogus"]), /unknown argument '--bogus'/);
        assert.throws(() => parseArgs(["--set", "novalue"]), /--set takes key=value/);
        assert.throws(() => parseArgs(["--stack"]), /--stack needs a value/);
    });

    describe("npm run render (the command line)", function () {
        this.timeout(120_000);

        it("writes one file per object with --out, in apply order, and the notes to stderr", async () => {
            const out = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-out-"));
            const run = await cliRender(["--stack", "dev", "--set", "exposure=HostNetwork", "--set", "security.acceptAdminExposure=CVE-2024-7593", "--out", out]);
            assert.strictEqual(run.status, 0, run.stderr);
            const files = fs.readdirSync(out).filter((f) => !f.startsWith(".")).sort();
            assert.deepStrictEqual(files, [
                "01-serviceaccount-vtm.yaml",
                files[1],
                "03-configmap-vtm-base-config.yaml",
                "04-configmap-vtm-config.yaml",
                "05-configmap-vtm-extra-data.yaml",
                "06-configmap-vtm-healthcheck-config.yaml",
                "07-service-example-application-backend-service.yaml",
                "08-deployment-example-application-deployment.yaml",
                "09-deployment-vtm.yaml",
            ]);
            assert.match(files[1], /^02-secret-vtm-admin-login-credentials-\w+\.yaml$/);
            const vtm = yaml.load(fs.readFileSync(path.join(out, "09-deployment-vtm.yaml"), "utf8")) as any;
            assert.strictEqual(vtm.spec.template.spec.hostNetwork, true);
            assert.match(run.stderr, /^note: Secret default\/vtm-admin-login-credentials-\w+ holds a password generated for this render/m);
            // Each file a document of its own, so that `cat DIR/*.yaml` is a stream of them all.
            for (const f of files) assert.ok(fs.readFileSync(path.join(out, f), "utf8").startsWith("---\n"), `${f} starts with ---`);
            const stream = yaml.loadAll(files.map((f) => fs.readFileSync(path.join(out, f), "utf8")).join("")) as any[];
            assert.strictEqual(stream.length, files.length);
            // The Secret's file holds the password: only its owner may read it.
            assert.strictEqual(fs.statSync(path.join(out, files[1])).mode & 0o777, 0o600);
        });

        it("prints the endpoints it worked out on standard error, as helm install prints its notes", async () => {
            const run = await cliRender(["--stack", "dev", "--set", "nodeAddress=203.0.113.7", "--set", "adminService.type=NodePort", "--set", "adminService.nodePorts.webui=30990", "--set", "security.acceptAdminExposure=CVE-2024-7593"]);
            assert.strictEqual(run.status, 0, run.stderr);
            assert.match(run.stderr, /^endpoints, once applied \(what is in <> the cluster decides: kubectl get nodes -o wide; kubectl get services -n default\):$/m);
            assert.match(run.stderr, /^ {2}example-service {2}http:\/\/203\.0\.113\.7:<node-port>$/m);
            assert.match(run.stderr, /^ {2}admin UI {9}https:\/\/203\.0\.113\.7:30990$/m);
            assert.ok(!run.stdout.includes("endpoints, once applied"), "standard output is only the objects");
        });

        it("prints a YAML stream to stdout, and stops with the config error and exit 1 on bad input", async () => {
            const stream = (await cliRender(["--stack", "dev"])).stdout;
            const docs = yaml.loadAll(stream) as any[];
            assert.deepStrictEqual(docs.map((d) => d.kind), ["ServiceAccount", "Secret", "ConfigMap", "ConfigMap", "ConfigMap", "ConfigMap", "Service", "Service", "Service", "Deployment", "Deployment", "NetworkPolicy", "NetworkPolicy"]);
            const bad = spawnSync("npm", ["run", "--silent", "render", "--", "--stack", "dev", "--set", "exposure=Ingress"], { cwd: PROJECT_DIR, encoding: "utf8" });
            assert.strictEqual(bad.status, 1);
            assert.match(bad.stderr, /exposure: 'Ingress' is not one of NodePort, LoadBalancer, HostNetwork/);
            assert.strictEqual(bad.stdout, "");
        });
    });
});
