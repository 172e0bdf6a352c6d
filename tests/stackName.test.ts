// One rule for every command's stack (scripts/stack.sh): --stack, else PULUMI_STACK, else the stack
// selected in the local backend, else dev. The deploy wrapper, render, verify and admin all ask it, so each
// case is checked against what the wrapper deploys.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { PROJECT_DIR } from "../scripts/render";
import { stackName } from "../scripts/stackName";
import { parseArgs as adminArgs } from "../scripts/admin";
import { cleanEnv, fakePulumiDir, run } from "./fakePulumi";
import { cliRender } from "./helpers";

/** A local backend (VTM_LOCAL_DIR) with a stand-in pulumi, optionally with a stack selected in it. */
function backend(selected?: string): { dir: string; env: NodeJS.ProcessEnv } {
    const fake = fakePulumiDir();
    const local = path.join(fake.dir, "local");
    fs.mkdirSync(path.join(local, "state"), { recursive: true });
    const env = cleanEnv(fake.bin, local);
    if (selected !== undefined) spawnSync("bash", [path.join(PROJECT_DIR, "scripts", "pulumi-local.sh"), "stack", "select", selected], { env, cwd: PROJECT_DIR });
    return { dir: fake.dir, env };
}

/** The stack `npm run deploy` selects in the same backend and environment. */
function deployed(dir: string, args: string[], env: Record<string, string>): string {
    const r = run(["up", "--yes", ...args], env, true, dir);
    assert.strictEqual(r.status, 0, r.stderr);
    return r.calls.filter((c) => c.args[0] === "stack" && c.args[1] === "select").at(-1)!.args[2];
}

describe("the stack a command works on", function () {
    this.timeout(60_000);

    const cases: { what: string; flag?: string; env?: Record<string, string>; selected?: string; expected: string }[] = [
        { what: "--stack wins over everything", flag: "prod", env: { PULUMI_STACK: "staging" }, selected: "shop", expected: "prod" },
        { what: "then PULUMI_STACK", env: { PULUMI_STACK: "staging" }, selected: "shop", expected: "staging" },
        { what: "then the selected stack", selected: "shop", expected: "shop" },
        { what: "then dev", expected: "dev" },
    ];
    for (const c of cases) {
        it(`${c.what}, for render, verify and admin as for npm run deploy`, () => {
            const { dir, env } = backend(c.selected);
            const name = stackName(c.flag, PROJECT_DIR, { ...env, ...c.env });
            assert.strictEqual(name, c.expected);
            assert.strictEqual(adminArgs(c.flag === undefined ? [] : ["--stack", c.flag], { ...env, ...c.env }).stack, name, "npm run admin takes the same stack");
            assert.strictEqual(deployed(dir, c.flag === undefined ? [] : ["--stack", c.flag], c.env ?? {}), name, "npm run deploy takes the same stack");
        });
    }

    it("without the Pulumi CLI: --stack, PULUMI_STACK, then dev", () => {
        const env = cleanEnv(undefined, fs.mkdtempSync(path.join(os.tmpdir(), "vtm-local-")));
        assert.strictEqual(stackName(undefined, PROJECT_DIR, env), "dev");
        assert.strictEqual(stackName(undefined, PROJECT_DIR, { ...env, PULUMI_STACK: "prod" }), "prod");
    });

    it("npm run render without --stack renders the selected stack's file, and says which stack it rendered", async () => {
        const { env } = backend("prod");
        const r = await cliRender(["--set", "registryPassword=token-token-1", "--set", `imageDigest=sha256:${"ab".repeat(32)}`], env);
        assert.strictEqual(r.status, 0, r.stderr);
        const namespace = (yaml.loadAll(r.stdout) as Record<string, any>[]).find((o) => o.kind === "Deployment")!.metadata.namespace;
        const prod = yaml.load(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> };
        assert.strictEqual(namespace, prod.config["vtm-kubernetes:namespace"]);
        assert.match(r.stderr, /^note: rendering stack prod \(no --stack: PULUMI_STACK, else the selected stack, else dev\)$/m);
    });
});
