// The only module that reads stack configuration. It turns it into one frozen, typed Settings value
// and rejects bad values (every problem in one error) before any resource is registered.
import * as net from "net";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULTS, EXPOSURES, Exposure, GENERATED_PASSWORD, PULL_POLICIES, PullPolicy, SECRET_KEYS } from "./defaults";
import {
    DNS_1123_SUBDOMAIN, Invalid, Problems, bool, cidrList, dns1035, dns1123Label, isPlainObject, listOf, objectValue, oneOf,
    pattern, portName, positiveNumber, run, show, stringMap, wholeNumber,
} from "./checks";
import { MAX_BACKEND_NAME_LENGTH, MAX_NAME_LENGTH, backendNames, vtmNames } from "./naming";
import { LICENSING_SECRET_KEYS, LicensingSettings, SecretKey, ownerSecretProblem, parseLicensing } from "./licensing";
import { closest } from "./names";
import { ProblemsError } from "./problems";
import { adminExposureProblem } from "./adminExposure";
import { ProductionSettings, RawProduction, parseProduction } from "./production";
import { MountSettings, PoolSettings, ServiceSettings, Taken, checkServices, parseMounts, parsePools, parseServices } from "./services";
import { configCommand } from "./commands";

export interface BackendSettings {
    readonly enabled: boolean;
    readonly name: string;
    readonly image: string;
    readonly replicas: number;
    /** The name of the headless Service's port. */
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

export interface Settings extends ProductionSettings {
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
    /** Virtual servers, sorted by name. */
    readonly services: readonly ServiceSettings[];
    /** Pools, sorted by name. */
    readonly pools: readonly PoolSettings[];
    /** More configuration documents: files or directories, relative to the project directory. */
    readonly documents: readonly string[];
    /** Existing ConfigMaps and Secrets holding more configuration documents. */
    readonly configMounts: readonly MountSettings[];
    /** Existing ConfigMaps and Secrets holding data that documents refer to. */
    readonly dataMounts: readonly MountSettings[];
    /** The image's configuration API version, when set; vtm/releases.ts derives it from the image's tag otherwise. */
    readonly apiVersion?: number;
    /** The registry password (secret), when the program is to create an image pull Secret. */
    readonly registryPassword?: pulumi.Output<string>;
    /** How the traffic manager is licensed: community edition, a licence key, or a Services Director. */
    readonly licensing: LicensingSettings;
    readonly kubernetes: KubernetesSettings;
    /** Configuration that does nothing: keys in namespaces no part of the program reads, provider keys it does not pass on. */
    readonly configWarnings?: readonly string[];
}

/** Where raw configuration comes from: the stack's config in a real run, anything in tests. */
export interface ConfigSource {
    /** The raw value of a project key (`vtm-kubernetes:<key>`), as the CLI hands it over. */
    get(key: string): string | undefined;
    /** Whether the project key's value is stored as a secret. */
    isSecret(key: string): boolean;
    /** The raw value of a `kubernetes:<key>` provider setting. */
    getKubernetes(key: string): string | undefined;
    /** The project's name: the namespace of its keys. */
    readonly project: string;
    /** Every key of the configuration, in every namespace, as `<namespace>:<key>`. */
    keys(): readonly string[];
    /**
     * A secret project key whose value is known only when the update runs (a component's argument that
     * another resource computes): it is set, and its checks wait for the value. @default none
     */
    computed?(key: string): pulumi.Output<string> | undefined;
    /** What the keys are, for messages: a component's arguments. @default the stack's configuration */
    readonly component?: string;
}

/** A ConfigSource over the configuration as the CLI hands it over: `<namespace>:<key>` → text. */
export function configSource(project: string, config: Readonly<Record<string, string>>, isSecret: (key: string) => boolean): ConfigSource {
    return {
        project,
        get: (key) => config[`${project}:${key}`],
        isSecret,
        getKubernetes: (key) => config[`kubernetes:${key}`],
        keys: () => Object.keys(config),
    };
}

/** Bad stack configuration: every problem, each naming its key, value and what is allowed. */
export class ConfigError extends ProblemsError {
    constructor(problems: readonly string[], component?: string) {
        const count = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
        const subject = component === undefined ? "stack configuration" : `arguments of ${component}`;
        super(`Invalid ${subject} (${count}; nothing was deployed or changed)`, problems);
        this.name = "ConfigError";
    }
}

/**
 * Problems a later room finds in the settings (the image's API version, from vtm/'s table of releases),
 * given the settings and the problems found so far, so that one error still lists every problem.
 */
export type MoreChecks = (settings: Settings, problems: readonly string[]) => readonly string[];

/** Reads the stack configuration of the running program. */
export function readSettings(more?: MoreChecks): Settings {
    return parseSettings(pulumiConfigSource(), more);
}

export function pulumiConfigSource(): ConfigSource {
    const project = pulumi.getProject();
    // The SDK keeps this check internal; without it every value counts as secret (never a false alarm).
    const isConfigSecret = (pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
    // The engine lists secret keys as `<project>:<key>`; the legacy `<project>:config:<key>` form is accepted too.
    const isSecret = (key: string) => isConfigSecret === undefined || [`${project}:${key}`, `${project}:config:${key}`].some((k) => isConfigSecret(k));
    return configSource(project, pulumi.runtime.allConfig(), isSecret);
}

/** Namespaces of configuration this program reads besides its own: the provider's and the engine's. */
const OTHER_NAMESPACES = ["kubernetes", "pulumi"];

/**
 * Keys the program never reads are mistakes: a misspelt key of the project is refused (with the closest
 * key), a key in a namespace nothing reads is warned about, and so is a `kubernetes:` key that the
 * program's own provider does not take.
 */
function checkKeys(problems: Problems, warnings: string[], src: ConfigSource, read: ReadonlySet<string>): void {
    for (const full of [...src.keys()].sort()) {
        const colon = full.indexOf(":");
        const [namespace, key] = [full.slice(0, colon), full.slice(colon + 1)];
        if (namespace === src.project) {
            if (read.has(key)) continue;
            const near = closest(key, read)[0];
            const guess = near === undefined ? "" : ` (did you mean ${near}?)`;
            problems.push(src.component === undefined
                ? `${key}: is not a setting of ${src.project}${guess}; Pulumi.yaml lists every setting`
                : `${key}: is not an argument of ${src.component}${guess}`);
        } else if (namespace === "kubernetes") {
            if (read.has(full)) continue;
            const passed = [...read].filter((k) => k.startsWith("kubernetes:"));
            const near = closest(full, passed)[0];
            warnings.push(`${full}: is not passed to the program's Kubernetes provider and does nothing${near === undefined ? "" : ` (did you mean ${near}?)`}; it takes ${passed.map((k) => k.slice("kubernetes:".length)).join(", ")}`);
        } else if (!OTHER_NAMESPACES.includes(namespace)) {
            const near = closest(namespace, [src.project, ...OTHER_NAMESPACES])[0];
            warnings.push(`${full}: no part of this program reads the namespace '${namespace}'${near === undefined ? "" : ` (did you mean ${near}:${key}?)`}`);
        }
    }
}

/** A source that remembers which keys were read, as `<key>` and `kubernetes:<key>`. */
function recording(src: ConfigSource): { source: ConfigSource; read: Set<string> } {
    const read = new Set<string>();
    return {
        read,
        source: {
            ...src,
            get: (key) => (read.add(key), src.get(key)),
            getKubernetes: (key) => (read.add(`kubernetes:${key}`), src.getKubernetes(key)),
        },
    };
}

const image = pattern(/^[^\s]+$/, 4096, "an image reference (a non-empty string without spaces)");

const nodeAddress = (v: unknown): string | Invalid =>
    typeof v === "string" && (net.isIP(v) !== 0 || (v.length <= 253 && DNS_1123_SUBDOMAIN.test(v.toLowerCase())))
        ? v
        : new Invalid("is not an IP address or host name (no scheme, port or path)");

const documentPaths = listOf((p) => typeof p === "string" && p.trim() !== "", "file or directory paths");

function parseBackend(problems: Problems, raw: string | undefined): BackendSettings {
    const d = DEFAULTS.backend;
    const o = objectValue(problems, "backend", raw, Object.keys(d));
    return {
        enabled: run(problems, "backend.enabled", o.enabled, d.enabled, bool),
        name: run(problems, "backend.name", o.name, d.name, dns1035(MAX_BACKEND_NAME_LENGTH)),
        image: run(problems, "backend.image", o.image, d.image, image),
        replicas: run(problems, "backend.replicas", o.replicas, d.replicas, wholeNumber(1)),
        portName: run(problems, "backend.portName", o.portName, d.portName, portName),
    };
}

function parseLoadBalancer(problems: Problems, raw: string | undefined): LoadBalancerSettings {
    const d = DEFAULTS.loadBalancer;
    const o = objectValue(problems, "loadBalancer", raw, Object.keys(d));
    return {
        sourceRanges: run(problems, "loadBalancer.sourceRanges", o.sourceRanges, d.sourceRanges, cidrList),
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

/** How each secret key's value is given on the command line, for the messages. */
const SECRET_VALUES: Readonly<Record<(typeof SECRET_KEYS)[number], string>> = {
    adminPassword: "<password>",
    registryPassword: "<password>",
    licenseKey: "< license.lic",
    servicesDirectorOwnerSecret: "<secret>",
};

/** Shorter admin passwords are refused: the admin UI and REST API face the network. */
export const MIN_PASSWORD_LENGTH = 12;

function shortPassword(raw: string): string | undefined {
    const length = Array.from(raw).length;
    return length >= MIN_PASSWORD_LENGTH
        ? undefined
        : `adminPassword: is ${length} character${length === 1 ? "" : "s"} long; use at least ${MIN_PASSWORD_LENGTH} (or unset it for a generated ${GENERATED_PASSWORD.length}-character password)`;
}

/** A secret key's value: its text, or an Output known only when the update runs; undefined when unset. */
function secretValue(src: ConfigSource, key: string): string | pulumi.Output<string> | undefined {
    const raw = src.get(key);
    return raw === undefined || raw === "" ? src.computed?.(key) : raw;
}

/**
 * A secret key's value, refused in plain text or when `refuse` says why; the value itself is never put in a
 * message. One known only at update time is checked then, when the component reads it again.
 */
function parseSecret(
    problems: Problems,
    src: ConfigSource,
    key: (typeof SECRET_KEYS)[number],
    refuse: (raw: string) => string | undefined = () => undefined,
): pulumi.Output<string> | undefined {
    const value = secretValue(src, key);
    if (value === undefined) {
        return undefined;
    }
    if (!src.isSecret(key)) {
        problems.push(`${key}: is stored in plain text; set it as a secret: ${configCommand(`set --secret ${key} ${SECRET_VALUES[key]}`)}`);
        return undefined;
    }
    const refused = typeof value === "string" ? refuse(value) : undefined;
    if (refused !== undefined) {
        problems.push(refused);
        return undefined;
    }
    return pulumi.secret(value);
}

/** A secret key of `licensing`: whether it is set at all (even when refused), and its accepted value. */
function licensingSecret(problems: Problems, src: ConfigSource, key: (typeof LICENSING_SECRET_KEYS)[keyof typeof LICENSING_SECRET_KEYS], refuse?: (raw: string) => string | undefined): SecretKey {
    return { set: secretValue(src, key) !== undefined, value: parseSecret(problems, src, key, refuse) };
}

const PRODUCTION_KEYS: readonly (keyof RawProduction)[] = [
    "adminService", "networkPolicy", "security", "resources", "nodeSelector", "tolerations", "affinity", "priorityClassName",
    "extraEnv", "availability", "wait", "registry", "imageDigest", "adminPasswordRotation",
];

/** Turns raw configuration into Settings, or throws one ConfigError listing every problem. */
export function parseSettings(raw: ConfigSource, more?: MoreChecks): Settings {
    const problems: Problems = [];
    const warnings: string[] = [];
    const { source: src, read } = recording(raw);
    const get = (key: string) => src.get(key);

    const eula = get("eula") ?? DEFAULTS.eula;
    if (eula !== "accept") {
        problems.push(
            `eula: ${show(eula)} does not accept the vTM licence; read it and accept it with: ${configCommand(`set eula accept`)}`,
        );
    }
    const nodeAddr = get("nodeAddress") ?? DEFAULTS.nodeAddress;
    const apiVersionText = get("apiVersion") ?? DEFAULTS.apiVersion;
    const backend = parseBackend(problems, get("backend"));
    const replicas = run(problems, "replicas", get("replicas"), DEFAULTS.replicas, wholeNumber(1));
    const settings: Settings = {
        exposure: run(problems, "exposure", get("exposure"), DEFAULTS.exposure, oneOf(EXPOSURES)),
        name: run(problems, "name", get("name"), DEFAULTS.name, dns1035(MAX_NAME_LENGTH)),
        namespace: run(problems, "namespace", get("namespace"), DEFAULTS.namespace, dns1123Label),
        replicas,
        image: run(problems, "image", get("image"), DEFAULTS.image, image),
        imagePullPolicy: run(problems, "imagePullPolicy", get("imagePullPolicy"), DEFAULTS.imagePullPolicy, oneOf(PULL_POLICIES)),
        imagePullSecrets: run(problems, "imagePullSecrets", get("imagePullSecrets"), DEFAULTS.imagePullSecrets, listOf((s) => typeof s === "string" && s.length <= 253 && DNS_1123_SUBDOMAIN.test(s), "Secret names")),
        adminPassword: parseSecret(problems, src, "adminPassword", shortPassword),
        registryPassword: parseSecret(problems, src, "registryPassword"),
        nodeAddress: nodeAddr === "" ? undefined : run(problems, "nodeAddress", nodeAddr, undefined, nodeAddress),
        backend,
        loadBalancer: parseLoadBalancer(problems, get("loadBalancer")),
        services: parseServices(problems, get("services")),
        pools: parsePools(problems, get("pools"), backend.enabled),
        documents: run(problems, "documents", get("documents"), DEFAULTS.documents, documentPaths),
        configMounts: parseMounts(problems, "configMounts", get("configMounts")),
        dataMounts: parseMounts(problems, "dataMounts", get("dataMounts")),
        apiVersion: apiVersionText === "" ? undefined : run(problems, "apiVersion", apiVersionText, undefined, positiveNumber),
        kubernetes: parseKubernetes(problems, src),
        licensing: parseLicensing(problems, get("licensing"), {
            licenseKey: licensingSecret(problems, src, LICENSING_SECRET_KEYS.licenseKey),
            ownerSecret: licensingSecret(problems, src, LICENSING_SECRET_KEYS.ownerSecret, ownerSecretProblem),
        }),
        ...parseProduction(problems, Object.fromEntries(PRODUCTION_KEYS.map((k) => [k, get(k)])), replicas),
    };
    if (settings.imageDigest !== undefined && settings.image.includes("@")) {
        problems.push(`imageDigest: cannot pin image ${show(settings.image)}, which already names a digest; set one or the other`);
    }
    if (settings.adminPasswordRotation !== "" && settings.adminPassword !== undefined) {
        problems.push("adminPasswordRotation: only rotates a generated password; with adminPassword set, set a new adminPassword to rotate it");
    }
    const registryRefused = problems.some((p) => p.startsWith("registry."));
    if (settings.registryPassword !== undefined && !registryRefused && (settings.registry.server === "" || settings.registry.username === "")) {
        problems.push(`registryPassword: needs registry.server and registry.username, to make the image pull Secret (${configCommand("set --path registry.server <host>")})`);
    }
    const exposed = adminExposureProblem(settings);
    if (exposed !== undefined) problems.push(exposed);
    checkServices(problems, settings.services, vtmNames(settings.name), checkNames(problems, settings));
    checkKeys(problems, warnings, raw, read);
    if (more !== undefined) problems.push(...more(settings, problems));
    if (problems.length > 0) {
        throw new ConfigError(problems, raw.component);
    }
    return deepFreeze({ ...settings, configWarnings: warnings });
}

/**
 * The traffic manager's and the example application's objects must not share a name or a selector
 * label; returns the Service names and nodePorts the services must not take either.
 */
function checkNames(problems: Problems, settings: Settings): Taken {
    const vtm = vtmNames(settings.name);
    const serviceNames = new Map([
        [vtm.dataService, "the shared data Service"],
        [vtm.adminService, "the admin Service"],
    ]);
    if (settings.backend.enabled) {
        const app = backendNames(settings.backend.name);
        const clash = (kind: string, ours: string, theirs: string) => {
            if (ours === theirs) {
                problems.push(`name: '${settings.name}' gives ${kind} '${ours}', which the example application (backend.name '${settings.backend.name}') also uses; choose another name or backend.name`);
            }
        };
        if (settings.name === settings.backend.name) {
            problems.push(
                `backend.name: '${settings.backend.name}' is the same as name: the example application's and the traffic manager's selectors ` +
                    "(label app) would pick each other's pods; choose another name or backend.name",
            );
        }
        clash("Deployment", vtm.deployment, app.deployment);
        clash("Service", vtm.dataService, app.service);
        clash("Service", vtm.adminService, app.service);
        serviceNames.set(app.service, "the example application's Service");
    }
    const nodePorts = new Map<number, string>();
    const admin = settings.adminService;
    if (admin.type !== "ClusterIP" && settings.exposure !== "HostNetwork") {
        if (admin.nodePorts.webui !== undefined) nodePorts.set(admin.nodePorts.webui, "adminService.nodePorts.webui");
        if (admin.nodePorts.restapi !== undefined) nodePorts.set(admin.nodePorts.restapi, "adminService.nodePorts.restapi");
    }
    return { serviceNames, nodePorts };
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
