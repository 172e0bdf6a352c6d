// `npm run deploy` / `npm run pulumi`: the Pulumi CLI on the dev stack with a local state backend and
// a generated passphrase, with no Pulumi Cloud account and no prompt. A stand-in `pulumi` on PATH
// records what the script asks of the real one.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR } from "../scripts/render";

const SCRIPT = path.join(PROJECT_DIR, "scripts", "pulumi-local.sh");

interface Run {
    status: number | null;
    stderr: string;
    calls: { args: string[]; backend: string; passphraseFile: string; passphrase: string }[];
}

function run(args: string[], env: Record<string, string> = {}, withPulumi = true, dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-local-"))): Run & { local: string } {
    const bin = path.join(dir, "bin");
    const log = path.join(dir, "calls.jsonl");
    fs.mkdirSync(bin, { recursive: true });
    if (withPulumi) {
        fs.writeFileSync(
            path.join(bin, "pulumi"),
            `#!/usr/bin/env node\nrequire("fs").appendFileSync(${JSON.stringify(log)}, JSON.stringify({args: process.argv.slice(2), backend: process.env.PULUMI_BACKEND_URL || "", passphraseFile: process.env.PULUMI_CONFIG_PASSPHRASE_FILE || "", passphrase: process.env.PULUMI_CONFIG_PASSPHRASE ?? "<unset>"}) + "\\n");\n`,
            { mode: 0o755 },
        );
    }
    const local = path.join(dir, "local");
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PULUMI_")));
    const result = spawnSync("bash", [SCRIPT, ...args], {
        encoding: "utf8",
        env: { ...clean, PATH: `${bin}:/usr/bin:/bin`, VTM_LOCAL_DIR: local, ...env },
    });
    const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l)) : [];
    return { status: result.status, stderr: result.stderr, calls, local };
}

describe("scripts/pulumi-local.sh (npm run deploy)", () => {
    it("selects or creates the dev stack with a passphrase provider, then runs the command on a local backend", () => {
        const r = run(["up", "--yes"]);
        assert.strictEqual(r.status, 0, r.stderr);
        assert.deepStrictEqual(r.calls.map((c) => c.args), [
            ["stack", "select", "dev", "--create", "--secrets-provider", "passphrase", "--non-interactive"],
            ["up", "--yes"],
        ]);
        for (const c of r.calls) {
            assert.strictEqual(c.backend, `file://${r.local}/state`);
            assert.strictEqual(c.passphraseFile, `${r.local}/passphrase`);
        }
        assert.ok(fs.statSync(`${r.local}/state`).isDirectory(), "a file backend needs its directory to exist");
    });

    it("generates a passphrase once, readable only by the user, and keeps it", () => {
        const r = run(["preview"]);
        const file = `${r.local}/passphrase`;
        const first = fs.readFileSync(file, "utf8");
        assert.ok(first.trim().length >= 40);
        assert.strictEqual(fs.statSync(file).mode & 0o777, 0o600);
        const again = run(["stack", "output"], {}, true, path.dirname(r.local));
        assert.strictEqual(again.status, 0, again.stderr);
        assert.strictEqual(again.calls[again.calls.length - 1].passphraseFile, file);
        assert.strictEqual(fs.readFileSync(file, "utf8"), first);
    });

    it("leaves the user's own backend, passphrase and stack alone", () => {
        const r = run(["up"], { PULUMI_BACKEND_URL: "s3://team-state", PULUMI_CONFIG_PASSPHRASE: "theirs", PULUMI_STACK: "prod" });
        assert.strictEqual(r.status, 0, r.stderr);
        assert.deepStrictEqual(r.calls[0].args.slice(0, 3), ["stack", "select", "prod"]);
        assert.strictEqual(r.calls[1].backend, "s3://team-state");
        assert.strictEqual(r.calls[1].passphrase, "theirs");
        assert.strictEqual(r.calls[1].passphraseFile, "");
        assert.ok(!fs.existsSync(`${r.local}/passphrase`));
    });

    it("says how to get the Pulumi CLI when it is missing", () => {
        const r = run(["up"], {}, false);
        assert.strictEqual(r.status, 127);
        assert.match(r.stderr, /The Pulumi CLI is not on PATH: install it/);
    });

    it("is what npm run deploy and npm run pulumi call", () => {
        const scripts = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")).scripts;
        assert.strictEqual(scripts.deploy, "bash scripts/pulumi-local.sh up --yes");
        assert.strictEqual(scripts.pulumi, "bash scripts/pulumi-local.sh");
    });
});
