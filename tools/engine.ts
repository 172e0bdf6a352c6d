// The real Pulumi engine, driven the way users drive it: the Pulumi CLI on PATH (through the Automation
// API, or as a command), a file backend in a temporary folder of its own, a passphrase, and the cluster
// the kubeconfig names. Used by the e2e suite (tests/e2e/) and `npm run bench -- --only deploy`; it
// takes any program directory (this project, or a Pulumi YAML or Python program that uses it).
//
// Nothing is written into the program's directory: each stack runs in a copy of it (as a clone would
// be; node_modules linked, not copied), beside the stack's own Pulumi.<stack>.yaml, so a test may edit
// the copy's documents and rules as a user edits theirs.
import { spawn } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";

/** This project's directory. */
export const PROJECT_DIR = path.resolve(__dirname, "..");

/** Entries of a program directory that stay out of a copy: state, stack files, VCS. */
const NOT_COPIED = [/^Pulumi\..+\.yaml$/, /^\.pulumi-local$/, /^\.git$/];

export interface CliResult {
    readonly code: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly stdout: string;
    readonly stderr: string;
    readonly seconds: number;
}

export interface CliOptions {
    readonly cwd: string;
    /** More environment variables; an undefined one is removed. */
    readonly env?: Readonly<Record<string, string | undefined>>;
    /** Called with the running process, e.g. to kill it at a given moment. */
    readonly started?: (child: import("child_process").ChildProcess) => void;
    /** Text on standard input. */
    readonly input?: string;
}

/** Runs a command in a process group of its own (so that a kill reaches the plugins it starts too). */
export function run(command: string, args: readonly string[], options: CliOptions): Promise<CliResult> {
    const start = process.hrtime.bigint();
    return new Promise((resolve, reject) => {
        const env = Object.fromEntries(Object.entries({ ...process.env, ...options.env }).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv;
        const child = spawn(command, args, { cwd: options.cwd, env, detached: true, stdio: ["pipe", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr, seconds: Number(process.hrtime.bigint() - start) / 1e9 }));
        child.stdin.end(options.input ?? "");
        options.started?.(child);
    });
}

/** A stack file's config: `key` (this project's namespace unless it has one) → value, objects as they are. */
export type StackConfig = Readonly<Record<string, unknown>>;

export interface StackOptions {
    /** The program's directory. @default this project */
    readonly programDir?: string;
    /** The stack file to start from, in the program's directory (e.g. Pulumi.dev.yaml). @default none */
    readonly from?: string;
    /** Config added to (and over) that file's. */
    readonly config?: StackConfig;
    /** Values set with `pulumi config set --secret`. */
    readonly secrets?: Readonly<Record<string, string>>;
    /** Stack files (or state) of the program directory to copy too, e.g. ["Pulumi.dev.yaml"]. @default none */
    readonly copy?: readonly string[];
    /** Work in this directory as it is (e.g. an example inside a copy `workDir` made), instead of a copy of programDir. */
    readonly inPlace?: string;
}

/** One engine: a file backend and a passphrase of its own, and the environment every command gets. */
export class Engine {
    private constructor(
        /** The temporary folder that holds the state and the work directories. */
        readonly home: string,
        readonly env: Readonly<Record<string, string>>,
    ) {}

    /** A fresh engine; `pulumi` must be on PATH (../shared/pulumi-engine/install.sh puts it there). */
    static create(): Engine {
        const home = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-engine-"));
        fs.mkdirSync(path.join(home, "state"));
        return new Engine(home, {
            PULUMI_BACKEND_URL: `file://${path.join(home, "state")}`,
            PULUMI_CONFIG_PASSPHRASE: randomBytes(12).toString("hex"),
            PULUMI_SKIP_UPDATE_CHECK: "true",
        });
    }

    /** A copy of a program directory to work in: node_modules linked, no stack files but `copy`. */
    workDir(programDir: string = PROJECT_DIR, copy: readonly string[] = []): string {
        const dir = fs.mkdtempSync(path.join(this.home, "work-"));
        for (const entry of fs.readdirSync(programDir)) {
            if (NOT_COPIED.some((re) => re.test(entry)) && !copy.includes(entry)) continue;
            const from = path.join(programDir, entry);
            if (entry === "node_modules") fs.symlinkSync(from, path.join(dir, entry));
            // What `pulumi install` made in an example (its generated SDK, a virtualenv) is made again in the copy.
            else fs.cpSync(from, path.join(dir, entry), { recursive: true, filter: (src) => !/[/\\]examples[/\\][^/\\]+[/\\](sdks|venv)$/.test(src) });
        }
        return dir;
    }

    /** A new stack of the program, with the config of `from` plus `config`, in a work directory of its own. */
    async stack(name: string, options: StackOptions = {}): Promise<EngineStack> {
        const programDir = options.inPlace ?? options.programDir ?? PROJECT_DIR;
        const dir = options.inPlace ?? this.workDir(programDir, options.copy);
        const project = (yaml.load(fs.readFileSync(path.join(programDir, "Pulumi.yaml"), "utf8")) as { name: string }).name;
        const base = options.from ? ((yaml.load(fs.readFileSync(path.join(programDir, options.from), "utf8")) as { config?: Record<string, unknown> }).config ?? {}) : {};
        const qualified = (key: string) => (key.includes(":") ? key : `${project}:${key}`);
        const config = { ...base, ...Object.fromEntries(Object.entries(options.config ?? {}).map(([k, v]) => [qualified(k), v])) };
        fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), yaml.dump({ config }));
        const stack = await LocalWorkspace.createStack({ stackName: name, workDir: dir }, { envVars: { ...this.env }, secretsProvider: "passphrase" });
        for (const [key, value] of Object.entries(options.secrets ?? {})) await stack.setConfig(qualified(key), { value, secret: true });
        return new EngineStack(this, stack, dir, project);
    }

    /** The Pulumi CLI (or any command) in a directory, with this engine's backend and passphrase. */
    cli(args: readonly string[], options: CliOptions): Promise<CliResult> {
        return run("pulumi", args, { ...options, env: { ...this.env, ...options.env } });
    }

    cleanup(): void {
        fs.rmSync(this.home, { recursive: true, force: true });
    }
}

/** A stack and its work directory. */
export class EngineStack {
    constructor(
        readonly engine: Engine,
        readonly stack: Stack,
        readonly dir: string,
        readonly project: string,
    ) {}

    get name(): string {
        return this.stack.name;
    }

    /** `pulumi up --yes` (with its preview, as `npm run deploy` runs it) through the Automation API. */
    up(opts: { refresh?: boolean } = {}) {
        return this.stack.up({ refresh: opts.refresh, color: "never" });
    }

    preview() {
        return this.stack.preview({ color: "never" });
    }

    refresh() {
        return this.stack.refresh({ color: "never" });
    }

    destroy() {
        return this.stack.destroy({ color: "never" });
    }

    /** A config value set as `pulumi config set [--path] key value` sets it. */
    async set(key: string, value: string, opts: { path?: boolean; secret?: boolean } = {}): Promise<void> {
        await this.stack.setConfig(key.includes(":") ? key : `${this.project}:${key}`, { value, secret: opts.secret }, opts.path);
    }

    /** The stack outputs, secrets shown. */
    async outputs(): Promise<Record<string, unknown>> {
        return Object.fromEntries(Object.entries(await this.stack.outputs()).map(([k, v]) => [k, v.value]));
    }

    /** The Pulumi CLI on this stack, e.g. ["up", "--yes"]. */
    cli(args: readonly string[], options: Omit<CliOptions, "cwd"> = {}): Promise<CliResult> {
        return this.engine.cli([...args, "--stack", this.name, "--non-interactive"], { ...options, cwd: this.dir });
    }

    /** Destroys what is left and removes the stack. */
    async remove(): Promise<void> {
        await this.stack.destroy({ color: "never" });
        await this.stack.workspace.removeStack(this.name);
    }
}
