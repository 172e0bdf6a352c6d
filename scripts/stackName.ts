// The stack a command works on, by the one rule that npm run deploy follows too (scripts/stack.sh):
// --stack, else PULUMI_STACK, else the stack selected in the local backend, else dev.
import { spawnSync } from "child_process";
import * as path from "path";

const SCRIPT = path.join(__dirname, "stack.sh");

/** The stack of a command run in `projectDir` with `--stack flag` (or without), as scripts/stack.sh decides it. */
export function stackName(flag: string | undefined, projectDir: string, env: NodeJS.ProcessEnv = process.env): string {
    const run = spawnSync("bash", [SCRIPT, ...(flag === undefined ? [] : ["--stack", flag])], { cwd: projectDir, env, encoding: "utf8" });
    const name = (run.stdout ?? "").trim();
    if (run.status !== 0 || name === "") throw new Error(`could not work out the stack (bash ${SCRIPT}: ${(run.error?.message || run.stderr || "no output").trim()}); name one with --stack NAME`);
    return name;
}
