// The stack's `serviceEndpoints` output through the Pulumi CLI, when it is installed and the stack
// can be read; with the local backend of `npm run deploy` when no other backend is set. Without the
// CLI, verify works the endpoints out from the cluster instead, and says so.
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PULUMI } from "../../settings/commands";
import { StackOutputsReader } from "./types";

/** How long `pulumi stack output` may take. */
const CLI_TIMEOUT_MS = 30_000;

/** The environment scripts/pulumi-local.sh sets, unless the user has a backend of their own. */
export function localBackendEnv(projectDir: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    const local = env.VTM_LOCAL_DIR ?? path.join(projectDir, ".pulumi-local");
    if (env.PULUMI_BACKEND_URL !== undefined || !fs.existsSync(path.join(local, "state"))) return env;
    const passphrase = path.join(local, "passphrase");
    const withPassphrase = env.PULUMI_CONFIG_PASSPHRASE === undefined && env.PULUMI_CONFIG_PASSPHRASE_FILE === undefined && fs.existsSync(passphrase);
    return { ...env, PULUMI_BACKEND_URL: `file://${path.join(local, "state")}`, ...(withPassphrase ? { PULUMI_CONFIG_PASSPHRASE_FILE: passphrase } : {}) };
}

/** Reads `serviceEndpoints` with `pulumi stack output --json`; says why not when it cannot. */
export function pulumiOutputs(projectDir: string, command = "pulumi"): StackOutputsReader {
    return (stack) =>
        new Promise((resolve) => {
            execFile(
                command,
                ["stack", "output", "serviceEndpoints", "--json", "--stack", stack, "--non-interactive"],
                { cwd: projectDir, env: localBackendEnv(projectDir, process.env), timeout: CLI_TIMEOUT_MS },
                (err, stdout, stderr) => {
                    if (err) {
                        const why = (err as NodeJS.ErrnoException).code === "ENOENT" ? "the Pulumi CLI is not installed" : `${PULUMI} stack output failed: ${(stderr || err.message).trim().split("\n")[0]}`;
                        resolve({ note: why });
                        return;
                    }
                    try {
                        const endpoints = JSON.parse(stdout) as unknown;
                        if (typeof endpoints === "object" && endpoints !== null && Object.values(endpoints).every((v) => typeof v === "string")) {
                            resolve({ endpoints: endpoints as Record<string, string>, note: `the stack's serviceEndpoints output (${PULUMI} stack output, stack ${stack})` });
                        } else {
                            resolve({ note: "the stack has no serviceEndpoints output" });
                        }
                    } catch {
                        resolve({ note: `${PULUMI} stack output did not print JSON` });
                    }
                },
            );
        });
}
