// Did it work? Checks a deployed stack end to end: the rollout, the configuration each traffic
// manager pod imported (through a port-forward to its REST API), and every service endpoint.
//
//   npm run verify -- [--stack NAME] [--wait SECONDS] [--json]
//
// Exit code 0: every check holds; 1: a check failed (or --wait ran out); 2: verify could not run.
import { VerifyOptions, verify } from "./verify/index";
import { EXIT, exitCode, jsonReport, textReport } from "./verify/report";

const USAGE = "usage: npm run verify -- [--stack NAME] [--wait SECONDS] [--json]";

export interface VerifyArgs {
    readonly options: VerifyOptions;
    readonly json: boolean;
}

export function parseArgs(argv: readonly string[]): VerifyArgs {
    let stack: string | undefined;
    let waitSeconds = 0;
    let json = false;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const value = () => {
            const v = argv[++i];
            if (v === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
            return v;
        };
        if (arg === "--stack") stack = value();
        else if (arg === "--wait") {
            const raw = value();
            waitSeconds = Number(raw);
            if (!/^\d+$/.test(raw)) throw new Error(`--wait takes whole seconds (0 or more), not '${raw}'\n${USAGE}`);
        } else if (arg === "--json") json = true;
        else throw new Error(`unknown argument '${arg}'\n${USAGE}`);
    }
    return { options: { stack: stack ?? process.env.PULUMI_STACK, waitSeconds }, json };
}

async function main(argv: string[]): Promise<number> {
    const { options, json } = parseArgs(argv);
    const progress = (line: string) => process.stderr.write(`${line}\n`);
    const result = await verify({ ...options, progress });
    process.stdout.write(json ? jsonReport(result) : textReport(result));
    return exitCode(result);
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        // Exit now: a tunnel or socket the cluster left half-open must not keep the command running.
        (code) => process.exit(code),
        (err: Error) => {
            process.stderr.write(`verify could not run: ${err.message}\n`);
            process.exit(EXIT.error);
        },
    );
}
