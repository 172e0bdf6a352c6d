// Offline rendering: runs the program under the Pulumi SDK's mock runtime, with a stack's
// configuration read the way the CLI reads it, and writes the Kubernetes objects it would apply
// (like `helm template`). No Pulumi CLI, no cluster. The tests render through this same path.
//
//   npm run render -- --stack dev [--set key=value]... [--out DIR] [--include-secrets]
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import { SECRET_KEYS } from "../settings/defaults";
import { ClusterReader } from "../components/cluster";
import { runProgram } from "../components/stack";
import { Settings, configSource, parseSettings } from "../settings/settings";
import { MockOptions, Recorder, runMocked } from "./mockRuntime";

export const PROJECT_DIR = path.resolve(__dirname, "..");

export interface RenderOptions {
    /** Read Pulumi.<stack>.yaml, as `pulumi up --stack <stack>` would. @default no stack file */
    readonly stack?: string;
    /** Values that override the stack file: `key` or `key.field` (object fields) → raw value. */
    readonly set?: Readonly<Record<string, string>>;
    /** Write Secrets with their values; otherwise they are left out and described in `notes`. */
    readonly includeSecrets?: boolean;
    /** Run as `pulumi preview` does (isDryRun). @default false */
    readonly preview?: boolean;
    readonly mock?: MockOptions;
    /** The cluster to read as a deployment would (node addresses, prerequisites). @default none: rendering is offline */
    readonly cluster?: ClusterReader;
    readonly projectDir?: string;
    /** Where the configuration documents and data are. @default config/ */
    readonly configDir?: string;
}

export interface RenderedOutput {
    readonly value: unknown;
    readonly secret: boolean;
    readonly known: boolean;
}

export interface RenderResult {
    /** The objects to apply, in apply order. */
    readonly objects: Record<string, any>[];
    /** Secrets left out of `objects` (none with includeSecrets). */
    readonly omittedSecrets: Record<string, any>[];
    readonly outputs: Record<string, RenderedOutput>;
    readonly notes: string[];
    readonly recorder: Recorder;
}

interface ProjectFile {
    name: string;
    config?: Record<string, { default?: unknown }>;
}

/** The CLI's hand-off: every value a string, objects and lists as JSON text. */
function configText(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** An encrypted stack value (`secure: v1:...`), which only the Pulumi CLI can decrypt. */
function isEncrypted(value: unknown): boolean {
    // Only `{secure: <ciphertext>}`: a map that merely has a key named secure (a service, say) is plain.
    return typeof value === "object" && value !== null && Object.keys(value).length === 1 && typeof (value as { secure?: unknown }).secure === "string";
}

/** Sets `path` (dotted) inside an object-valued key, parsing the value as `pulumi config set --path` does. */
function setPath(target: Record<string, unknown>, fields: string[], raw: string): void {
    const [head, ...rest] = fields;
    if (rest.length === 0) {
        target[head] = yaml.load(raw);
        return;
    }
    const next = target[head];
    target[head] = typeof next === "object" && next !== null ? next : {};
    setPath(target[head] as Record<string, unknown>, rest, raw);
}

/**
 * The configuration the program would see: Pulumi.yaml defaults, then Pulumi.<stack>.yaml, then --set.
 * Returns the config map for setAllConfig and its secret keys.
 */
export function stackConfig(options: RenderOptions): { project: string; config: Record<string, string>; secretKeys: string[]; notes: string[] } {
    const dir = options.projectDir ?? PROJECT_DIR;
    const projectFile = yaml.load(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as ProjectFile;
    const project = projectFile.name;
    const values: Record<string, unknown> = {};
    // Keys that still hold Pulumi.yaml's default: `config set --path` on one starts a new object, as the CLI does.
    const defaulted = new Set<string>();
    for (const [key, decl] of Object.entries(projectFile.config ?? {})) {
        if (decl?.default !== undefined) values[`${project}:${key}`] = decl.default;
        if (decl?.default !== undefined) defaulted.add(`${project}:${key}`);
    }
    const notes: string[] = [];
    if (options.stack !== undefined) {
        const file = path.join(dir, `Pulumi.${options.stack}.yaml`);
        if (!fs.existsSync(file)) throw new Error(`stack '${options.stack}' has no Pulumi.${options.stack}.yaml in ${dir}`);
        const stackFile = (yaml.load(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
        for (const [key, value] of Object.entries(stackFile.config ?? {})) {
            const full = key.includes(":") ? key : `${project}:${key}`;
            values[full] = value;
            defaulted.delete(full);
        }
    }
    // Secret, as for the CLI: values encrypted in the stack file, and secret keys given with --set
    // (as `pulumi config set --secret` would store them).
    const secretKeys: string[] = SECRET_KEYS.filter((k) => options.set?.[k] !== undefined).map((k) => `${project}:${k}`);
    for (const [key, value] of Object.entries(values)) {
        if (!isEncrypted(value)) continue;
        if (options.set?.[key.replace(`${project}:`, "")] !== undefined) continue;
        if (options.includeSecrets) {
            throw new Error(`${key} is encrypted in Pulumi.${options.stack}.yaml and only the Pulumi CLI can decrypt it: pass --set ${key.replace(`${project}:`, "")}=<value>`);
        }
        // Never written without --include-secrets, so its value does not matter here.
        values[key] = "<encrypted in the stack file>";
        secretKeys.push(key);
        notes.push(`${key} is encrypted in the stack file; the Secret that holds it is described below instead of written.`);
    }
    for (const [setting, raw] of Object.entries(options.set ?? {})) {
        const [key, ...fields] = setting.includes(":") ? [setting] : setting.split(".");
        const full = key.includes(":") ? key : `${project}:${key}`;
        if (fields.length === 0) {
            values[full] = raw;
            defaulted.delete(full);
        } else {
            const current = typeof values[full] === "object" && values[full] !== null && !defaulted.has(full) ? structuredClone(values[full]) : {};
            setPath(current as Record<string, unknown>, fields, raw);
            values[full] = current;
            defaulted.delete(full);
        }
    }
    const config = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, configText(v)]));
    return { project, config, secretKeys, notes };
}

/** The settings a stack's configuration gives, parsed as the program parses them (no program is run). */
export function stackSettings(options: RenderOptions): Settings {
    const { project, config, secretKeys } = stackConfig(options);
    return parseSettings(configSource(project, config, (key) => secretKeys.includes(`${project}:${key}`)));
}

// Apply order: what others refer to comes first; kinds not listed come last.
const KIND_ORDER = ["Namespace", "ServiceAccount", "Secret", "ConfigMap", "Service", "Deployment"];

function applyOrder(a: Record<string, any>, b: Record<string, any>): number {
    const rank = (o: Record<string, any>) => (KIND_ORDER.includes(o.kind) ? KIND_ORDER.indexOf(o.kind) : KIND_ORDER.length);
    return rank(a) - rank(b) || String(a.metadata.name).localeCompare(String(b.metadata.name));
}

/** Resolves an Output the way the engine would export it. */
async function resolve(output: unknown): Promise<RenderedOutput> {
    if (!pulumi.Output.isInstance(output)) return { value: output, secret: false, known: true };
    const o = output as pulumi.Output<unknown>;
    const known = await (o as any).isKnown;
    const value = known ? await new Promise((r) => o.apply((v) => r(v))) : undefined;
    return { value, secret: await pulumi.isSecret(o), known };
}

/** Drops undefined fields so that the YAML holds only what is set. */
function clean(value: any): any {
    return JSON.parse(JSON.stringify(value));
}

/** How to create a Secret that rendering left out. */
function omittedSecretNote(secret: Record<string, any>): string {
    const { name, namespace } = secret.metadata;
    const keys = Object.keys(secret.stringData ?? secret.data ?? {});
    const create =
        secret.type === "kubernetes.io/dockerconfigjson"
            ? `kubectl create secret docker-registry ${name} -n ${namespace} --docker-server=<server> --docker-username=<user> --docker-password=<password>`
            : `kubectl create secret generic ${name} -n ${namespace} ` + keys.map((k) => `--from-literal=${k}=<value>`).join(" ");
    return `Secret ${namespace}/${name} is not written (it holds ${keys.join(", ")}); create it before applying: ${create} (or render with --include-secrets to write it)`;
}

/** Runs the program under mocks and returns what it would apply. Throws ConfigError on bad config. */
export async function render(options: RenderOptions = {}, recorder = new Recorder({ ...options.mock, secretValuesShown: options.includeSecrets })): Promise<RenderResult> {
    const { project, config, secretKeys, notes } = stackConfig(options);
    const run = { project, stack: options.stack ?? "render", config, secretKeys, preview: options.preview };
    const cluster = options.cluster;
    const stack = await runMocked(recorder, run, () =>
        runProgram({
            cluster: cluster && (async () => cluster),
            configDir: options.configDir,
            warn: (message) => notes.push(`warning: ${message}`),
        }),
    );
    const outputs: Record<string, RenderedOutput> = {};
    for (const [key, value] of Object.entries(stack)) outputs[key] = await resolve(value);

    const all = recorder.kubernetesObjects().map(clean).sort(applyOrder);
    const isSecret = (o: Record<string, any>) => o.kind === "Secret";
    const omittedSecrets = options.includeSecrets ? [] : all.filter(isSecret);
    for (const secret of omittedSecrets) notes.push(omittedSecretNote(secret));
    return { objects: options.includeSecrets ? all : all.filter((o) => !isSecret(o)), omittedSecrets, outputs, notes, recorder };
}

/** The objects as one YAML stream. */
export function toYaml(objects: Record<string, any>[]): string {
    return objects.map((o) => `---\n${yaml.dump(o, { lineWidth: -1, noRefs: true })}`).join("");
}

/** The file an object is written to with --out: apply order, kind and name. */
export function fileName(object: Record<string, any>, index: number): string {
    return `${String(index + 1).padStart(2, "0")}-${object.kind.toLowerCase()}-${object.metadata.name}.yaml`;
}

export interface CliArgs {
    readonly options: RenderOptions;
    readonly out?: string;
}

const USAGE = "usage: npm run render -- [--stack NAME] [--set key=value]... [--out DIR] [--include-secrets]";

export function parseArgs(argv: string[]): CliArgs {
    const set: Record<string, string> = {};
    let stack: string | undefined;
    let out: string | undefined;
    let includeSecrets = false;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const value = () => {
            const v = argv[++i];
            if (v === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
            return v;
        };
        if (arg === "--stack") stack = value();
        else if (arg === "--out") out = value();
        else if (arg === "--include-secrets") includeSecrets = true;
        else if (arg === "--set") {
            const pair = value();
            const eq = pair.indexOf("=");
            if (eq <= 0) throw new Error(`--set takes key=value, not '${pair}'\n${USAGE}`);
            set[pair.slice(0, eq)] = pair.slice(eq + 1);
        } else throw new Error(`unknown argument '${arg}'\n${USAGE}`);
    }
    return { options: { stack, set, includeSecrets }, out };
}

async function main(argv: string[]): Promise<void> {
    const { options, out } = parseArgs(argv);
    const result = await render(options);
    if (out === undefined) {
        process.stdout.write(toYaml(result.objects));
    } else {
        fs.mkdirSync(out, { recursive: true });
        result.objects.forEach((o, i) => fs.writeFileSync(path.join(out, fileName(o, i)), yaml.dump(o, { lineWidth: -1, noRefs: true })));
        process.stderr.write(`Wrote ${result.objects.length} objects to ${out}\n`);
    }
    for (const note of result.notes) process.stderr.write(`NOTE: ${note}\n`);
}

if (require.main === module) {
    main(process.argv.slice(2)).catch((err: Error) => {
        process.stderr.write(`${err.message}\n`);
        process.exit(1);
    });
}
