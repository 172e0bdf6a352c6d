// Start-up cost, measured: offline rendering next to loading the Pulumi SDK alone, and the program's
// start with and without a TypeScript type-check (what `pulumi up` pays before it registers anything).
// Prints a table of wall times (median and min of several runs).
//
//   npm run bench [-- --runs N]
import { spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const TS_NODE = path.join(ROOT, "node_modules", ".bin", "ts-node");
const SDK_MODULES =
    "require('@pulumi/pulumi'); const k = require('@pulumi/kubernetes'); k.core.v1.ConfigMap; k.apps.v1.Deployment; k.Provider; " +
    "require('@pulumi/random').RandomPassword; require('js-yaml')";

interface Case {
    readonly name: string;
    readonly command: string[];
    readonly env?: Record<string, string>;
}

const CASES: Case[] = [
    { name: "node, empty script (baseline)", command: ["node", "-e", "0"] },
    // What any Pulumi program pays: the SDK and the resource modules this program uses.
    { name: "load the Pulumi SDK and the program's resource modules", command: ["node", "-e", SDK_MODULES] },
    { name: "npm run render -- --stack dev (sucrase)", command: ["node", "-r", "sucrase/register/ts", "scripts/render.ts", "--stack", "dev"] },
    // What `pulumi up` starts with: ts-node, transpile only (tsconfig.pulumi.json sets noCheck).
    { name: "render through ts-node, transpile only (as pulumi up)", command: [TS_NODE, "--transpile-only", "scripts/render.ts", "--stack", "dev"] },
    { name: "render through ts-node with a full type-check", command: [TS_NODE, "scripts/render.ts", "--stack", "dev"] },
];

function time(c: Case): number {
    const start = process.hrtime.bigint();
    const run = spawnSync(c.command[0], c.command.slice(1), { cwd: ROOT, env: { ...process.env, ...c.env }, stdio: ["ignore", "ignore", "pipe"] });
    if (run.status !== 0) throw new Error(`${c.name} failed: ${run.stderr}`);
    return Number(process.hrtime.bigint() - start) / 1e9;
}

function main(): void {
    const runsArg = process.argv.indexOf("--runs");
    const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
    console.log(`Start-up times on this machine, ${runs} runs each (seconds)`);
    console.log(`${"case".padEnd(56)}${"median".padStart(8)}${"min".padStart(8)}`);
    for (const c of CASES) {
        time(c); // warm the file cache
        const times = Array.from({ length: runs }, () => time(c)).sort((a, b) => a - b);
        const median = times[Math.floor(times.length / 2)];
        console.log(`${c.name.padEnd(56)}${median.toFixed(2).padStart(8)}${times[0].toFixed(2).padStart(8)}`);
    }
}

main();
