// Did it work? Checks a deployed stack end to end: the rollout, the configuration each traffic
// manager pod imported (through a port-forward to its REST API), and every service endpoint.
//
//   npm run verify -- [--stack NAME] [--wait SECONDS] [--json]
//
// Exit code 0: every check holds; 1: a check failed (or --wait ran out); 2: verify could not run.
import { readFlags } from "./cliFlags";
import { CliIo, PROCESS_IO } from "./render";
import { VerifyOptions, verify } from "./verify/index";
import { EXIT, exitCode, jsonReport, textReport } from "./verify/report";

const USAGE = "usage: npm run verify -- [--stack NAME] [--wait SECONDS] [--json]";

export interface VerifyArgs {
    readonly options: VerifyOptions;
    readonly json: boolean;
    readonly help?: boolean;
}

export function parseArgs(argv: readonly string[]): VerifyArgs {
    const flags = readFlags(argv, USAGE, { values: ["--stack", "--wait"], switches: ["--json"] });
    if (flags.help) return { options: {}, json: false, help: true };
    const wait = flags.values["--wait"] ?? "0";
    if (!/^\d+$/.test(wait)) throw new Error(`--wait takes whole seconds (0 or more), not '${wait}'\n${USAGE}`);
    return { options: { stack: flags.values["--stack"], waitSeconds: Number(wait) }, json: flags.switches.has("--json") };
}

/** `npm run verify -- <argv>`: prints the report; returns the exit code (0 ok, 1 a check failed, 2 could not run). */
export async function verifyCli(argv: string[], io: Pick<CliIo, "stdout" | "stderr"> = PROCESS_IO): Promise<number> {
    try {
        const { options, json, help } = parseArgs(argv);
        if (help) {
            io.stdout(`${USAGE}\n`);
            return EXIT.ok;
        }
        const result = await verify({ ...options, progress: (line) => io.stderr(`${line}\n`) });
        io.stdout(json ? jsonReport(result) : textReport(result));
        return exitCode(result);
    } catch (err) {
        io.stderr(`verify could not run: ${(err as Error).message}\n`);
        return EXIT.error;
    }
}

if (require.main === module) {
    // Exit now: a tunnel or socket the cluster left half-open must not keep the command running.
    verifyCli(process.argv.slice(2)).then((code) => process.exit(code));
}
