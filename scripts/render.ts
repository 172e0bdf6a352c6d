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
import { ProblemsError } from "../settings/problems";
import { checkJson, parseConfigPath, pathValue, setAtPath } from "./configPath";
import { readFlags } from "./cliFlags";
import { writeOut } from "./renderOut";
import { stackName } from "./stackName";
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
    config?: Record<string, { default?: unknown; type?: string }>;
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

/** A YAML file's content; a syntax error names the file and the line, as an editor shows them. */
function loadYamlFile(file: string): unknown {
    try {
        return yaml.load(fs.readFileSync(file, "utf8"));
    } catch (err) {
        if (!(err instanceof yaml.YAMLException)) throw err;
        const where = err.mark ? ` line ${err.mark.line + 1}, column ${err.mark.column + 1}` : "";
        throw new Error(`${file}${where}: ${err.reason} (the file is not valid YAML)\n${err.mark?.snippet ?? ""}`.trimEnd());
    }
}

/** The stacks a project directory has files for. */
export function stacksIn(dir: string): string[] {
    return fs.readdirSync(dir).flatMap((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1] ?? []).sort();
}

/**
 * The configuration the program would see: Pulumi.yaml defaults, then Pulumi.<stack>.yaml, then --set.
 * Returns the config map for setAllConfig and its secret keys.
 */
export function stackConfig(options: RenderOptions): { project: string; config: Record<string, string>; secretKeys: string[]; notes: string[] } {
    const dir = options.projectDir ?? PROJECT_DIR;
    const projectFile = loadYamlFile(path.join(dir, "Pulumi.yaml")) as ProjectFile;
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
        if (!fs.existsSync(file)) throw new Error(`stack '${options.stack}' has no Pulumi.${options.stack}.yaml in ${dir}; the stacks there: ${stacksIn(dir).join(", ") || "none"}`);
        const stackFile = (loadYamlFile(file) ?? {}) as { config?: Record<string, unknown> };
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
        const { key, path: fields } = parseConfigPath(setting, project);
        if (fields.length === 0) {
            // An object or list key takes JSON text, as the CLI hands it over; a string key takes any text.
            if (["object", "array"].includes(projectFile.config?.[key.replace(`${project}:`, "")]?.type ?? "")) checkJson(setting, raw);
            values[key] = raw;
        } else {
            // A key that still holds Pulumi.yaml's default starts anew, as `pulumi config set --path` does.
            const current = defaulted.has(key) || typeof values[key] !== "object" ? undefined : values[key];
            values[key] = setAtPath(setting, current, fields, pathValue(setting, raw));
        }
        defaulted.delete(key);
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

/** The registry, user and e-mail of a pull Secret, as kubectl flags (never its password). */
function registryFlags(secret: Record<string, any>): string {
    const config = JSON.parse(secret.stringData?.[".dockerconfigjson"] ?? "{}") as { auths?: Record<string, { username?: string; email?: string }> };
    const [server, auth] = Object.entries(config.auths ?? {})[0] ?? ["<server>", {}];
    const email = auth.email === undefined ? "" : ` --docker-email=${auth.email}`;
    return `--docker-server=${server} --docker-username=${auth.username ?? "<user>"}${email}`;
}

/** How to create a Secret that rendering left out. */
function omittedSecretNote(secret: Record<string, any>): string {
    const { name, namespace } = secret.metadata;
    const keys = Object.keys(secret.stringData ?? secret.data ?? {});
    const create =
        secret.type === "kubernetes.io/dockerconfigjson"
            ? `kubectl create secret docker-registry ${name} -n ${namespace} ${registryFlags(secret)} --docker-password=<password>`
            : `kubectl create secret generic ${name} -n ${namespace} ` + keys.map((k) => `--from-literal=${k}=<value>`).join(" ");
    return `Secret ${namespace}/${name} is not written (it holds ${keys.join(", ")}); create it before applying: ${create} (or render with --include-secrets to write it)`;
}

/** Where a password generated for this render is, and how to read it. */
function generatedSecretNote(secret: Record<string, any>): string {
    const { name, namespace } = secret.metadata;
    const key = Object.keys(secret.stringData ?? secret.data ?? {})[0];
    return (
        `Secret ${namespace}/${name} holds a password generated for this render (a new one, under a new name, at every render; ` +
        `for a fixed one: --set adminPassword=<password> --include-secrets); after applying, read it with: kubectl get secret ${name} -n ${namespace} -o jsonpath='{.data.${key}}' | base64 -d`
    );
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
    // Like helm template, a Secret of generated values is written; one holding a value of the user's
    // configuration only with --include-secrets.
    const omitted = (o: Record<string, any>) => o.kind === "Secret" && !options.includeSecrets && !recorder.isGenerated(o);
    const omittedSecrets = all.filter(omitted);
    for (const secret of omittedSecrets) notes.push(omittedSecretNote(secret));
    for (const secret of all.filter((o) => recorder.isGenerated(o))) notes.push(generatedSecretNote(secret));
    return { objects: all.filter((o) => !omitted(o)), omittedSecrets, outputs, notes, recorder };
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
    readonly help?: boolean;
}

export const USAGE = `usage: npm run -s render -- [--stack NAME] [--set key=value]... [--out DIR] [--include-secrets]

Writes the Kubernetes objects a stack would deploy, offline: as a YAML stream on standard output, or
one file per object into DIR (--out). Messages go to standard error.
  --stack NAME        read Pulumi.NAME.yaml, as npm run deploy -- --stack NAME would; without it, the
                      stack npm run deploy would take: PULUMI_STACK, the selected stack, or dev
  --set key=value     override a setting; key.field and key[0] reach into objects and lists, as
                      npm run pulumi -- config set --path does, and a JSON object or list value
                      is taken as one (repeatable)
  --out DIR           write one file per object into DIR, replacing an earlier render there
  --include-secrets   write the Secrets of configured values too (a generated password's Secret
                      is always written), with their values in plain text
  --help              this text
Use npm run -s (or --silent): without it npm prints its own banner on standard output.`;

export function parseArgs(argv: string[]): CliArgs {
    const flags = readFlags(argv, USAGE, { values: ["--stack", "--out"], repeated: ["--set"], switches: ["--include-secrets"] });
    if (flags.help) return { options: {}, help: true };
    const set: Record<string, string> = {};
    for (const pair of flags.repeated["--set"] ?? []) {
        const eq = pair.indexOf("=");
        if (eq <= 0) throw new Error(`--set takes key=value, not '${pair}'\n${USAGE}`);
        set[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    return { options: { stack: flags.values["--stack"], set, includeSecrets: flags.switches.has("--include-secrets") }, out: flags.values["--out"] };
}

/** The endpoints a render worked out, for standard error (as helm install prints its NOTES). */
export function endpointLines(outputs: Readonly<Record<string, RenderedOutput>>): string[] {
    const shown = (o: RenderedOutput | undefined) => (o?.known && typeof o.value === "string" ? o.value : "<known after apply>");
    const services = Object.entries((outputs.serviceEndpoints?.value ?? {}) as Record<string, string>);
    const rows: [string, string][] = [...services, ["admin UI", shown(outputs.adminUrl)], ["REST API", shown(outputs.restApiUrl)]];
    const width = Math.max(...rows.map(([name]) => name.length));
    const namespace = String(outputs.namespace?.value ?? "default");
    const unknown = rows.some(([, url]) => url.includes("<"))
        ? ` (what is in <> the cluster decides: kubectl get nodes -o wide; kubectl get services -n ${namespace})`
        : "";
    return [`endpoints, once applied${unknown}:`, ...rows.map(([name, url]) => `  ${name.padEnd(width)}  ${url}`)];
}

/** Whether npm printed its `> package@version script` banner on our standard output (npm run without --silent). */
export function npmBannerOnStdout(env: NodeJS.ProcessEnv = process.env): boolean {
    return env.npm_lifecycle_event !== undefined && env.npm_config_loglevel !== "silent";
}

/** A message for standard error: warnings as they are, other notes marked as notes. */
export function messageLine(note: string): string {
    return note.startsWith("warning: ") ? note : `note: ${note}`;
}

/** What to add to a refusal that a render, unlike pulumi config set, can fix with --set. */
function renderHint(err: Error): string {
    return err instanceof ProblemsError && err.problems.some((p) => p.startsWith("eula:"))
        ? "\nTo accept the licence for this render only: npm run -s render -- --set eula=accept …; for the stack: add vtm-kubernetes:eula: accept to its Pulumi.<stack>.yaml"
        : "";
}

/** Where the command line writes, and what it runs in: the process's, or a test's. */
export interface CliIo {
    readonly stdout: (text: string) => void;
    readonly stderr: (text: string) => void;
    readonly stdoutIsTTY: boolean;
    readonly env: NodeJS.ProcessEnv;
}

export const PROCESS_IO: CliIo = {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stdoutIsTTY: process.stdout.isTTY === true,
    env: process.env,
};

/** `npm run render -- <argv>`: writes the objects and the messages; returns the exit code (1: refused). */
export async function renderCli(argv: string[], io: CliIo = PROCESS_IO): Promise<number> {
    try {
        await renderCommand(argv, io);
        return 0;
    } catch (err) {
        io.stderr(`${(err as Error).message}\n`);
        return 1;
    }
}

async function renderCommand(argv: string[], io: CliIo): Promise<void> {
    const { options, out, help } = parseArgs(argv);
    if (help) {
        io.stdout(`${USAGE}\n`);
        return;
    }
    if (out === undefined && !io.stdoutIsTTY && npmBannerOnStdout(io.env)) {
        throw new Error("npm printed its own banner on standard output, so the YAML stream would not parse: run npm run -s render -- … (or --silent)");
    }
    // The stack by the rule every command follows (scripts/stack.sh), not bare defaults.
    const stack = stackName(options.stack, PROJECT_DIR, io.env);
    if (options.stack === undefined) io.stderr(`note: rendering stack ${stack} (no --stack: PULUMI_STACK, else the selected stack, else dev)\n`);
    const result = await render({ ...options, stack }).catch((err: Error) => Promise.reject(Object.assign(err, { message: err.message + renderHint(err) })));
    if (options.includeSecrets) io.stderr("warning: --include-secrets writes the admin password and every other secret in plain text; keep the output out of version control\n");
    if (out === undefined) {
        io.stdout(toYaml(result.objects));
    } else {
        const names = result.objects.map((o, i) => fileName(o, i));
        const secrets = new Set(names.filter((_, i) => result.objects[i].kind === "Secret"));
        // Each file a YAML document of its own, starting with ---, so that `cat DIR/*.yaml` is a stream.
        writeOut(out, new Map(result.objects.map((o, i) => [names[i], toYaml([o])])), secrets);
        io.stderr(`Wrote ${result.objects.length} objects to ${out}\n`);
    }
    for (const note of result.notes) io.stderr(`${messageLine(note)}\n`);
    for (const line of endpointLines(result.outputs)) io.stderr(`${line}\n`);
}

if (require.main === module) {
    renderCli(process.argv.slice(2)).then((code) => process.exit(code));
}
