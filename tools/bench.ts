// Measured, not asserted: (1) how rendering grows with the number of services, (2) start-up cost:
// offline rendering next to loading the Pulumi SDK alone, and the program's start with and without a
// TypeScript type-check (what `pulumi up` pays before it registers anything), and (3) what validating
// the documents costs: the schema's one-time compile or load, then each validation of the documents
// of 10 and 1,000 services, beside a render of as many, and (4) a deploy with the real engine beside
// kubectl (tools/deployBench.ts; only with --only deploy: it needs the Pulumi CLI and a cluster).
// Prints tables of wall times (median and min of several runs).
//
//   npm run bench [-- --runs N] [--only scaling|startup|validation|deploy]   (N: 5, and 3 for deploy)
import { spawnSync } from "child_process";
import * as path from "path";
import { entrySize } from "../vtm/sharding";
import { loadBaseDocuments } from "../vtm/baseDocuments";
import { loadConfigFiles } from "../vtm/configFiles";
import { generatedDocuments, stackApiVersion } from "../vtm/configuration";
import { CONFIG_DIR } from "../vtm/documents";
import { DocumentInput, validateDocuments } from "../vtm/validation";
import { render, stackSettings } from "../scripts/render";
import { deploy, median } from "./deployBench";

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
    // What `pulumi up` loads: boot.js (Pulumi.yaml nodeargs), then index.ts and the modules it imports, through sucrase.
    { name: "load index.ts as pulumi up does (node --require ./boot.js)", command: ["node", "--require", "./boot.js", "-e", "require('./index.ts')"] },
    // What the language host's TypeScript support would start with: ts-node, transpile only.
    { name: "render through ts-node, transpile only", command: [TS_NODE, "--transpile-only", "scripts/render.ts", "--stack", "dev"] },
    { name: "render through ts-node with a full type-check", command: [TS_NODE, "scripts/render.ts", "--stack", "dev"] },
];

function time(c: Case): number {
    const start = process.hrtime.bigint();
    const run = spawnSync(c.command[0], c.command.slice(1), { cwd: ROOT, env: { ...process.env, ...c.env }, stdio: ["ignore", "ignore", "pipe"] });
    if (run.status !== 0) throw new Error(`${c.name} failed: ${run.stderr}`);
    return Number(process.hrtime.bigint() - start) / 1e9;
}

const SIZES = [1, 10, 100, 1000];

/** Stack config with n HTTP services, each over a pool of its own. */
function servicesConfig(n: number, image?: string): Record<string, string> {
    const services: Record<string, unknown> = {};
    const pools: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
        services[`svc${i}`] = { port: 10000 + i, pool: `pool${i}`, responseRules: ["Response-Headers"] };
        pools[`pool${i}`] = { serviceName: `app${i}`, portName: "http", monitors: ["Simple HTTP"] };
    }
    return { services: JSON.stringify(services), pools: JSON.stringify(pools), ...(image === undefined ? {} : { image }) };
}

interface Rendered {
    readonly seconds: number;
    readonly objects: number;
    readonly configMaps: number;
    readonly documentBytes: number;
}

async function renderServices(n: number, image?: string): Promise<Rendered> {
    const set = servicesConfig(n, image);
    const start = process.hrtime.bigint();
    const result = await render({ stack: "dev", set, includeSecrets: true });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const documents = result.objects.filter((o) => o.kind === "ConfigMap" && /^vtm-config(-\d+)?$/.test(o.metadata.name));
    const documentBytes = documents.flatMap((cm) => Object.entries(cm.data ?? {})).reduce((sum, [k, v]) => sum + entrySize(k, v as string), 0);
    return { seconds, objects: result.objects.length, configMaps: documents.length, documentBytes };
}

/** The validation share is measured for the default image (API 6.2) and a 22.x one (API 8.3). */
const IMAGES = ["pulsesecure/vtm:19.1", "pulsesecure/vtm:22.7R2"];

/** A small render takes tens of milliseconds, of which the services' share is a few: many runs. */
const smallRuns = (runs: number) => runs * 6;

async function scaling(runs: number): Promise<void> {
    const pairs = smallRuns(runs);
    console.log(`Rendering n services (each with a pool) under the mocks, in process, ${pairs} runs each, each beside a render of 0 services`);
    console.log(`${"services".padStart(8)}${"wall s".padStart(9)}${"ms/service".padStart(12)}${"marginal ms/service".padStart(21)}${"objects".padStart(9)}${"configmaps".padStart(12)}${"documents KiB".padStart(15)}`);
    await renderServices(1); // warm the module and file caches
    const perService: Record<number, { raw: number; marginal: number }> = {};
    const baselines: number[] = [];
    for (const n of SIZES) {
        // Renders run one after another (the mock runtime is one per process). Each render of n services
        // is paired with one of none, so the fixed cost (provider, foundation, outputs) is taken out of
        // the marginal figure under the same conditions: drift and garbage collection hit both alike.
        const results: Rendered[] = [];
        const differences: number[] = [];
        for (let i = 0; i < pairs; i++) {
            const none = (await renderServices(0)).seconds;
            const some = await renderServices(n);
            baselines.push(none);
            results.push(some);
            differences.push(some.seconds - none);
        }
        const seconds = median(results.map((r) => r.seconds));
        const marginal = (median(differences) / n) * 1000;
        const last = results[results.length - 1];
        perService[n] = { raw: (seconds / n) * 1000, marginal };
        console.log(
            `${String(n).padStart(8)}${seconds.toFixed(3).padStart(9)}${perService[n].raw.toFixed(2).padStart(12)}${marginal.toFixed(2).padStart(21)}` +
                `${String(last.objects).padStart(9)}${String(last.configMaps).padStart(12)}${(last.documentBytes / 1024).toFixed(1).padStart(15)}`,
        );
    }
    console.log(`fixed cost of a render with no services (median): ${median(baselines).toFixed(3)} s`);
    console.log(`per-service time at 1000 / at 10: ${(perService[1000].raw / perService[10].raw).toFixed(2)} (wall time / n, fixed cost included)`);
    console.log(`marginal per-service time at 1000 / at 10: ${(perService[1000].marginal / perService[10].marginal).toFixed(2)}; at 1000 / at 100: ${(perService[1000].marginal / perService[100].marginal).toFixed(2)}`);
}

function startup(runs: number): void {
    console.log(`Start-up times on this machine, ${runs} runs each (seconds)`);
    console.log(`${"case".padEnd(56)}${"median".padStart(8)}${"min".padStart(8)}`);
    for (const c of CASES) {
        time(c); // warm the file cache
        const times = Array.from({ length: runs }, () => time(c)).sort((a, b) => a - b);
        console.log(`${c.name.padEnd(56)}${median(times).toFixed(2).padStart(8)}${times[0].toFixed(2).padStart(8)}`);
    }
}

/** The documents validated for n services: the base ones and those generated from the services and pools settings. */
function documentsFor(n: number, image: string): { documents: DocumentInput[]; apiVersion: number } {
    const settings = stackSettings({ stack: "dev", set: servicesConfig(n, image), includeSecrets: true });
    const apiVersion = stackApiVersion(settings);
    const base = loadBaseDocuments(CONFIG_DIR, apiVersion);
    const files = loadConfigFiles(CONFIG_DIR, settings.documents);
    const input = { services: settings.services, pools: settings.pools, files, baseDocuments: [base.base, base.healthcheck], dataMounts: [], configMounts: [], apiVersion };
    const generated: DocumentInput[] = Object.values(generatedDocuments(input)).map((document) => ({ source: "generated", document }));
    return { documents: [...[base.base, base.healthcheck].map((d) => ({ source: d.source, document: d.document })), ...generated], apiVersion };
}

/**
 * Milliseconds a fresh process takes to load the validator's module (mostly transpiling it; the
 * transpiler itself is loaded before), then to validate a first document (compiling the schema, or
 * loading its compiled code).
 */
function firstValidation(cache: "on" | "off"): { load: number; first: number } {
    const script =
        "require('./vtm/text'); const t0 = process.hrtime.bigint(); const v = require('./vtm/schemaValidator'); const t1 = process.hrtime.bigint();" +
        "v.schemaFor(6.2).validate({ version: 6.2 }); const t2 = process.hrtime.bigint();" +
        "console.log(JSON.stringify({ load: Number(t1 - t0) / 1e6, first: Number(t2 - t1) / 1e6 }))";
    const run = spawnSync("node", ["-r", "sucrase/register/ts", "-e", script], { cwd: ROOT, env: { ...process.env, VTM_SCHEMA_CACHE: cache }, encoding: "utf8" });
    if (run.status !== 0) throw new Error(`validator start failed: ${run.stderr}`);
    return JSON.parse(run.stdout);
}

async function validation(runs: number): Promise<void> {
    const starts = (cache: "on" | "off") => Array.from({ length: runs }, () => firstValidation(cache));
    firstValidation("on"); // make sure the compiled code is cached
    console.log(`Validation: the schema once per process, ${runs} fresh processes each (ms)`);
    for (const [name, cache] of [["compiled code cached (every run after the first)", "on"], ["no cache: compile the schema", "off"]] as const) {
        const s = starts(cache);
        console.log(`  ${name.padEnd(52)} load module ${median(s.map((x) => x.load)).toFixed(0).padStart(5)}   first validation ${median(s.map((x) => x.first)).toFixed(0).padStart(5)}`);
    }
    console.log(`Validating the documents of n services, in process after the first (${smallRuns(runs)} runs), beside a render of n services`);
    console.log(`${"image".padEnd(24)}${"API".padStart(5)}${"services".padStart(9)}${"documents".padStart(11)}${"validate ms".padStart(13)}${"render ms".padStart(11)}${"share".padStart(8)}${"cpu ms".padStart(10)}${"cpu ms".padStart(10)}${"share".padStart(8)}`);
    for (const [image, n] of IMAGES.flatMap((i) => [10, 1000].map((n) => [i, n] as const))) {
        const { documents, apiVersion } = documentsFor(n, image);
        const context = { mountedFiles: new Set(["data/Response-Headers.trafficscript"]), apiVersion };
        const problems = validateDocuments(documents, context).filter((f) => f.severity === "error");
        if (problems.length > 0) throw new Error(`the benchmark's documents are not valid: ${JSON.stringify(problems[0])}`);
        // Wall time, and this process's CPU time, which other work on a shared machine disturbs less.
        const cpuMs = (since: NodeJS.CpuUsage) => {
            const used = process.cpuUsage(since);
            return (used.user + used.system) / 1000;
        };
        const times: number[] = [];
        const cpu: number[] = [];
        for (let i = 0; i < smallRuns(runs); i++) {
            const [start, startCpu] = [process.hrtime.bigint(), process.cpuUsage()];
            validateDocuments(documents, context);
            cpu.push(cpuMs(startCpu));
            times.push(Number(process.hrtime.bigint() - start) / 1e6);
        }
        const renders: number[] = [];
        const renderCpu: number[] = [];
        for (let i = 0; i < runs; i++) {
            const startCpu = process.cpuUsage();
            renders.push((await renderServices(n, image)).seconds * 1000);
            renderCpu.push(cpuMs(startCpu));
        }
        const [v, r, vc, rc] = [median(times), median(renders), median(cpu), median(renderCpu)];
        const share = (a: number, b: number) => `${((a / b) * 100).toFixed(1)}%`;
        console.log(
            `${image.padEnd(24)}${String(apiVersion).padStart(5)}${String(n).padStart(9)}${String(documents.length).padStart(11)}${v.toFixed(1).padStart(13)}${r.toFixed(0).padStart(11)}${share(v, r).padStart(8)}` +
                `${vc.toFixed(1).padStart(10)}${rc.toFixed(0).padStart(10)}${share(vc, rc).padStart(8)}`,
        );
    }
}

async function main(): Promise<void> {
    const arg = (name: string) => (process.argv.indexOf(name) > 0 ? process.argv[process.argv.indexOf(name) + 1] : undefined);
    const runs = arg("--runs") === undefined ? undefined : Number(arg("--runs"));
    const only = arg("--only");
    if (only === undefined || only === "scaling") await scaling(runs ?? 5);
    if (only === undefined) console.log("");
    if (only === undefined || only === "startup") startup(runs ?? 5);
    if (only === undefined) console.log("");
    if (only === undefined || only === "validation") await validation(runs ?? 5);
    if (only === "deploy") await deploy(runs ?? 3);
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
