// `npm run scan`: checkov on what every shipped stack deploys, in every exposure mode, offline. checkov
// comes from PyPI, pinned, into a venv cached between runs; every stack is rendered the way a user
// renders it (`npm run -s render -- --out`); any failed check not in checkov-exceptions.json (each with
// its reason) fails the scan, and so does an exception no stack needs any more.
//
//   npm run scan [-- --keep DIR]
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";

const ROOT = path.resolve(__dirname, "..");
/** The pinned checkov (3.3, the release the issue measured with). */
export const CHECKOV_VERSION = "3.3.30";
const CACHE = process.env.VTM_CHECKOV_CACHE ?? path.join(os.homedir(), ".cache", "vtm-kubernetes", `checkov-${CHECKOV_VERSION}`);
/** A digest for the prod stack's placeholder, which the program refuses (any well-formed one renders). */
const SCAN_DIGEST = `sha256:${"ab".repeat(32)}`;

interface Stack {
    readonly label: string;
    readonly stack: string;
    readonly set: Readonly<Record<string, string>>;
}

/** The docs' whole stack file (docs/configuration.md), as --set values over the dev stack. */
function shopStack(): Record<string, string> {
    const text = fs.readFileSync(path.join(ROOT, "docs/configuration.md"), "utf8");
    const at = text.indexOf("A whole stack file, `Pulumi.shop.yaml`");
    const block = /```yaml\n([\s\S]*?)```/.exec(text.slice(at))?.[1];
    if (at < 0 || block === undefined) throw new Error("docs/configuration.md: no Pulumi.shop.yaml block");
    const config = (yaml.load(block) as { config: Record<string, unknown> }).config;
    return Object.fromEntries(Object.entries(config).map(([k, v]) => [k.replace(/^vtm-kubernetes:/, ""), typeof v === "string" ? v : JSON.stringify(v)]));
}

const EXPOSURES = ["NodePort", "LoadBalancer", "HostNetwork"];

/** Every shipped stack (dev, prod) and the docs' stack file, in every exposure mode. */
export function scannedStacks(): Stack[] {
    const prod = { registryPassword: "scan-registry-token", imageDigest: SCAN_DIGEST };
    return EXPOSURES.flatMap((exposure) => {
        // On the host network the default image's admin interfaces face the node: refused unless accepted.
        const mode: Record<string, string> = exposure === "HostNetwork" ? { exposure, "security.acceptAdminExposure": "CVE-2024-7593" } : { exposure };
        return [
            { label: `dev-${exposure}`, stack: "dev", set: mode },
            { label: `prod-${exposure}`, stack: "prod", set: { ...prod, ...mode } },
            { label: `shop-${exposure}`, stack: "dev", set: { ...shopStack(), ...mode } },
        ];
    });
}

function run(cmd: string, args: string[]): string {
    const r = spawnSync(cmd, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status ?? r.signal}):\n${r.stderr}${r.stdout}`);
    return r.stdout;
}

/** The cached venv's checkov, installed from PyPI the first time. */
function checkov(): string {
    const bin = path.join(CACHE, "bin", "checkov");
    if (fs.existsSync(bin)) return bin;
    const started = Date.now();
    process.stderr.write(`installing checkov ${CHECKOV_VERSION} from PyPI into ${CACHE} (once; about 1-2 minutes)\n`);
    fs.rmSync(CACHE, { recursive: true, force: true });
    run("python3", ["-m", "venv", CACHE]);
    run(path.join(CACHE, "bin", "pip"), ["install", "--quiet", "--disable-pip-version-check", `checkov==${CHECKOV_VERSION}`]);
    process.stderr.write(`installed in ${Math.round((Date.now() - started) / 1000)} s\n`);
    return bin;
}

export interface Exception {
    readonly check: string;
    /** checkov's resource id; `*` matches any run of characters. */
    readonly resource: string;
    /** The renders it applies to (`dev-NodePort`, `*-HostNetwork`, …). @default every one */
    readonly stacks?: readonly string[];
    readonly reason: string;
}

export const EXCEPTIONS_FILE = path.join(__dirname, "checkov-exceptions.json");

function matches(pattern: string, text: string): boolean {
    return new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`).test(text);
}

export interface Finding {
    readonly stack: string;
    readonly check: string;
    readonly resource: string;
    readonly name: string;
}

/** The failed checks no exception accepts, and the exceptions no failure needed. */
export function judge(findings: readonly Finding[], exceptions: readonly Exception[]): { refused: Finding[]; unused: Exception[] } {
    const accepts = (e: Exception, f: Finding) =>
        e.check === f.check && matches(e.resource, f.resource) && (e.stacks === undefined || e.stacks.some((s) => matches(s, f.stack)));
    return {
        refused: findings.filter((f) => !exceptions.some((e) => accepts(e, f))),
        unused: exceptions.filter((e) => !findings.some((f) => accepts(e, f))),
    };
}

interface Report {
    readonly results: { readonly failed_checks: any[]; readonly passed_checks: any[] };
}

/** checkov on one render, offline: no API key, no download of platform data, no upload. */
function scanOne(bin: string, dir: string): Promise<Report> {
    return new Promise((resolve, reject) => {
        const child = spawn(bin, ["-d", dir, "--framework", "kubernetes", "--skip-download", "--skip-results-upload", "-o", "json", "--compact"]);
        let out = "";
        let err = "";
        child.stdout.on("data", (c) => (out += c));
        child.stderr.on("data", (c) => (err += c));
        child.on("close", (code) => {
            // checkov exits 1 when a check fails; the report says which.
            try {
                resolve(JSON.parse(out) as Report);
            } catch {
                reject(new Error(`checkov -d ${dir} gave no report (exit ${code}):\n${err}${out.slice(0, 2000)}`));
            }
        });
    });
}

/** Runs `work` over `items`, `jobs` at a time, keeping their order. */
async function pool<T, R>(items: readonly T[], jobs: number, work: (item: T) => Promise<R>): Promise<R[]> {
    const results: R[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            results[i] = await work(items[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
    return results;
}

async function main(argv: string[]): Promise<number> {
    const keep = argv[0] === "--keep" ? argv[1] : undefined;
    const t0 = Date.now();
    const bin = checkov();
    const tInstalled = Date.now();
    const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), "vtm-scan-"));
    const stacks = scannedStacks();
    for (const s of stacks) {
        const set = Object.entries(s.set).flatMap(([k, v]) => ["--set", `${k}=${v}`]);
        run("npm", ["run", "-s", "render", "--", "--stack", s.stack, ...set, "--out", path.join(dir, s.label)]);
    }
    const tRendered = Date.now();
    // One checkov run per render: in one run over all of them, a NetworkPolicy of one stack would count
    // for the pods of another in the same namespace (checkov's graph checks, such as CKV2_K8S_6).
    const reports = await pool(stacks, Number(process.env.VTM_SCAN_JOBS ?? 2), (s) => scanOne(bin, path.join(dir, s.label)));
    const tScanned = Date.now();
    const findings: Finding[] = stacks.flatMap((s, i) => reports[i].results.failed_checks.map((c) => ({ stack: s.label, check: c.check_id, resource: c.resource, name: c.check_name })));
    const exceptions = JSON.parse(fs.readFileSync(EXCEPTIONS_FILE, "utf8")).exceptions as Exception[];
    const { refused, unused } = judge(findings, exceptions);
    for (const [i, s] of stacks.entries()) {
        const failed = findings.filter((f) => f.stack === s.label);
        const accepted = failed.length - refused.filter((f) => f.stack === s.label).length;
        process.stdout.write(`${s.label.padEnd(22)} ${String(reports[i].results.passed_checks.length).padStart(4)} passed ${String(failed.length).padStart(3)} failed (${accepted} accepted)\n`);
    }
    const seconds = (a: number, b: number) => ((b - a) / 1000).toFixed(1);
    process.stdout.write(`checkov ${CHECKOV_VERSION}: install or cache ${seconds(t0, tInstalled)} s, ${stacks.length} renders ${seconds(tInstalled, tRendered)} s, scans ${seconds(tRendered, tScanned)} s\n`);
    for (const f of refused) process.stdout.write(`FAIL ${f.stack}: ${f.check} ${f.resource}: ${f.name} (not in tools/checkov-exceptions.json)\n`);
    for (const e of unused) process.stdout.write(`FAIL exception ${e.check} ${e.resource} matches no failed check any more: remove it from tools/checkov-exceptions.json\n`);
    if (keep === undefined) fs.rmSync(dir, { recursive: true, force: true });
    return refused.length + unused.length === 0 ? 0 : 1;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (err: Error) => {
            process.stderr.write(`scan could not run: ${err.message}\n`);
            process.exit(2);
        },
    );
}
