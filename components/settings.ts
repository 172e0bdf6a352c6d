// The only module that reads stack configuration. It turns it into one frozen, typed Settings value
// and rejects bad values (every problem in one error) before any resource is registered.
import * as net from "net";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULTS, EXPOSURES, Exposure, PULL_POLICIES, PullPolicy } from "./defaults";
import { MAX_BACKEND_NAME_LENGTH, MAX_NAME_LENGTH, backendNames } from "./naming";
import { ProblemsError } from "./problems";

export interface BackendSettings {
    readonly enabled: boolean;
    readonly name: string;
    readonly image: string;
    readonly replicas: number;
    /** The headless Service the example pool discovers. */
    readonly serviceName: string;
    readonly portName: string;
}

export interface LoadBalancerSettings {
    readonly sourceRanges: readonly string[];
    readonly annotations: Readonly<Record<string, string>>;
    readonly timeoutSeconds: number;
}

/** `kubernetes:*` settings that the program's own Kubernetes provider passes through. */
export interface KubernetesSettings {
    readonly kubeconfig?: string;
    readonly context?: string;
    readonly cluster?: string;
    readonly clusterIdentifier?: string;
    readonly renderYamlToDirectory?: string;
    readonly enableServerSideApply?: boolean;
    readonly deleteUnreachable?: boolean;
    readonly skipUpdateUnreachable?: boolean;
    readonly suppressDeprecationWarnings?: boolean;
    readonly upsertExistingObjects?: boolean;
    readonly enablePatchForce?: boolean;
}

export interface Settings {
    readonly exposure: Exposure;
    readonly name: string;
    readonly namespace: string;
    readonly replicas: number;
    readonly image: string;
    readonly imagePullPolicy: PullPolicy;
    readonly imagePullSecrets: readonly string[];
    /** A secret Output when the user set one; otherwise a password is generated. */
    readonly adminPassword?: pulumi.Output<string>;
    readonly nodeAddress?: string;
    readonly backend: BackendSettings;
    readonly loadBalancer: LoadBalancerSettings;
    readonly kubernetes: KubernetesSettings;
}

/** Where raw configuration comes from: the stack's config in a real run, anything in tests. */
export interface ConfigSource {
    /** The raw value of a project key (`vtm-kubernetes:<key>`), as the CLI hands it over. */
    get(key: string): string | undefined;
    /** Whether the project key's value is stored as a secret. */
    isSecret(key: string): boolean;
    /** The raw value of a `kubernetes:<key>` provider setting. */
    getKubernetes(key: string): string | undefined;
}

/** Bad stack configuration: every problem, each naming its key, value and what is allowed. */
export class ConfigError extends ProblemsError {
    constructor(problems: readonly string[]) {
        const count = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
        super(`Invalid stack configuration (${count}; nothing was deployed or changed)`, problems);
        this.name = "ConfigError";
    }
}

/** Reads the stack configuration of the running program. */
export function readSettings(): Settings {
    return parseSettings(pulumiConfigSource());
}

export function pulumiConfigSource(): ConfigSource {
    const project = new pulumi.Config();
    const kubernetes = new pulumi.Config("kubernetes");
    // The SDK keeps this check internal; without it every value counts as secret (never a false alarm).
    const isConfigSecret = (pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
    return {
        get: (key) => project.get(key),
        // The engine lists secret keys as `<project>:<key>`; the legacy `<project>:config:<key>` form is accepted too.
        isSecret: (key) =>
            isConfigSecret === undefined ||
            [`${pulumi.getProject()}:${key}`, `${pulumi.getProject()}:config:${key}`].some((k) => isConfigSecret(k)),
        getKubernetes: (key) => kubernetes.get(key),
    };
}

const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const IANA_SERVICE_NAME = /^(?=.*[a-z])(?!.*--)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

type Problems = string[];

const SHOWN_LENGTH = 80;

/** Quotes a raw value the way messages show it, cut short if it is long. */
function show(value: unknown): string {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    const cut = text.length > SHOWN_LENGTH ? `${text.slice(0, SHOWN_LENGTH)}… (${text.length} characters)` : text;
    return typeof value === "string" ? `'${cut}'` : cut;
}

// A check returns the parsed value, or an Invalid saying what was expected.
class Invalid {
    constructor(readonly reason: string) {}
}

/** Checks one raw value: the parsed value, or the fallback after recording the problem. */
function run<T>(problems: Problems, key: string, raw: unknown, fallback: T, check: (v: unknown) => T | Invalid): T {
    if (raw === undefined) {
        return fallback;
    }
    const result = check(raw);
    if (result instanceof Invalid) {
        problems.push(`${key}: ${show(raw)} ${result.reason}`);
        return fallback;
    }
    return result;
}

const oneOf =
    <T extends string>(allowed: readonly T[]) =>
    (v: unknown): T | Invalid =>
        typeof v === "string" && (allowed as readonly string[]).includes(v)
            ? (v as T)
            : new Invalid(`is not one of ${allowed.join(", ")}`);

const wholeNumber =
    (min: number) =>
    (v: unknown): number | Invalid => {
        const n = typeof v === "number" ? v : typeof v === "string" && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
        return Number.isInteger(n) && n >= min ? n : new Invalid(`is not a whole number of at least ${min}`);
    };

const bool = (v: unknown): boolean | Invalid =>
    v === true || v === "true" ? true : v === false || v === "false" ? false : new Invalid("is not true or false");

const pattern =
    (re: RegExp, max: number, what: string) =>
    (v: unknown): string | Invalid =>
        typeof v === "string" && v.length <= max && re.test(v) ? v : new Invalid(`is not ${what}`);

const dns1035 = (max: number) =>
    pattern(DNS_1035_LABEL, max, `a DNS-1035 label of at most ${max} characters (lower-case letters, digits and '-', starting with a letter)`);

const image = pattern(/^[^\s]+$/, 4096, "an image reference (a non-empty string without spaces)");

const nodeAddress = (v: unknown): string | Invalid =>
    typeof v === "string" && (net.isIP(v) !== 0 || (v.length <= 253 && DNS_1123_SUBDOMAIN.test(v.toLowerCase())))
        ? v
        : new Invalid("is not an IP address or host name (no scheme, port or path)");

const cidr = (v: unknown): boolean => {
    if (typeof v !== "string") return false;
    const [ip, bits, ...rest] = v.split("/");
    const family = net.isIP(ip);
    return rest.length === 0 && family !== 0 && /^\d+$/.test(bits ?? "") && Number(bits) <= (family === 4 ? 32 : 128);
};

const listOf =
    (ok: (item: unknown) => boolean, what: string) =>
    (v: unknown): string[] | Invalid => {
        const list = typeof v === "string" ? parseJson(v) : v;
        return Array.isArray(list) && list.every(ok) ? (list as string[]) : new Invalid(`is not a list of ${what}`);
    };

const stringMap = (v: unknown): Record<string, string> | Invalid =>
    isPlainObject(v) && Object.values(v).every((x) => typeof x === "string")
        ? (v as Record<string, string>)
        : new Invalid("is not a map of strings to strings");

function parseJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Parses an object-valued key and reports keys that the object may not have. */
function objectValue(problems: Problems, key: string, raw: string | undefined, allowed: readonly string[]): Record<string, unknown> {
    if (raw === undefined) {
        return {};
    }
    const value = parseJson(raw);
    if (!isPlainObject(value)) {
        problems.push(`${key}: ${show(raw)} is not an object (set its fields with: pulumi config set --path ${key}.<field> <value>)`);
        return {};
    }
    for (const unknownKey of Object.keys(value).filter((k) => !allowed.includes(k))) {
        problems.push(`${key}.${unknownKey}: is not a setting (allowed: ${allowed.join(", ")})`);
    }
    return value;
}

function parseBackend(problems: Problems, raw: string | undefined): BackendSettings {
    const d = DEFAULTS.backend;
    const o = objectValue(problems, "backend", raw, Object.keys(d));
    const enabled = run(problems, "backend.enabled", o.enabled, d.enabled, bool);
    const name = run(problems, "backend.name", o.name, d.name, dns1035(MAX_BACKEND_NAME_LENGTH));
    const serviceName = run(problems, "backend.serviceName", o.serviceName, d.serviceName, (v) =>
        v === "" ? "" : dns1035(63)(v),
    );
    if (!enabled && serviceName === "") {
        problems.push(
            "backend.serviceName: is required when backend.enabled is false: name the headless Service of your " +
                "application that the pool discovers (pulumi config set --path backend.serviceName <service>)",
        );
    }
    return {
        enabled,
        name,
        // The example backend's own Service unless the user names another.
        image: run(problems, "backend.image", o.image, d.image, image),
        replicas: run(problems, "backend.replicas", o.replicas, d.replicas, wholeNumber(1)),
        serviceName: serviceName === "" ? backendNames(name).service : serviceName,
        portName: run(problems, "backend.portName", o.portName, d.portName, pattern(IANA_SERVICE_NAME, 15, "a port name of at most 15 characters (lower-case letters, digits and '-')")),
    };
}

function parseLoadBalancer(problems: Problems, raw: string | undefined): LoadBalancerSettings {
    const d = DEFAULTS.loadBalancer;
    const o = objectValue(problems, "loadBalancer", raw, Object.keys(d));
    return {
        sourceRanges: run(problems, "loadBalancer.sourceRanges", o.sourceRanges, d.sourceRanges, listOf(cidr, "CIDR ranges such as 203.0.113.0/24")),
        annotations: run(problems, "loadBalancer.annotations", o.annotations, d.annotations, stringMap),
        timeoutSeconds: run(problems, "loadBalancer.timeoutSeconds", o.timeoutSeconds, d.timeoutSeconds, wholeNumber(0)),
    };
}

const KUBERNETES_STRINGS = ["kubeconfig", "context", "cluster", "clusterIdentifier", "renderYamlToDirectory"] as const;
const KUBERNETES_BOOLEANS = [
    "enableServerSideApply",
    "deleteUnreachable",
    "skipUpdateUnreachable",
    "suppressDeprecationWarnings",
    "upsertExistingObjects",
    "enablePatchForce",
] as const;

function parseKubernetes(problems: Problems, src: ConfigSource): KubernetesSettings {
    const result: Record<string, string | boolean> = {};
    for (const key of KUBERNETES_STRINGS) {
        const value = src.getKubernetes(key);
        if (value !== undefined && value !== "") result[key] = value;
    }
    for (const key of KUBERNETES_BOOLEANS) {
        const value = run(problems, `kubernetes:${key}`, src.getKubernetes(key), undefined as boolean | undefined, bool);
        if (value !== undefined) result[key] = value;
    }
    if (result.renderYamlToDirectory !== undefined) {
        for (const key of ["kubeconfig", "context", "cluster"].filter((k) => result[k] !== undefined)) {
            problems.push(
                `kubernetes:${key}: cannot be combined with kubernetes:renderYamlToDirectory ` +
                    `(rendering writes manifests and talks to no cluster); unset one of them`,
            );
        }
    }
    return result as KubernetesSettings;
}

function parseAdminPassword(problems: Problems, src: ConfigSource): pulumi.Output<string> | undefined {
    const raw = src.get("adminPassword");
    if (raw === undefined || raw === "") {
        return undefined;
    }
    // The value itself is never put in a message.
    if (!src.isSecret("adminPassword")) {
        problems.push("adminPassword: is stored in plain text; set it as a secret: pulumi config set --secret adminPassword <password>");
        return undefined;
    }
    return pulumi.secret(raw);
}

/** Turns raw configuration into Settings, or throws one ConfigError listing every problem. */
export function parseSettings(src: ConfigSource): Settings {
    const problems: Problems = [];
    const get = (key: string) => src.get(key);

    const eula = get("eula") ?? DEFAULTS.eula;
    if (eula !== "accept") {
        problems.push(
            `eula: ${show(eula)} does not accept the vTM licence; read it and accept it with: pulumi config set eula accept`,
        );
    }
    const nodeAddr = get("nodeAddress") ?? DEFAULTS.nodeAddress;
    const settings: Settings = {
        exposure: run(problems, "exposure", get("exposure"), DEFAULTS.exposure, oneOf(EXPOSURES)),
        name: run(problems, "name", get("name"), DEFAULTS.name, dns1035(MAX_NAME_LENGTH)),
        namespace: run(problems, "namespace", get("namespace"), DEFAULTS.namespace, pattern(DNS_1123_LABEL, 63, "a DNS-1123 label of at most 63 characters (lower-case letters, digits and '-')")),
        replicas: run(problems, "replicas", get("replicas"), DEFAULTS.replicas, wholeNumber(1)),
        image: run(problems, "image", get("image"), DEFAULTS.image, image),
        imagePullPolicy: run(problems, "imagePullPolicy", get("imagePullPolicy"), DEFAULTS.imagePullPolicy, oneOf(PULL_POLICIES)),
        imagePullSecrets: run(problems, "imagePullSecrets", get("imagePullSecrets"), DEFAULTS.imagePullSecrets, listOf((s) => typeof s === "string" && s.length <= 253 && DNS_1123_SUBDOMAIN.test(s), "Secret names")),
        adminPassword: parseAdminPassword(problems, src),
        nodeAddress: nodeAddr === "" ? undefined : run(problems, "nodeAddress", nodeAddr, undefined, nodeAddress),
        backend: parseBackend(problems, get("backend")),
        loadBalancer: parseLoadBalancer(problems, get("loadBalancer")),
        kubernetes: parseKubernetes(problems, src),
    };
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    return deepFreeze(settings);
}

function deepFreeze<T>(value: T): T {
    if (isPlainObject(value) || Array.isArray(value)) {
        if (!pulumi.Output.isInstance(value)) {
            Object.values(value as object).forEach(deepFreeze);
            Object.freeze(value);
        }
    }
    return value;
}
