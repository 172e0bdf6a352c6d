// `npm run deploy` / `npm run pulumi`: the Pulumi CLI on the chosen stack (dev when none is chosen)
// with a local state backend and a generated passphrase, with no Pulumi Cloud account and no prompt. A
// stand-in `pulumi` on PATH records what the script asks of the real one, and remembers the selected
// stack as the real one does.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR } from "../scripts/render";
import { SCRIPT, run } from "./fakePulumi";


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

    it("deploys the stack chosen with --stack, with PULUMI_STACK, or the one selected, and dev only when none is chosen", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-local-"));
        const flag = run(["up", "--yes", "--stack", "prod"], {}, true, dir);
        assert.deepStrictEqual(flag.calls.map((c) => c.args), [
            ["stack", "select", "prod", "--create", "--secrets-provider", "passphrase", "--non-interactive"],
            ["up", "--yes", "--stack", "prod"],
        ]);
        assert.match(flag.stderr, /^Stack: prod \(backend file:\/\/.*\)$/m);
        // `npm run pulumi -- stack init shop` selects shop: the next `npm run deploy` deploys it, not dev.
        const init = run(["stack", "init", "shop"], {}, true, dir);
        assert.deepStrictEqual(init.calls.slice(-1).map((c) => c.args), [["stack", "init", "shop"]]);
        const next = run(["up", "--yes"], {}, true, dir);
        assert.deepStrictEqual(next.calls.slice(-2).map((c) => c.args[2] ?? c.args[0]), ["shop", "up"]);
        const env = run(["up", "--yes"], { PULUMI_STACK: "staging" }, true, dir);
        assert.strictEqual(env.calls.slice(-2)[0].args[2], "staging");
        const fresh = run(["up", "--yes"]);
        assert.strictEqual(fresh.calls[0].args[2], "dev");
    });

    it("refuses a Pulumi CLI older than the README's minimum (3.187), saying which it found", () => {
        const old = run(["up", "--yes"], { FAKE_PULUMI_VERSION: "v3.186.2" });
        assert.strictEqual(old.status, 1);
        assert.match(old.stderr, /The Pulumi CLI is 3\.186\.2; this project needs 3\.187\.0 or later/);
        assert.deepStrictEqual(old.calls, []);
        assert.strictEqual(run(["up", "--yes"], { FAKE_PULUMI_VERSION: "v3.187.0" }).status, 0);
        assert.strictEqual(run(["up", "--yes"], { FAKE_PULUMI_VERSION: "v3.210.1-dev.0" }).status, 0);
        const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
        const stated = /Pulumi CLI\*\*,? (\d+\.\d+) or later/.exec(readme)?.[1];
        const script = /^MIN_PULUMI_VERSION=(\d+\.\d+)\.0$/m.exec(fs.readFileSync(SCRIPT, "utf8"))?.[1];
        assert.ok(stated !== undefined && stated === script, `README states ${stated}, the script checks ${script}`);
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
