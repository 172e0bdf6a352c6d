// A stand-in `pulumi` on PATH for the deploy wrapper (scripts/pulumi-local.sh): it records what it is
// asked to run, answers `version` and `stack --show-name`, and remembers the selected stack as the real
// CLI does.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR } from "../scripts/render";

export const SCRIPT = path.join(PROJECT_DIR, "scripts", "pulumi-local.sh");

/** A folder with a stand-in `pulumi` in bin/ that logs its calls to calls.jsonl. */
export function fakePulumiDir(dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-local-"))): { dir: string; bin: string; log: string } {
    const bin = path.join(dir, "bin");
    const log = path.join(dir, "calls.jsonl");
    const selected = path.join(dir, "selected-stack");
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(
        path.join(bin, "pulumi"),
        [
            "#!/usr/bin/env node",
            'const fs = require("fs");',
            "const args = process.argv.slice(2);",
            `fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({args, backend: process.env.PULUMI_BACKEND_URL || "", passphraseFile: process.env.PULUMI_CONFIG_PASSPHRASE_FILE || "", passphrase: process.env.PULUMI_CONFIG_PASSPHRASE ?? "<unset>"}) + "\\n");`,
            `if (args[0] === "version") console.log(process.env.FAKE_PULUMI_VERSION || "v3.205.0");`,
            `if (args[0] === "stack" && ["select", "init"].includes(args[1])) fs.writeFileSync(${JSON.stringify(selected)}, args[2]);`,
            `if (args[0] === "stack" && args[1] === "--show-name") { if (!fs.existsSync(${JSON.stringify(selected)})) { console.error("error: no stack selected"); process.exit(255); } console.log(fs.readFileSync(${JSON.stringify(selected)}, "utf8")); }`,
            "",
        ].join("\n"),
        { mode: 0o755 },
    );
    return { dir, bin, log };
}

export interface Call {
    args: string[];
    backend: string;
    passphraseFile: string;
    passphrase: string;
}

/** What the script ran: the questions it asks (its version, the selected stack) are left out. */
export function callsIn(log: string): Call[] {
    const asked = (args: string[]) => args[0] === "version" || (args[0] === "stack" && args[1] === "--show-name");
    return (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Call) : []).filter((c) => !asked(c.args));
}

/** The environment the wrapper runs in: no ambient PULUMI_* variables, the stand-in first on PATH. */
export function cleanEnv(bin: string | undefined, local: string, env: Record<string, string> = {}): NodeJS.ProcessEnv {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PULUMI_")));
    return { ...clean, PATH: bin === undefined ? "/usr/bin:/bin" : `${bin}:${path.dirname(process.execPath)}:/usr/bin:/bin`, VTM_LOCAL_DIR: local, ...env };
}

export interface Run {
    status: number | null;
    stderr: string;
    calls: Call[];
    local: string;
}

/** Runs the wrapper with `args`, with or without the stand-in. */
export function run(args: string[], env: Record<string, string> = {}, withPulumi = true, dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-local-"))): Run {
    const fake = withPulumi ? fakePulumiDir(dir) : { dir, bin: undefined, log: path.join(dir, "calls.jsonl") };
    const local = path.join(dir, "local");
    const result = spawnSync("bash", [SCRIPT, ...args], { encoding: "utf8", env: cleanEnv(fake.bin, local, env) });
    return { status: result.status, stderr: result.stderr, calls: callsIn(fake.log), local };
}
