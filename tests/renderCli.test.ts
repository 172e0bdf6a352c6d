// `npm run render` as a user runs it: a YAML stream that parses (or a clear refusal), an --out folder
// that holds exactly the stack just rendered, --set paths as `pulumi config set --path` takes them,
// and messages that say what to do, on standard error.
import * as assert from "assert";
import { SpawnSyncReturns, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { PROJECT_DIR, render, stackConfig } from "../scripts/render";
import { MANIFEST } from "../scripts/renderOut";
import { cliRender, find, findByPrefix } from "./helpers";

/** Runs `npm run [-s] render -- args`, with stdout piped (not a terminal). */
function npmRender(args: string[], { silent = true } = {}): SpawnSyncReturns<string> {
    return spawnSync("npm", ["run", ...(silent ? ["--silent"] : []), "render", "--", ...args], { cwd: PROJECT_DIR, encoding: "utf8" });
}

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
const rendered = (dir: string) => fs.readdirSync(dir).filter((f) => !f.startsWith(".")).sort();
const kinds = (dir: string) => rendered(dir).map((f) => yaml.load(fs.readFileSync(path.join(dir, f), "utf8")) as Record<string, any>);

/** A digest for the prod stack, whose shipped placeholder is refused. */
const DIGEST = `sha256:${"e".repeat(64)}`;

describe("npm run render, as a user runs it", function () {
    this.timeout(180_000);

    describe("standard output", () => {
        it("with npm run -s, as the README writes it, is a YAML stream that parses, and the messages are on standard error", () => {
            const run = npmRender(["--stack", "dev"]);
            assert.strictEqual(run.status, 0, run.stderr);
            const docs = yaml.loadAll(run.stdout) as Record<string, any>[];
            assert.ok(docs.length >= 8 && docs.every((d) => typeof d.kind === "string" && typeof d.metadata.name === "string"));
            assert.match(run.stderr, /^note: Secret default\/vtm-admin-login-credentials-\w+ holds a password generated for this render/m);
        });

        it("without -s, npm's banner would spoil the stream: it stops with exit 1 and says to use -s, instead of writing YAML after it", () => {
            const run = npmRender(["--stack", "dev"], { silent: false });
            assert.strictEqual(run.status, 1);
            assert.match(run.stderr, /npm printed its own banner on standard output, so the YAML stream would not parse: run npm run -s render -- … \(or --silent\)/);
            assert.ok(!run.stdout.includes("kind:"), "no object was written after the banner");
        });

        it("--help prints the usage and exits 0", async () => {
            const run = await cliRender(["--help"]);
            assert.strictEqual(run.status, 0, run.stderr);
            assert.match(run.stdout, /^usage: npm run -s render -- \[--stack NAME\]/);
            assert.strictEqual(run.stderr, "");
        });
    });

    describe("--out", () => {
        it("leaves exactly the stack just rendered: what an earlier render wrote there is removed", async () => {
            const out = tmp("vtm-out-");
            assert.strictEqual((await cliRender(["--stack", "prod", "--set", "registryPassword=token-token-1", "--set", `imageDigest=${DIGEST}`, "--out", out])).status, 0);
            assert.ok(kinds(out).some((o) => o.kind === "Service" && o.spec.type === "LoadBalancer"), "the prod stack's LoadBalancer was written");
            const second = await cliRender(["--stack", "dev", "--set", "exposure=HostNetwork", "--set", "security.acceptAdminExposure=CVE-2024-7593", "--out", out]);
            assert.strictEqual(second.status, 0, second.stderr);
            const objects = kinds(out);
            assert.deepStrictEqual(objects.filter((o) => o.kind === "Deployment" && o.metadata.name === "vtm").length, 1);
            assert.deepStrictEqual(objects.filter((o) => o.kind === "Service").map((o) => o.metadata.name), ["example-application-backend-service"]);
            assert.deepStrictEqual(fs.readFileSync(path.join(out, MANIFEST), "utf8").trim().split("\n"), rendered(out));
        });

        it("refuses a folder that holds files no render wrote, and a file, in one line", async () => {
            const out = tmp("vtm-out-");
            fs.writeFileSync(path.join(out, "my-notes.yaml"), "kind: Mine\n");
            const refused = await cliRender(["--stack", "dev", "--out", out]);
            assert.strictEqual(refused.status, 1);
            assert.strictEqual(refused.stderr, `--out ${out}: holds files no render wrote (my-notes.yaml); use an empty folder, or remove them, so that kubectl apply -f ${out} applies only this stack\n`);
            assert.deepStrictEqual(fs.readdirSync(out), ["my-notes.yaml"]);
            const file = path.join(out, "my-notes.yaml");
            const onFile = await cliRender(["--stack", "dev", "--out", file]);
            assert.strictEqual(onFile.status, 1);
            assert.strictEqual(onFile.stderr, `--out ${file}: is a file, not a folder; name a folder (it is created if missing)\n`);
        });
    });

    describe("--set", () => {
        it("takes list indexes as pulumi config set --path does", async () => {
            const r = await render({ stack: "dev", set: { "imagePullSecrets[0]": "regcred", "imagePullSecrets[1]": "backup", "pools.example-pool.monitors[0]": "Simple HTTPS" } });
            assert.deepStrictEqual(find(r.objects, "Deployment", "vtm").spec.template.spec.imagePullSecrets, [{ name: "regcred" }, { name: "backup" }]);
            const pool = yaml.load(find(r.objects, "ConfigMap", "vtm-config").data["20-pool-example-pool.yaml"]) as any;
            assert.deepStrictEqual(pool.pools[0].properties.basic.monitors, ["Simple HTTPS"]);
        });

        it("stores values as the CLI does: true/false and whole numbers typed, quoted names for keys with dots", () => {
            const { config } = stackConfig({ stack: "dev", set: { "backend.enabled": "false", "backend.replicas": "3", "nodeSelector[\"kubernetes.io/os\"]": "linux", "backend.image": "nginx:1.27" } });
            assert.deepStrictEqual(JSON.parse(config["vtm-kubernetes:backend"]), { enabled: false, replicas: 3, image: "nginx:1.27" });
            assert.deepStrictEqual(JSON.parse(config["vtm-kubernetes:nodeSelector"]), { "kubernetes.io/os": "linux" });
        });

        it("refuses what it cannot read, instead of ignoring it", () => {
            assert.throws(() => stackConfig({ set: { "pools.web.monitors[x]": "Ping" } }), /--set 'pools\.web\.monitors\[x\]': cannot read '\[x\]' \(expected \.field, \[index\] or \["name"\]\)/);
            assert.throws(() => stackConfig({ set: { "imagePullSecrets[2]": "x" } }), /--set 'imagePullSecrets\[2\]': index at '2': 2 is past the end of the list \(it has 0 items; the next is \[0\]\)/);
            // JSON cut short: the position is where the text ends.
            const cut = '{"web": {"port": 80,';
            assert.throws(() => stackConfig({ set: { services: cut } }), new RegExp(`--set 'services': invalid JSON: .*position ${cut.length}`));
            const unclosed = '{"port": 80';
            assert.throws(() => stackConfig({ set: { "services.web": unclosed } }), new RegExp(`--set 'services\\.web': invalid JSON: .*position ${unclosed.length}`));
        });
    });

    describe("messages", () => {
        it("an unknown stack lists the stacks there are", async () => {
            const run = await cliRender(["--stack", "staging"]);
            assert.strictEqual(run.status, 1);
            assert.match(run.stderr, /^stack 'staging' has no Pulumi\.staging\.yaml in .*; the stacks there: dev, prod$/m);
        });

        it("--out --include-secrets writes the Secrets' files 0600 in a folder only its owner can open (0700); the other files stay 0644", async () => {
            const out = tmp("vtm-out-");
            const run = await cliRender(["--stack", "dev", "--include-secrets", "--set", "adminPassword=Long-Enough-Password-1", "--out", out]);
            assert.strictEqual(run.status, 0, run.stderr);
            const mode = (f: string) => (fs.statSync(path.join(out, f)).mode & 0o777).toString(8);
            const files = rendered(out);
            const secret = files.find((f) => /-secret-vtm-admin-login-credentials/.test(f));
            assert.ok(secret, files.join(", "));
            assert.strictEqual(mode(secret), "600");
            assert.deepStrictEqual([...new Set(files.filter((f) => f !== secret).map(mode))], ["644"]);
            assert.strictEqual((fs.statSync(out).mode & 0o777).toString(8), "700");
        });

        it("--include-secrets warns that the output holds secrets in plain text", async () => {
            const run = await cliRender(["--stack", "dev", "--include-secrets", "--set", "adminPassword=Long-Enough-Password-1"]);
            assert.strictEqual(run.status, 0, run.stderr);
            assert.match(run.stderr, /^warning: --include-secrets writes the admin password and every other secret in plain text; keep the output out of version control$/m);
            assert.match(run.stdout, /Long-Enough-Password-1/);
        });

        it("a render whose stack does not accept the licence says how to accept it, for the render and for the stack", async () => {
            const run = await cliRender(["--stack", "dev", "--set", "eula="]);
            assert.strictEqual(run.status, 1);
            assert.match(run.stderr, /eula: '' does not accept the vTM licence/);
            assert.match(run.stderr, /To accept the licence for this render only: npm run -s render -- --set eula=accept/);
            assert.match(run.stderr, /npm run pulumi -- config set eula accept/);
        });

        it("refuses the prod stack's placeholder digest as shipped, naming the key, the value and what to do", async () => {
            const run = await cliRender(["--stack", "prod", "--set", "registryPassword=token-token-1"]);
            assert.strictEqual(run.status, 1);
            assert.ok(
                run.stderr.includes(
                    `  - imageDigest: 'sha256:${"0".repeat(64)}' is the placeholder of Pulumi.prod.yaml, not your image's digest; ` +
                        "set the digest of your image (docker buildx imagetools inspect <image>), or unset imageDigest to use the image by tag\n",
                ),
                run.stderr,
            );
            assert.strictEqual(run.stdout, "");
        });

        it("prints warnings once labelled, and fills the registry's server and user into the pull Secret's note", async () => {
            const run = await cliRender(["--stack", "prod", "--set", "registryPassword=token-token-1", "--set", `imageDigest=${DIGEST}`]);
            assert.strictEqual(run.status, 0, run.stderr);
            assert.ok(!/NOTE|note: warning/.test(run.stderr), run.stderr);
            assert.match(run.stderr, /kubectl create secret docker-registry vtm-registry-credentials-\w+ -n vtm-prod --docker-server=registry\.example\.com --docker-username=vtm-puller --docker-password=<password>/);
            assert.ok(!run.stderr.includes("token-token-1"));
            const warned = await cliRender(["--stack", "dev", "--set", "registry.server=r.example.com"]);
            assert.match(warned.stderr, /^warning: registry\.server: is ignored without registryPassword/m);
        });
    });

    describe("the admin Secret's name in rendered files", () => {
        const mock = { password: () => "Generated-The-Same-1" };
        const secretName = async (set: Record<string, string>, includeSecrets: boolean) =>
            findByPrefix((await render({ stack: "dev", set, includeSecrets, mock })).recorder.kubernetesObjects(), "Secret", "vtm-admin-login-credentials").metadata.name as string;

        it("changes with adminPasswordRotation, so that applying the files rolls the pods onto the new Secret", async () => {
            const before = await secretName({}, false);
            assert.strictEqual(await secretName({}, false), before, "the same stack, the same name");
            assert.notStrictEqual(await secretName({ adminPasswordRotation: "2026-12" }, false), before);
        });

        it("changes with a new adminPassword when the Secret is written; without --include-secrets no password sways a name", async () => {
            const first = await secretName({ adminPassword: "First-Password-111" }, true);
            assert.notStrictEqual(await secretName({ adminPassword: "Second-Password-222" }, true), first);
            assert.strictEqual(await secretName({ adminPassword: "First-Password-111" }, false), await secretName({ adminPassword: "Second-Password-222" }, false));
        });
    });
});

describe("settings set field by field, as the CLI stores them", () => {
    it("take a whole number or true/false the CLI stored typed as the text that was typed (annotations, user names)", async () => {
        const r = await render({
            stack: "dev",
            set: { exposure: "LoadBalancer", 'loadBalancer.annotations["service.beta.kubernetes.io/aws-load-balancer-connection-idle-timeout"]': "60", "registry.username": "12345", "registry.server": "r.example.com", registryPassword: "token-token-1" },
            includeSecrets: true,
        });
        assert.strictEqual(find(r.objects, "Service", "vtm-services").metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-connection-idle-timeout"], "60");
        const pull = findByPrefix(r.objects, "Secret", "vtm-registry-credentials");
        assert.strictEqual(JSON.parse(pull.stringData[".dockerconfigjson"]).auths["r.example.com"].username, "12345");
    });
});
