// Property-based: about a thousand generated stack configurations per run, valid and invalid, through
// the whole program under the mock runtime (as `pulumi up` would run it).
//  - Every invalid one (a valid one with exactly one key broken) is refused with a message that names
//    the broken key, before any resource is registered, and the message never repeats a secret.
//  - Every valid one renders objects that validate against the Kubernetes schemas, use only fields the
//    API knows, live in the configured namespace, can all be created side by side (one name per kind, one
//    Service per nodePort), and hold no secret (admin password, registry password, generated password)
//    in plain text outside Secrets and secret outputs.
// The lists of allowed values below are written from the README, not imported from the program, so that
// the program cannot quietly change what the test calls valid. The seed is random and printed with the
// counts; PROPERTY_SEED=<n> repeats a run, PROPERTY_VALID_RUNS / PROPERTY_INVALID_RUNS change its size.
import * as assert from "assert";
import * as fc from "fast-check";
import * as k8sModels from "@kubernetes/client-node";
import { Recorder } from "../scripts/mockRuntime";
import { RenderResult, render } from "../scripts/render";
import { KubeObject, renderDev, unknownFields, validateSchema } from "./helpers";
import { apiVersionOfImage } from "../vtm/releases";
import { imageAdvisories } from "../settings/advisories";
import { DEFAULTS } from "../settings/defaults";

// ---------------------------------------------------------------------------------------------------
// What the README documents

const EXPOSURES = ["NodePort", "LoadBalancer", "HostNetwork"];
const PULL_POLICIES = ["Always", "IfNotPresent", "Never"];
const PROTOCOLS = [
    "client_first", "dns", "dns_tcp", "ftp", "http", "https", "imaps", "imapv2", "imapv3", "imapv4", "ldap", "ldaps",
    "pop3", "pop3s", "rtsp", "server_first", "siptcp", "sipudp", "smtp", "ssl", "stream", "telnet", "udp", "udpstreaming",
];
/** "dns, sipudp, udp and udpstreaming get UDP Service ports, all others TCP." */
const UDP_PROTOCOLS = ["dns", "sipudp", "udp", "udpstreaming"];
const ALGORITHMS = [
    "fastest_response_time", "least_connections", "perceptive", "random", "round_robin", "weighted_least_connections", "weighted_round_robin",
];
/** The monitors every traffic manager has from the factory. */
const MONITORS = [
    "Simple HTTP", "Full HTTP", "Simple HTTPS", "Full HTTPS", "Ping", "Connect", "Client First", "Server First",
    "DNS", "FTP", "POP", "SMTP", "RTSP", "SIP TCP", "SIP TLS", "SIP UDP",
];
/** A rule from config/rules and a built-in one. */
const RULES = ["Response-Headers", "Application Firewall Enforcer"];
const BUILTIN_POOLS = ["discard", "builtin_dns"];
/** The default service's name: an entry of that name is set over the default. */
const DEFAULT_SERVICES = ["example-service"];
const FRONTEND_TYPES = ["NodePort", "LoadBalancer", "ClusterIP"];
const ADMIN_TYPES = ["ClusterIP", "NodePort", "LoadBalancer"];
/** The admin interfaces (9070, 9090) and the health-check virtual server (19999) listen on TCP. */
const RESERVED_TCP_PORTS = [9070, 9090, 19999];
/** Environment variables the program sets itself (the last ones from the licensing setting). */
const MANAGED_ENV = [
    "ZEUS_EULA", "ZEUS_COMMUNITY_EDITION", "ZEUS_WATCHED_CONFIG", "ZEUS_CONFIG_IMPORT_ARGS", "ZEUS_PASS",
    "ZEUS_LIC", "ZEUS_REGISTER_HOST", "ZEUS_REGISTER_FP", "ZEUS_REGISTER_POLICY", "ZEUS_REGISTER_OWNER", "ZEUS_REGISTER_SECRET", "ZEUS_REGISTER_EMAIL", "ZEUS_REGISTER_MSG",
];
const TOLERATION_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];
/** The longest `name`: its Services (`<name>-admin-services`) must be DNS labels of 63 characters. */
const MAX_NAME = 48;
const MAX_BACKEND_NAME = 47;
const DNS_LABEL_MAX = 63;

// ---------------------------------------------------------------------------------------------------
// A configuration: config key → value as the program reads it (objects as objects, the CLI's strings
// as strings). Secret keys are given through `set` (stored as secrets, as `pulumi config set --secret`).

type Cfg = Record<string, any>;

interface Case {
    readonly cfg: Cfg;
    /** Object keys given field by field, as `pulumi config set --path key.field value` does. */
    readonly pathForm: readonly string[];
    /** What the mocked RandomPassword returns when no adminPassword is set. */
    readonly generated: string;
}

interface BrokenCase extends Case {
    /** Which breaker made it. */
    readonly kind: string;
    /** The keys a refusal may name: the one broken (two when a clash has two sides). */
    readonly keys: readonly string[];
    /** Raw values set besides the configuration (a secret key stored in plain text). */
    readonly extraSet: Readonly<Record<string, string>>;
    /** A value the refusal must not repeat. */
    readonly unsaid?: string;
}

const PATH_FORM_KEYS = ["backend", "loadBalancer", "services", "adminService", "networkPolicy", "security", "availability", "wait", "registry"];

function isObject(v: unknown): v is Record<string, any> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The `--set` values of a configuration, as the CLI hands them to the program. */
/**
 * A field's value as `pulumi config set --path` takes it on the command line: text as it is, numbers
 * and booleans as text (the CLI types them again), objects and lists as JSON; undefined when the CLI
 * would store the text as something else (a string such as "true", "80" or "{…").
 */
function pathText(value: unknown): string | undefined {
    if (typeof value !== "string") return typeof value === "number" || typeof value === "boolean" ? String(value) : JSON.stringify(value);
    return /^(true|false|-?(0|[1-9]\d*))$/.test(value) || /^\s*[[{]/.test(value) ? undefined : value;
}

function toSet(c: Case): Record<string, string> {
    const set: Record<string, string> = {};
    for (const [key, value] of Object.entries(c.cfg)) {
        if (value === undefined) continue;
        const fields = isObject(value) ? Object.keys(value).filter((f) => value[f] !== undefined) : [];
        if (c.pathForm.includes(key) && fields.length > 0 && fields.every((f) => /^[A-Za-z0-9_-]+$/.test(f) && pathText(value[f]) !== undefined)) {
            for (const f of fields) set[`${key}.${f}`] = pathText(value[f])!;
        } else {
            set[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return set;
}

// ---------------------------------------------------------------------------------------------------
// Value generators

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = LOWER.toUpperCase();
const DIGITS = "0123456789";
const ALNUM = LOWER + UPPER + DIGITS;
const HEX = "0123456789abcdef";

function charOf(chars: string): fc.Arbitrary<string> {
    return fc.constantFrom(...chars.split(""));
}

/** A word of `min` to `max` characters (the extremes often): a first, middle and last character class. */
function word(first: string, middle: string, last: string, min: number, max: number): fc.Arbitrary<string> {
    const single = first.split("").filter((ch) => last.includes(ch)).join("");
    return fc.oneof(fc.constant(min), fc.constant(max), fc.integer({ min, max })).chain((n) =>
        n <= 1
            ? charOf(single)
            : fc
                  .tuple(charOf(first), fc.string({ unit: charOf(middle), minLength: n - 2, maxLength: n - 2 }), charOf(last))
                  .map(([a, b, c]) => a + b + c),
    );
}

const text = (chars: string, min: number, max: number) => fc.string({ unit: charOf(chars), minLength: min, maxLength: max });
const dns1035 = (max: number) => word(LOWER, LOWER + DIGITS + "-", LOWER + DIGITS, 1, max);
const dns1123 = (max: number) => word(LOWER + DIGITS, LOWER + DIGITS + "-", LOWER + DIGITS, 1, max);
const subdomain = fc.array(dns1123(12), { minLength: 1, maxLength: 3 }).map((labels) => labels.join("."));
/** IANA service names (service and port names): a DNS-1035 label without "--". */
const iana = (max: number) => dns1035(max).map((s) => s.replace(/-+/g, "-"));
const labelName = word(ALNUM, ALNUM + "-_.", ALNUM, 1, 63);
const labelKey = fc.tuple(fc.option(subdomain, { nil: undefined }), labelName).map(([prefix, n]) => (prefix === undefined ? n : `${prefix}/${n}`));
const labelValue = fc.oneof(fc.constant(""), labelName);
const annotations = fc.dictionary(labelKey, fc.string({ maxLength: 30 }), { maxKeys: 3, noNullPrototype: true });
const cidr = fc
    .oneof(fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })), fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })))
    .map(([ip, bits]) => `${ip}/${bits}`);
const cidrs = (min: number) => fc.array(cidr, { minLength: min, maxLength: 3 });
const port = fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constantFrom(1, 53, 80, 443, 8080, 8443, 9070, 9090, 19999, 65535));
const nodePort = fc.integer({ min: 30000, max: 32767 });
const image = fc.oneof(
    fc.constantFrom("pulsesecure/vtm:19.1", "registry.example.com:5000/team/vtm:19.1-r2", "pulsesecure/vtm:22.7R2", "pulsesecure/vtm:18.2", "vtm", `localhost/vtm@sha256:${"0".repeat(64)}`),
    fc.tuple(subdomain, dns1123(20), text(ALNUM + "._-", 1, 20)).map(([host, repo, tag]) => `${host}/${repo}:${tag}`),
);
/** Passwords: any printable text, Unicode included. */
/** "at least 12 characters" (README). */
const MIN_PASSWORD = 12;
const password = fc.oneof(fc.string({ unit: "grapheme", minLength: MIN_PASSWORD, maxLength: 40 }), fc.string({ unit: "grapheme-ascii", minLength: MIN_PASSWORD, maxLength: 40 }));
const bool = fc.boolean();

const backend = fc.record(
    { enabled: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }), name: dns1035(MAX_BACKEND_NAME), image, replicas: fc.integer({ min: 1, max: 5 }), portName: iana(15) },
    { requiredKeys: [], noNullPrototype: true },
);

const loadBalancer = fc.record({ sourceRanges: cidrs(0), annotations, timeoutSeconds: fc.integer({ min: 0, max: 900 }) }, { requiredKeys: [], noNullPrototype: true });

const pool = fc
    .record(
        {
            serviceName: dns1035(DNS_LABEL_MAX),
            serviceNamespace: dns1123(DNS_LABEL_MAX),
            port: fc.integer({ min: 1, max: 65535 }),
            portName: iana(15),
            portProtocol: fc.constantFrom("tcp", "udp"),
            tls: bool,
            monitors: fc.subarray(MONITORS, { maxLength: 3 }),
            algorithm: fc.constantFrom(...ALGORITHMS),
        },
        { requiredKeys: [], noNullPrototype: true },
    )
    .map(({ port: p, portName, portProtocol, ...rest }) => (p !== undefined ? { ...rest, port: p } : { ...rest, portName, portProtocol }));
/** Pool names: letters, digits, '.', '_' and '-', starting with a letter or digit; up to 63 (see the report on 64). */
const poolName = word(ALNUM, ALNUM + "-._", ALNUM + "-._", 1, 63).filter((n) => !BUILTIN_POOLS.includes(n));
/** Service names, with a few that are also suffixes of the program's own object names. */
const serviceName = fc.oneof({ weight: 9, arbitrary: iana(15) }, { weight: 1, arbitrary: fc.constantFrom("service", "backend-service", "deployment", "config", "web") });
const frontend = fc.record(
    { type: fc.constantFrom(...FRONTEND_TYPES), port: fc.integer({ min: 1, max: 65535 }), nodePort, annotations, loadBalancerSourceRanges: cidrs(1) },
    { requiredKeys: [], noNullPrototype: true },
);
const service = (pools: string[]) =>
    fc.record(
        {
            protocol: fc.constantFrom(...PROTOCOLS),
            port,
            pool: fc.constantFrom(...pools),
            tlsSecret: fc.oneof(fc.constantFrom("shop-tls", "web-tls"), subdomain),
            requestRules: fc.subarray(RULES),
            responseRules: fc.subarray(RULES),
            frontend,
        },
        { requiredKeys: ["port", "pool"], noNullPrototype: true },
    );

const adminService = fc.record(
    {
        type: fc.constantFrom(...ADMIN_TYPES),
        nodePorts: fc.record({ webui: nodePort, restapi: nodePort }, { requiredKeys: [], noNullPrototype: true }),
        loadBalancerSourceRanges: cidrs(0),
        annotations,
        allowPublicLoadBalancer: bool,
    },
    { requiredKeys: ["type"], noNullPrototype: true },
);

const quantity = (units: string[], max: number) => fc.tuple(fc.integer({ min: 1, max }), fc.constantFrom(...units));
/** Requests, limits or both; a limit is a multiple of its request, so never below it. */
const resources = fc
    .record({ cpu: quantity(["m", ""], 4000), memory: quantity(["Mi", "Gi", "M", "G", "Ki", ""], 64), "ephemeral-storage": quantity(["Gi", "Mi"], 100) }, { requiredKeys: [], noNullPrototype: true })
    .chain((base) => fc.tuple(fc.constant(base), fc.constantFrom("requests", "limits", "both"), fc.integer({ min: 1, max: 4 }), bool))
    .map(([base, which, factor, numbers]) => {
        const side = (k: number) =>
            Object.fromEntries((Object.entries(base) as [string, [number, string]][]).map(([name, [n, unit]]) => [name, numbers && unit === "" ? n * k : `${n * k}${unit}`]));
        return which === "requests" ? { requests: side(1) } : which === "limits" ? { limits: side(1) } : { requests: side(1), limits: side(factor) };
    });

const toleration = fc.oneof(
    fc
        .record({ key: labelKey, effect: fc.constantFrom(...TOLERATION_EFFECTS), tolerationSeconds: fc.integer({ min: 0, max: 3600 }) }, { requiredKeys: [], noNullPrototype: true })
        .map((t) => ({ ...t, operator: "Exists" })),
    fc
        .record({ operator: fc.constant("Equal"), value: labelValue, effect: fc.constantFrom(...TOLERATION_EFFECTS), tolerationSeconds: fc.integer({ min: 0, max: 3600 }) }, { requiredKeys: [], noNullPrototype: true })
        .chain((t) => labelKey.map((key) => ({ key, ...t }))),
).map((t: Record<string, any>) => {
    const { tolerationSeconds, ...rest } = t;
    return t.effect === "NoExecute" && tolerationSeconds !== undefined ? { ...rest, tolerationSeconds } : rest;
});

const affinity = fc.constantFrom(
    { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/os", operator: "In", values: ["linux"] }] }] } } },
    { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { tier: "edge" } }, topologyKey: "topology.kubernetes.io/zone" }] } },
    { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: { labelSelector: { matchLabels: { app: "cache" } }, topologyKey: "kubernetes.io/hostname" } }] } },
);

const envName = fc.oneof(fc.constantFrom("ZEUS_DOM", "ZEUS_PACKAGES", "TZ", "_X"), word(LOWER + UPPER + "_", ALNUM + "_", ALNUM + "_", 1, 30)).filter((n) => !MANAGED_ENV.includes(n));
const extraEnv = fc.dictionary(envName, fc.string({ unit: "grapheme", maxLength: 30 }), { maxKeys: 4, noNullPrototype: true });

const availability = fc.record(
    { podDisruptionBudget: bool, maxUnavailable: fc.integer({ min: 1, max: 4 }), spreadTopologyKey: fc.oneof(fc.constantFrom("kubernetes.io/hostname", "topology.kubernetes.io/zone"), labelKey) },
    { requiredKeys: [], noNullPrototype: true },
);
const wait = fc.record({ deploymentSeconds: fc.integer({ min: 0, max: 3600 }), serviceSeconds: fc.integer({ min: 0, max: 3600 }) }, { requiredKeys: [], noNullPrototype: true });
const registry = fc.record(
    {
        server: fc.oneof(subdomain, subdomain.map((h) => `${h}:5000`), subdomain.map((h) => `${h}/team`)),
        username: text(ALNUM + "._-@", 1, 20),
        email: fc.constantFrom("ops@example.com", "a@b"),
    },
    { requiredKeys: ["server", "username"], noNullPrototype: true },
);
const mount = (kind: "configMap" | "secret" | undefined) =>
    fc.record(
        {
            name: subdomain,
            type: fc.constant(kind),
            items: fc.array(fc.tuple(text(ALNUM + "._-", 1, 10).map((k) => `k${k}`), bool), { minLength: 1, maxLength: 2 }).map((items) =>
                items.map(([key, nested], i) => ({ key: `${key}${i}`, path: nested ? `sub/${key}${i}.yaml` : `${key}${i}.yaml` })),
            ),
        },
        { requiredKeys: ["name"], noNullPrototype: true },
    );

const configArb = fc.record(
    {
        exposure: fc.constantFrom(...EXPOSURES),
        name: fc.oneof(dns1035(MAX_NAME), fc.constant("a".repeat(MAX_NAME)), fc.constant("v")),
        namespace: dns1123(DNS_LABEL_MAX),
        replicas: fc.integer({ min: 1, max: 5 }),
        image,
        imagePullPolicy: fc.constantFrom(...PULL_POLICIES),
        imagePullSecrets: fc.array(subdomain, { maxLength: 3 }),
        adminPassword: password,
        nodeAddress: fc.oneof(fc.ipV4(), fc.ipV6(), fc.domain()),
        backend,
        loadBalancer,
        adminService,
        networkPolicy: fc.record({ enabled: bool, adminCidrs: cidrs(0), adminNamespaces: fc.array(dns1123(DNS_LABEL_MAX), { maxLength: 2 }) }, { requiredKeys: [], noNullPrototype: true }),
        security: fc.record({ dropAllCapabilities: bool, extraCapabilities: fc.subarray(["NET_RAW", "SYS_TIME", "IPC_LOCK", "NET_BROADCAST", "SYS_PTRACE"]) }, { requiredKeys: [], noNullPrototype: true }),
        resources,
        nodeSelector: fc.dictionary(labelKey, labelValue, { maxKeys: 3, noNullPrototype: true }),
        tolerations: fc.array(toleration, { maxLength: 3 }),
        affinity,
        priorityClassName: subdomain,
        extraEnv,
        availability,
        wait,
        registry,
        registryPassword: password,
        imageDigest: text(HEX, 64, 64).map((h) => `sha256:${h}`),
        adminPasswordRotation: fc.string({ maxLength: 40 }),
        configMounts: fc.array(mount(undefined), { maxLength: 1 }),
        dataMounts: fc.array(fc.oneof(mount("configMap"), mount("secret")), { maxLength: 1 }),
        apiVersion: fc.constantFrom("6.2", "7", "7.0", "10.4"),
        "kubernetes:enableServerSideApply": fc.constantFrom("true", "false"),
        "kubernetes:suppressDeprecationWarnings": fc.constantFrom("true", "false"),
    },
    { requiredKeys: ["exposure"], noNullPrototype: true },
);

/** The configuration's pools and services: services refer to declared pools or built-in ones. */
function poolsAndServices(): fc.Arbitrary<{ pools?: Cfg; services?: Cfg }> {
    return fc.option(fc.dictionary(poolName, pool, { maxKeys: 4, noNullPrototype: true }), { nil: undefined, freq: 4 }).chain((pools) => {
        const names = [...(pools === undefined ? ["example-pool"] : Object.keys(pools)), ...BUILTIN_POOLS];
        return fc
            .option(fc.dictionary(serviceName, service(names), { maxKeys: 6, noNullPrototype: true }), { nil: undefined, freq: 6 })
            .map((services) => ({ pools, services }));
    });
}

function transport(protocol: string | undefined): "TCP" | "UDP" {
    return UDP_PROTOCOLS.includes(protocol ?? "http") ? "UDP" : "TCP";
}

/** The next port from `p` (wrapping) that `taken` does not hold for a transport. */
function freePort(taken: Set<string>, t: string, p: number): number {
    while (taken.has(`${t}/${p}`)) p = (p % 65535) + 1;
    return p;
}

function freeNodePort(taken: Set<number>, p: number): number {
    while (taken.has(p)) p = p >= 32767 ? 30000 : p + 1;
    return p;
}

/**
 * Makes the rules that tie keys together hold (the README's): unique ports per transport away from the
 * admin and health-check ports, TLS on TCP only, unique nodePorts among the services' own Services and
 * between the two admin ones, frontend fields that fit their type, Service names that fit and are free,
 * maxUnavailable below replicas, a serviceName for every pool when the example backend is off, a
 * registry for a registry password, a digest only on an image without one, a rotation only for a
 * generated password.
 */
function makeValid(raw: Cfg): Cfg {
    const c = structuredClone(raw);
    const backendOn = c.backend?.enabled !== false;
    const backendName: string = c.backend?.name ?? "example-application";
    // The traffic manager and the example application keep apart: another name, label and Deployment.
    if (backendOn && (c.name === backendName || c.name === `${backendName}-deployment`)) c.name = "vtm";
    const prefix: string = c.name ?? "vtm";

    if (c.pools !== undefined && c.services === undefined && !("example-pool" in c.pools)) c.pools["example-pool"] = { monitors: ["Simple HTTP"] };
    if (!backendOn) {
        c.pools ??= { "example-pool": { monitors: ["Simple HTTP"] } };
        for (const p of Object.values(c.pools as Cfg)) p.serviceName ??= "shop";
    }

    if (c.adminService !== undefined) {
        const a = c.adminService;
        if (a.type === "ClusterIP") delete a.nodePorts;
        if (a.nodePorts?.restapi !== undefined && a.nodePorts.restapi === a.nodePorts.webui) a.nodePorts.restapi = freeNodePort(new Set([a.nodePorts.webui]), a.nodePorts.restapi);
        if (a.type === "LoadBalancer" && (a.loadBalancerSourceRanges ?? []).length === 0) a.allowPublicLoadBalancer = true;
    }
    const listeners = new Set(RESERVED_TCP_PORTS.map((p) => `TCP/${p}`));
    // A service's own Service cannot ask for a nodePort the admin Service has.
    const nodePorts = new Set<number>(Object.values((c.adminService?.type ?? "NodePort") !== "ClusterIP" ? c.adminService?.nodePorts ?? {} : {}) as number[]);
    for (const [name, s] of Object.entries((c.services ?? {}) as Cfg).sort(([a], [b]) => (a < b ? -1 : 1))) {
        const t = transport(s.protocol);
        s.port = freePort(listeners, t, s.port);
        listeners.add(`${t}/${s.port}`);
        if (t === "UDP") delete s.tlsSecret;
        const f = s.frontend;
        if (f === undefined) continue;
        if (prefix.length + 1 + name.length > DNS_LABEL_MAX || [`services`, `admin-services`].includes(name)) {
            delete s.frontend;
            continue;
        }
        if (f.type === "ClusterIP") delete f.nodePort;
        if (f.type !== "LoadBalancer") delete f.loadBalancerSourceRanges;
        if (f.nodePort !== undefined) {
            f.nodePort = freeNodePort(nodePorts, f.nodePort);
            nodePorts.add(f.nodePort);
        }
    }

    const replicas: number = c.replicas ?? 1;
    if (c.availability?.maxUnavailable !== undefined && replicas > 1) c.availability.maxUnavailable = Math.min(c.availability.maxUnavailable, replicas - 1);
    if (c.registryPassword !== undefined && c.registry === undefined) delete c.registryPassword;
    if (c.imageDigest !== undefined && String(c.image ?? "").includes("@")) delete c.imageDigest;
    if (c.adminPassword !== undefined) delete c.adminPasswordRotation;
    // apiVersion is needed for a tag the releases table does not know, and may not exceed a known tag's.
    const fromTag = apiVersionOfImage(String(c.image ?? "pulsesecure/vtm:19.1"));
    if (fromTag === undefined) c.apiVersion ??= "8.3";
    else if (c.apiVersion !== undefined && Number(c.apiVersion) > fromTag) delete c.apiVersion;
    acceptAdminExposure(c);
    c.eula = "accept";
    return c;
}

/** Admin interfaces outside the cluster of a release the advisory table does not clear: accepted, as a user must. */
function acceptAdminExposure(c: Cfg): void {
    const exposed = c.exposure === "HostNetwork" || (c.adminService?.type !== undefined && c.adminService.type !== "ClusterIP");
    const advisories = imageAdvisories(String(c.image ?? DEFAULTS.image)).advisories.map((a) => a.id);
    if (exposed && advisories.length > 0) c.security = { ...(c.security ?? {}), acceptAdminExposure: advisories };
}

const validCase: fc.Arbitrary<Case> = fc
    .record({
        cfg: configArb,
        pathForm: fc.subarray(PATH_FORM_KEYS),
        generated: text(ALNUM, 24, 24),
    })
    .chain(({ cfg, ...rest }) => poolsAndServices().map((ps) => ({ ...rest, cfg: makeValid({ ...cfg, ...ps }) })));

// ---------------------------------------------------------------------------------------------------
// Breakers: each takes a valid configuration and breaks exactly one key

interface Broken {
    readonly cfg: Cfg;
    readonly keys: readonly string[];
    readonly extraSet?: Record<string, string>;
    readonly unsaid?: string;
}

/** A copy of `c`, changed by `edit`, which returns the keys a refusal may name. */
function mutate(c: Cfg, edit: (x: Cfg) => readonly string[] | Broken): Broken {
    const x = structuredClone(c);
    const result = edit(x);
    // An edit that puts the admin interfaces outside the cluster accepts it, as a valid configuration does.
    if (x.security === undefined || (typeof x.security === "object" && !Array.isArray(x.security))) acceptAdminExposure(x);
    return Array.isArray(result) ? { cfg: x, keys: result as readonly string[] } : { ...(result as Broken), cfg: x };
}

/** Services with at least one entry (the example service made explicit when there is none). */
function withServices(c: Cfg): Cfg {
    const x = structuredClone(c);
    if (x.services === undefined) x.services = { "example-service": { protocol: "http", port: 80, pool: "example-pool", responseRules: ["Response-Headers"] } };
    if (Object.keys(x.services).length === 0) x.services = { web: { port: 8080, pool: "discard" } };
    return x;
}

/** Pools with at least one entry (the example pool made explicit when there is none). */
function withPools(c: Cfg): Cfg {
    const x = structuredClone(c);
    if (x.pools === undefined || Object.keys(x.pools).length === 0) x.pools = { ...(x.pools ?? {}), "example-pool": { monitors: ["Simple HTTP"] } };
    if (x.backend?.enabled === false) for (const p of Object.values(x.pools as Cfg)) p.serviceName ??= "shop";
    return x;
}

function listeners(c: Cfg, except?: string): Set<string> {
    const taken = new Set(RESERVED_TCP_PORTS.map((p) => `TCP/${p}`));
    for (const [n, s] of Object.entries((c.services ?? {}) as Cfg)) if (n !== except) taken.add(`${transport(s.protocol)}/${s.port}`);
    return taken;
}

function usedNodePorts(c: Cfg, except?: string): Set<number> {
    const taken = new Set<number>();
    for (const p of [c.adminService?.nodePorts?.webui, c.adminService?.nodePorts?.restapi]) if (p !== undefined) taken.add(p);
    for (const [n, s] of Object.entries((c.services ?? {}) as Cfg)) if (n !== except && s.frontend?.nodePort !== undefined) taken.add(s.frontend.nodePort);
    return taken;
}

/** A service name not used yet. */
function freshService(c: Cfg, base: string): string {
    let n = base;
    for (let i = 2; c.services?.[n] !== undefined; i++) n = `${base}${i}`;
    return n;
}

type Breaker = readonly [kind: string, make: (c: Cfg) => fc.Arbitrary<Broken>];

const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);

/** A breaker of one service: `edit(service, name, cfg)` returns the keys. */
function onService(kind: string, values: fc.Arbitrary<any>, edit: (s: Cfg, name: string, x: Cfg, v: any) => readonly string[]): Breaker {
    return [
        kind,
        (c) => {
            const base = withServices(c);
            return fc.tuple(pick(Object.keys(base.services)), values).map(([name, v]) => mutate(base, (x) => edit(x.services[name], name, x, v)));
        },
    ];
}

/**
 * A field left out of a service is missing only where no default stands in: "an entry named as a
 * default one is set over that default" (docs/configuration.md). The default service is renamed first.
 */
function ownService(x: Cfg, n: string): string {
    if (!DEFAULT_SERVICES.includes(n)) return n;
    const own = `${n.slice(0, 10)}-own`;
    x.services[own] = x.services[n];
    delete x.services[n];
    return own;
}

/** Whether a service's own Service name (`<name>-<service>`) fits and is free. */
function frontendFits(x: Cfg, n: string): boolean {
    return String(x.name ?? "vtm").length + 1 + n.length <= DNS_LABEL_MAX && !["services", "admin-services"].includes(n);
}

/** A breaker of one service's frontend: only services whose own Service name fits (one is added when none does). */
function onFrontend(kind: string, values: fc.Arbitrary<any>, edit: (s: Cfg, name: string, x: Cfg, v: any) => readonly string[]): Breaker {
    return [
        kind,
        (c) => {
            const base = withServices(c);
            let names = Object.keys(base.services).filter((n) => frontendFits(base, n));
            if (names.length === 0) {
                const n = freshService(base, "fe");
                base.services[n] = { port: freePort(listeners(base), "TCP", 8000), pool: "discard" };
                names = [n];
            }
            return fc.tuple(pick(names), values).map(([name, v]) => mutate(base, (x) => edit(x.services[name], name, x, v)));
        },
    ];
}

function onPool(kind: string, values: fc.Arbitrary<any>, edit: (p: Cfg, name: string, x: Cfg, v: any) => readonly string[]): Breaker {
    return [
        kind,
        (c) => {
            const base = withPools(c);
            return fc.tuple(pick(Object.keys(base.pools)), values).map(([name, v]) => mutate(base, (x) => edit(x.pools[name], name, x, v)));
        },
    ];
}

/** Sets one field of an object-valued key. */
function onField(key: string, field: string, values: fc.Arbitrary<unknown>, start: Cfg = {}): Breaker {
    return [`${key}.${field}`, (c) => values.map((v) => mutate(c, (x) => ((x[key] = { ...(x[key] ?? start), [field]: v }), [`${key}.${field}`])))];
}

function onKey(key: string, values: fc.Arbitrary<unknown>, kind = key): Breaker {
    return [kind, (c) => values.map((v) => mutate(c, (x) => ((x[key] = v), [key])))];
}

const upperCased = (s: string) => s.toUpperCase();
const tooLong = (n: number) => word(LOWER, LOWER + DIGITS + "-", LOWER + DIGITS, n, n + 20);
const distinctive = text(ALNUM, 10, 20).map((s) => `Plain-${s}-Text`);
/** The configMounts make references open-world (a mounted document may define a pool or rule): the reference checks need them gone. */
const closedWorld = (x: Cfg) => delete x.configMounts;

/** The example application (on) and the default services, so that only the clash below is reported. */
const withBackend = (x: Cfg, name: string) => {
    x.backend = { ...(x.backend ?? {}), enabled: true, name };
    delete x.services;
    delete x.pools;
};

const BREAKERS: readonly Breaker[] = [
    [
        "name (the example application's name)",
        (c) => dns1035(MAX_BACKEND_NAME).map((b) => mutate(c, (x) => (withBackend(x, b), (x.name = b), ["backend.name"]))),
    ],
    [
        "name (the example application's Deployment)",
        (c) => dns1035(MAX_NAME - "-deployment".length).map((b) => mutate(c, (x) => (withBackend(x, b), (x.name = `${b}-deployment`), ["name"]))),
    ],
    [
        "resources.requests.<cpu|memory> (above its limit)",
        (c) =>
            pick([["cpu", "2", "500m"], ["memory", "4Gi", "2Gi"]] as const).map(([name, request, limit]) =>
                mutate(c, (x) => ((x.resources = { requests: { [name]: request }, limits: { [name]: limit } }), [`resources.requests.${name}`])),
            ),
    ],
    [
        "services.<x>.frontend.nodePort (the admin Service's)",
        (c) =>
            nodePort.map((p) =>
                mutate(c, (x) => {
                    x.exposure = "NodePort";
                    x.adminService = { type: "NodePort", nodePorts: { webui: p } };
                    x.services = { "np-web": { port: 8081, pool: "discard", frontend: { nodePort: p } } };
                    return ["services.np-web.frontend.nodePort"];
                }),
            ),
    ],
    onKey("exposure", pick(["Bogus", "nodeport", "ClusterIP", "", "HostNetwork ", "LoadBalancer,NodePort"])),
    onKey("name", fc.oneof(tooLong(MAX_NAME + 1), dns1035(MAX_NAME).map(upperCased), pick(["1vtm", "vtm-", "vtm_x", "-vtm", "", "vtm.edge"]))),
    onKey("namespace", fc.oneof(tooLong(DNS_LABEL_MAX + 1), pick(["Team_A", "-x", "x-", "", "a.b"]))),
    onKey("replicas", pick(["0", "-1", "1.5", "two", "", "1e3", "0x10"])),
    onKey("image", pick(["pulsesecure/vtm 19.1", "", " ", "a\tb"])),
    onKey("imagePullPolicy", pick(["always", "", "Sometimes"])),
    onKey("imagePullSecrets", pick(['["Reg Cred"]', '"regcred"', "regcred", "[1]", '{"a": "b"}', '["-x"]'])),
    onKey("eula", pick(["", "yes", "Accept", "accepted", "true"])),
    onKey("nodeAddress", pick(["http://10.0.0.1:30080", "10.0.0.1:80", "a b", "-bad-.example", "node/1"])),
    onKey("backend", pick(["off", "false", "[]"]), "backend (not an object)"),
    onField("backend", "enabled", pick(["no", "yes", 1, "False"])),
    onField("backend", "replicas", pick([0, -1, "two", 1.5])),
    onField("backend", "name", fc.oneof(tooLong(MAX_BACKEND_NAME + 1), pick(["Example", "1app", "app_1", ""]))),
    onField("backend", "image", pick(["nginx 1.7", ""])),
    onField("backend", "portName", pick(["http_port", "a".repeat(16), "80", "-http", "h--p"])),
    onField("backend", "enable", pick([false, true])),
    [
        "pools.<pool>.serviceName (backend off)",
        (c) =>
            fc.constant(null).map(() =>
                mutate(c, (x) => {
                    x.backend = { ...(x.backend ?? {}), enabled: false };
                    x.pools ??= { "example-pool": { monitors: ["Simple HTTP"] } };
                    const names = Object.keys(x.pools);
                    if (names.length === 0) x.pools["example-pool"] = {};
                    delete x.pools[Object.keys(x.pools)[0]].serviceName;
                    return Object.entries(x.pools as Cfg).filter(([, p]) => p.serviceName === undefined).map(([n]) => `pools.${n}.serviceName`);
                }),
            ),
    ],
    onField("loadBalancer", "sourceRanges", pick([["10.0.0.0/33"], ["10.0.0.0"], "10.0.0.0/8", ["::/129"], [1]])),
    onField("loadBalancer", "annotations", pick([{ a: { b: "c" } }, { a: null }, ["a"], "a=b"])),
    onField("loadBalancer", "timeoutSeconds", pick([-5, "soon", 1.5])),
    onField("loadBalancer", "timeout", pick([5])),
    onService("services.<s>.port", pick([0, 70000, -1, "80a", 1.5, "eighty", null]), (s, n, _x, v) => ((s.port = v), [`services.${n}.port`])),
    onService("services.<s>.port (missing)", fc.constant(0), (_s, n, x) => ((n = ownService(x, n)), delete x.services[n].port, [`services.${n}.port`])),
    onService("services.<s>.pool (unknown)", fc.oneof(dns1035(20).map((p) => `missing-${p}`), pick(["", "Discard", "example_pool"])), (s, n, x, v) => {
        closedWorld(x);
        s.pool = Object.keys(x.pools ?? { "example-pool": {} }).includes(v) ? `${v}-x` : v;
        return [`services.${n}.pool`];
    }),
    onService("services.<s>.pool (missing)", fc.constant(0), (_s, n, x) => ((n = ownService(x, n)), delete x.services[n].pool, [`services.${n}.pool`])),
    // A refused protocol counts as http: a UDP service's port may then clash on TCP, and that may be said too.
    onService("services.<s>.protocol", pick(["http2", "HTTP", "tcp", "", "quic", 80]), (s, n, x, v) => {
        const wasUdp = transport(s.protocol) === "UDP";
        s.protocol = v;
        return wasUdp ? [`services.${n}.protocol`, ...Object.keys(x.services).map((m) => `services.${m}.port`)] : [`services.${n}.protocol`];
    }),
    onService("services.<s>.port (duplicate)", fc.constant(0), (s, n, x) => {
        const other = freshService(x, "dup");
        x.services[other] = { protocol: transport(s.protocol) === "UDP" ? "udp" : "http", port: s.port, pool: "discard" };
        return [`services.${n}.port`, `services.${other}.port`];
    }),
    onService("services.<s>.port (admin or health-check port)", pick(RESERVED_TCP_PORTS), (s, n, _x, v) => {
        if (transport(s.protocol) === "UDP") s.protocol = "http";
        s.port = v;
        return [`services.${n}.port`];
    }),
    onService("services.<s> (bad name)", fc.oneof(tooLong(16), pick(["Web", "1web", "web-", "w--b", "web_1", "-web"])), (s, n, x, v) => {
        delete x.services[n];
        x.services[v] = s;
        return [`services.${v}`];
    }),
    onService("services.<s>.tlsSecret (on UDP)", pick(UDP_PROTOCOLS), (s, n, x, v) => {
        s.protocol = v;
        s.port = freePort(listeners(x, n), "UDP", s.port);
        s.tlsSecret = "web-tls";
        return [`services.${n}.tlsSecret`];
    }),
    onService("services.<s>.tlsSecret (bad name)", pick(["Bad_Secret", "", "-tls", "a b"]), (s, n, x, v) => {
        if (transport(s.protocol) === "UDP") {
            s.protocol = "http";
            s.port = freePort(listeners(x, n), "TCP", s.port);
        }
        s.tlsSecret = v;
        return [`services.${n}.tlsSecret`];
    }),
    onService("services.<s>.requestRules", pick([["Nope"], "Response-Headers", [""], [1]]), (s, n, x, v) => (closedWorld(x), (s.requestRules = v), [`services.${n}.requestRules`])),
    onService("services.<s>.<unknown field>", pick(["tls", "ports", "Port", "backend"]), (s, n, _x, v) => ((s[v] = "x"), [`services.${n}.${v}`])),
    onFrontend("services.<s>.frontend.nodePort (ClusterIP)", nodePort, (s, n, x, v) => {
        s.frontend = { ...(s.frontend ?? {}), type: "ClusterIP", nodePort: freeNodePort(usedNodePorts(x, n), v) };
        delete s.frontend.loadBalancerSourceRanges;
        return [`services.${n}.frontend.nodePort`];
    }),
    onFrontend("services.<s>.frontend.nodePort (duplicate)", nodePort, (s, n, x, v) => {
        const p = freeNodePort(usedNodePorts(x, n), v);
        if (s.frontend?.type === "ClusterIP") delete s.frontend.type;
        s.frontend = { ...(s.frontend ?? {}), nodePort: p };
        const other = freshService(x, "np");
        const t = transport(s.protocol);
        x.services[other] = { protocol: t === "UDP" ? "udp" : "http", port: freePort(listeners(x), t, 20000), pool: "discard", frontend: { nodePort: p } };
        return [`services.${n}.frontend.nodePort`, `services.${other}.frontend.nodePort`];
    }),
    onFrontend("services.<s>.frontend.nodePort (out of range)", pick([0, 70000, "x"]), (s, n, _x, v) => {
        if (s.frontend?.type === "ClusterIP") delete s.frontend.type;
        s.frontend = { ...(s.frontend ?? {}), nodePort: v };
        return [`services.${n}.frontend.nodePort`];
    }),
    onFrontend("services.<s>.frontend.loadBalancerSourceRanges (not LoadBalancer)", fc.tuple(pick(["NodePort", "ClusterIP"]), cidrs(1)), (s, n, _x, [type, ranges]) => {
        s.frontend = { ...(s.frontend ?? {}), type, loadBalancerSourceRanges: ranges };
        if (type === "ClusterIP") delete s.frontend.nodePort;
        return [`services.${n}.frontend.loadBalancerSourceRanges`];
    }),
    onFrontend("services.<s>.frontend.type", pick(["Nodeport", "ExternalName", "", "Headless"]), (s, n, _x, v) => ((s.frontend = { ...(s.frontend ?? {}), type: v }), [`services.${n}.frontend.type`])),
    onFrontend("services.<s>.frontend.port", pick([0, 70000, "http"]), (s, n, _x, v) => ((s.frontend = { ...(s.frontend ?? {}), port: v }), [`services.${n}.frontend.port`])),
    onFrontend("services.<s>.frontend.annotations", pick([{ a: ["b"] }, "a=b", ["a"]]), (s, n, _x, v) => ((s.frontend = { ...(s.frontend ?? {}), annotations: v }), [`services.${n}.frontend.annotations`])),
    onFrontend("services.<s>.frontend.<unknown field>", pick(["targetPort", "Type", "externalIPs"]), (s, n, _x, v) => ((s.frontend = { ...(s.frontend ?? {}), [v]: 1 }), [`services.${n}.frontend.${v}`])),
    onFrontend("services.<s>.frontend (not an object)", pick(["yes", "[]", 1]), (s, n, _x, v) => ((s.frontend = v), [`services.${n}.frontend`])),
    [
        "services.<s> (frontend Service name too long)",
        (c) =>
            fc.tuple(word(LOWER, LOWER + DIGITS + "-", LOWER + DIGITS, MAX_NAME, MAX_NAME), iana(15).filter((s) => s.length === 15), port).map(([prefix, svc, p]) =>
                mutate(c, (x) => {
                    x.name = prefix;
                    x.services = { ...(x.services ?? {}), [svc]: { port: freePort(listeners(x, svc), "TCP", p), pool: "discard", frontend: {} } };
                    // Every frontend whose Service name no longer fits is named.
                    return Object.entries(x.services as Cfg).filter(([n, s]) => s.frontend !== undefined && prefix.length + 1 + n.length > DNS_LABEL_MAX).map(([n]) => `services.${n}`);
                }),
            ),
    ],
    [
        "services.<s> (frontend Service name taken)",
        (c) =>
            fc.tuple(pick(["services", "admin-services"]), port).map(([svc, p]) =>
                mutate(c, (x) => {
                    x.services = { ...(x.services ?? {}), [svc]: { port: freePort(listeners(x, svc), "TCP", p), pool: "discard", frontend: {} } };
                    return [`services.${svc}`];
                }),
            ),
    ],
    onKey("services", pick(['["web"]', "web", '"x"', "null", "42"]), "services (not a map)"),
    onKey("pools", pick(['["web"]', "web", "null"]), "pools (not a map)"),
    onPool("pools.<p>.algorithm", pick(["roundrobin", "Round_Robin", "", "least-connections"]), (p, n, _x, v) => ((p.algorithm = v), [`pools.${n}.algorithm`])),
    onPool("pools.<p>.portName/portProtocol with port", pick(["portName", "portProtocol", "both"]), (p, n, _x, v) => {
        p.port = p.port ?? 8443;
        const fields = v === "both" ? ["portName", "portProtocol"] : [v];
        if (fields.includes("portName")) p.portName = "http";
        else delete p.portName;
        if (fields.includes("portProtocol")) p.portProtocol = "tcp";
        else delete p.portProtocol;
        return fields.map((f) => `pools.${n}.${f}`);
    }),
    onPool("pools.<p>.portProtocol", pick(["sctp", "TCP", ""]), (p, n, _x, v) => (delete p.port, (p.portProtocol = v), [`pools.${n}.portProtocol`])),
    onPool("pools.<p>.monitors", pick([["Smiple HTTP"], "Ping", ["Ping", ""], [1]]), (p, n, x, v) => (closedWorld(x), (p.monitors = v), [`pools.${n}.monitors`])),
    onPool("pools.<p>.serviceName", fc.oneof(tooLong(64), pick(["Shop_Frontend", "1shop", "shop."])), (p, n, _x, v) => ((p.serviceName = v), [`pools.${n}.serviceName`])),
    onPool("pools.<p>.serviceNamespace", fc.oneof(tooLong(64), pick(["Kube_System", "-x", "a.b"])), (p, n, _x, v) => ((p.serviceNamespace = v), [`pools.${n}.serviceNamespace`])),
    onPool("pools.<p>.port", pick([0, 70000, "http"]), (p, n, _x, v) => (delete p.portName, delete p.portProtocol, (p.port = v), [`pools.${n}.port`])),
    onPool("pools.<p>.tls", pick(["yes", 1]), (p, n, _x, v) => ((p.tls = v), [`pools.${n}.tls`])),
    onPool("pools.<p>.<unknown field>", pick(["service", "Port", "nodes"]), (p, n, _x, v) => ((p[v] = "x"), [`pools.${n}.${v}`])),
    onPool("pools.<p> (bad name)", pick(["-web", "web pool", "web/1", "a".repeat(65), "wéb"]), (p, n, x, v) => {
        delete x.pools[n];
        x.pools[v] = p;
        return [`pools.${v}`];
    }),
    [
        "adminService.loadBalancerSourceRanges (public LoadBalancer)",
        (c) =>
            fc.constant(null).map(() =>
                mutate(c, (x) => ((x.adminService = { ...(x.adminService ?? {}), type: "LoadBalancer", loadBalancerSourceRanges: [], allowPublicLoadBalancer: false }), ["adminService.loadBalancerSourceRanges"])),
            ),
    ],
    [
        "adminService.type",
        // A refused type counts as the default, ClusterIP, so fixed nodePorts are refused with it (see the report).
        (c) =>
            pick(["Nodeport", "ExternalName", ""]).map((v) =>
                mutate(c, (x) => {
                    x.adminService = { ...(x.adminService ?? { type: "NodePort" }), type: v };
                    const nodePorts = Object.values(x.adminService.nodePorts ?? {}).some((p) => p !== undefined);
                    return nodePorts ? ["adminService.type", "adminService.nodePorts"] : ["adminService.type"];
                }),
            ),
    ],
    [
        "adminService.nodePorts (ClusterIP)",
        (c) => nodePort.map((p) => mutate(c, (x) => ((x.adminService = { ...(x.adminService ?? {}), type: "ClusterIP", nodePorts: { webui: p } }), ["adminService.nodePorts"]))),
    ],
    [
        "adminService.nodePorts.restapi (same as webui)",
        // The shared port is one no service's own Service asks for, so that only the admin clash is broken.
        (c) =>
            nodePort.map((p) =>
                mutate(c, (x) => {
                    x.adminService = { ...(x.adminService ?? {}), type: "NodePort", nodePorts: {} };
                    const free = freeNodePort(usedNodePorts(x), p);
                    x.adminService.nodePorts = { webui: free, restapi: free };
                    return ["adminService.nodePorts.restapi"];
                }),
            ),
    ],
    [
        "adminService.nodePorts.webui (out of range)",
        (c) => pick([0, 70000, "x"]).map((p) => mutate(c, (x) => ((x.adminService = { ...(x.adminService ?? {}), type: "NodePort", nodePorts: { webui: p } }), ["adminService.nodePorts.webui"]))),
    ],
    onField("adminService", "annotations", pick([{ a: { b: 1 } }, "a=b"]), { type: "NodePort" }),
    onField("adminService", "ports", pick([[9090]]), { type: "NodePort" }),
    onField("networkPolicy", "enabled", pick(["maybe", 1])),
    onField("networkPolicy", "adminCidrs", pick([["10.0.0.0/40"], "10.0.0.0/8", ["example.com"]])),
    onField("networkPolicy", "adminNamespaces", pick([[""], "kube-system", [1]])),
    onKey("networkPolicy", pick(["on", "[]"]), "networkPolicy (not an object)"),
    onField("security", "dropAllCapabilities", pick(["yes", 0])),
    onField("security", "extraCapabilities", pick([["ALL"], ["net_raw"], "NET_RAW", ["NET RAW"]])),
    [
        "resources.<requests|limits>",
        (c) =>
            fc.tuple(pick(["requests", "limits"]), pick([{ cpu: "2 cores" }, { memory: "1GB" }, { gpu: "1" }, { cpu: -1 }, "500m", { memory: "" }])).map(([side, v]) =>
                mutate(c, (x) => ((x.resources = { ...(x.resources ?? {}), [side]: v }), [`resources.${side}`])),
            ),
    ],
    onKey("nodeSelector", pick([{ "bad key!": "x" }, { a: [1] }, "disk=ssd"])),
    [
        "tolerations[<i>].<field>",
        (c) =>
            pick([
                [{ key: "a", effect: "NoRun" }, "effect"],
                [{ key: "a", operator: "Exists", value: "x" }, "value"],
                [{ key: "a", effect: "NoSchedule", tolerationSeconds: 60 }, "tolerationSeconds"],
                [{ key: "a", operator: "In" }, "operator"],
                [{ keys: "a" }, "keys"],
                [{ key: "bad key" }, "key"],
                [{ key: "a", effect: "NoExecute", tolerationSeconds: -1 }, "tolerationSeconds"],
            ] as const).map(([t, field]) =>
                mutate(c, (x) => {
                    x.tolerations = [...(x.tolerations ?? []), t];
                    return [`tolerations[${x.tolerations.length - 1}].${field}`];
                }),
            ),
    ],
    onKey("tolerations", pick(['{"key": "a"}', "a"]), "tolerations (not a list)"),
    onKey("priorityClassName", pick(["High_Priority", "-x", "a b"])),
    [
        "extraEnv.<name>",
        (c) =>
            fc.oneof(pick(MANAGED_ENV), pick(["1BAD", "MY-VAR", "A B", "é"])).map((name) =>
                mutate(c, (x) => ((x.extraEnv = { ...(x.extraEnv ?? {}), [name]: "x" }), [`extraEnv.${name}`])),
            ),
    ],
    onKey("extraEnv", pick([{ X: { Y: "1" } }, { X: null }, "X=1"]), "extraEnv (not a map of strings)"),
    [
        "availability.maxUnavailable (every replica)",
        (c) =>
            fc.tuple(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 0, max: 3 })).map(([replicas, more]) =>
                mutate(c, (x) => ((x.replicas = replicas), (x.availability = { ...(x.availability ?? {}), maxUnavailable: replicas + more }), ["availability.maxUnavailable"])),
            ),
    ],
    onField("availability", "maxUnavailable", pick([0, -1, "one"])),
    onField("availability", "podDisruptionBudget", pick(["yes", 1])),
    onField("availability", "spreadTopologyKey", pick(["bad key", "", "-zone"])),
    onField("wait", "deploymentSeconds", pick([-1, "soon", 1.5])),
    onField("wait", "serviceSeconds", pick([-1, "soon"])),
    [
        "registryPassword (no registry)",
        (c) =>
            fc.tuple(password, pick([undefined, { server: "", username: "u" }, { server: "registry.example.com" }, { username: "u" }])).map(([pw, reg]) =>
                mutate(c, (x) => {
                    x.registryPassword = pw;
                    if (reg === undefined) delete x.registry;
                    else x.registry = reg;
                    return ["registryPassword"];
                }),
            ),
    ],
    // A registry password needs the server and user name that were refused: that may be said too.
    ...(["server", "username"] as const).map((field): Breaker => [
        `registry.${field}`,
        (c) =>
            pick(field === "server" ? ["registry example.com", "/registry"] : ["a:b", "a b"]).map((v) =>
                mutate(c, (x) => ((x.registry = { ...(x.registry ?? {}), [field]: v }), x.registryPassword === undefined ? [`registry.${field}`] : [`registry.${field}`, "registryPassword"])),
            ),
    ]),
    onField("registry", "email", pick(["not-an-email", "a@b c"])),
    onKey("imageDigest", fc.oneof(pick(["sha256:abc", "latest", "sha256:"]), text(HEX, 64, 64).map((h) => `sha512:${h}`), text(HEX, 64, 64).map((h) => `sha256:${h.toUpperCase()}A`))),
    [
        "image (a tag the releases table does not know, without apiVersion)",
        (c) => pick(["pulsesecure/vtm:latest", `pulsesecure/vtm@sha256:${"1".repeat(64)}`, "pulsesecure/vtm:99.1"]).map((v) => mutate(c, (x) => ((x.image = v), delete x.apiVersion, delete x.imageDigest, ["image"]))),
    ],
    [
        "apiVersion (newer than the image's tag)",
        (c) => pick(["7.0", "8.3"]).map((v) => mutate(c, (x) => ((x.image = "pulsesecure/vtm:19.1"), (x.apiVersion = v), ["apiVersion"]))),
    ],
    [
        "imageDigest (image has a digest)",
        (c) => text(HEX, 64, 64).map((h) => mutate(c, (x) => ((x.image = `registry.example.com/vtm@sha256:${h}`), (x.imageDigest = `sha256:${h}`), (x.apiVersion ??= "6.2"), ["imageDigest"]))),
    ],
    [
        "adminPasswordRotation (with adminPassword)",
        (c) =>
            fc.tuple(password, fc.string({ minLength: 1, maxLength: 20 })).map(([pw, rotation]) =>
                mutate(c, (x) => ((x.adminPassword ??= pw), (x.adminPasswordRotation = rotation), ["adminPasswordRotation"])),
            ),
    ],
    onKey("adminPasswordRotation", fc.string({ minLength: 254, maxLength: 300 }).filter((s) => s.length > 253), "adminPasswordRotation (too long)"),
    [
        "adminPassword (too short)",
        (c) => text(ALNUM, 6, MIN_PASSWORD - 1).map((pw) => mutate(c, (x) => ((x.adminPassword = pw), delete x.adminPasswordRotation, { cfg: x, keys: ["adminPassword"], unsaid: pw }))),
    ],
    [
        "adminPassword (plain text)",
        (c) =>
            distinctive.map((pw) =>
                mutate(c, (x) => {
                    delete x.adminPassword;
                    return { cfg: x, keys: ["adminPassword"], extraSet: { "vtm-kubernetes:adminPassword": pw }, unsaid: pw };
                }),
            ),
    ],
    [
        "registryPassword (plain text)",
        (c) =>
            distinctive.map((pw) =>
                mutate(c, (x) => {
                    delete x.registryPassword;
                    return { cfg: x, keys: ["registryPassword"], extraSet: { "vtm-kubernetes:registryPassword": pw }, unsaid: pw };
                }),
            ),
    ],
    onKey("apiVersion", pick(["latest", "0", "-1", "v6.2", " "])),
    onKey("configMounts", pick(['{"name": "x"}', "x"]), "configMounts (not a list)"),
    [
        "configMounts/dataMounts[0].<field>",
        (c) =>
            fc.tuple(pick(["configMounts", "dataMounts"]), pick([
                [{ type: "secret" }, "name"],
                [{ name: "x", type: "Secret" }, "type"],
                [{ name: "Bad_Name" }, "name"],
                [{ name: "x", items: [{ key: "a", path: "../a" }] }, "items[0].path"],
                [{ name: "x", items: [{ key: "a", path: "/a" }] }, "items[0].path"],
                [{ name: "x", items: [] }, "items"],
                [{ name: "x", items: [{ path: "a" }] }, "items[0].key"],
                [{ name: "x", mode: 420 }, "mode"],
            ] as const)).map(([key, [mountValue, field]]) => mutate(c, (x) => ((x[key] = [mountValue]), [`${key}[0].${field}`]))),
    ],
    onKey("documents", pick(["config/more", '"x"']), "documents (not a list)"),
    onKey("kubernetes:enableServerSideApply", pick(["maybe", "yes"])),
    [
        "kubernetes:context (with renderYamlToDirectory)",
        (c) => fc.constant(null).map(() => mutate(c, (x) => ((x["kubernetes:renderYamlToDirectory"] = "out"), (x["kubernetes:context"] = "kind-kind"), ["kubernetes:context"]))),
    ],
];

const brokenCase: fc.Arbitrary<BrokenCase> = validCase.chain((c) =>
    pick(BREAKERS).chain(([kind, make]) =>
        make(c.cfg).map((b): BrokenCase => ({ ...c, cfg: b.cfg, kind, keys: b.keys, extraSet: b.extraSet ?? {}, unsaid: b.unsaid })),
    ),
);

// ---------------------------------------------------------------------------------------------------
// Checks

// Offline, as `npm run render` renders: these are properties of the settings, and a generated nodeSelector
// or spread key that no node has is the cluster's business (tests/cluster.test.ts).
const OFFLINE = { cluster: undefined };
const DEV = { stack: "dev", ...OFFLINE };

/** Every string (keys too) of what the program hands out beside Secrets: resource inputs and non-secret outputs. */
function exposedStrings(result: RenderResult): [string, string][] {
    const out: [string, string][] = [];
    const walk = (v: unknown, at: string): void => {
        if (typeof v === "string") out.push([at, v]);
        else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
        else if (isObject(v)) {
            for (const [k, x] of Object.entries(v)) {
                out.push([`${at} (key)`, k]);
                walk(x, `${at}.${k}`);
            }
        }
    };
    for (const r of result.recorder.resources) if (r.type !== "kubernetes:core/v1:Secret") walk(r.inputs, `${r.type} ${r.name}`);
    for (const [name, o] of Object.entries(result.outputs)) if (!o.secret) walk(o.value, `output ${name}`);
    return out;
}

/** The places where a secret shows: as itself, base64-encoded, or JSON-escaped. */
function placesOf(strings: [string, string][], secret: string): string[] {
    const forms = [...new Set([secret, Buffer.from(secret).toString("base64"), JSON.stringify(secret).slice(1, -1)])];
    return strings.filter(([, s]) => forms.some((f) => s.includes(f))).map(([at]) => at);
}

const stats = { tried: 0, valid: 0, refused: 0, leakRechecks: 0, byBreaker: new Map<string, number>() };

async function checkValid(c: Case): Promise<void> {
    stats.tried++;
    const set = toSet(c);
    const show = `set: ${JSON.stringify(set)}`;
    let result: RenderResult;
    try {
        result = await renderDev(set, OFFLINE, { password: () => c.generated });
    } catch (err) {
        throw new Error(`a valid configuration was refused: ${(err as Error).message}\n${show}`);
    }
    const namespace = c.cfg.namespace ?? "default";
    assert.ok(result.objects.some((o) => o.kind === "Deployment"), `no Deployment\n${show}`);
    const seen = new Set<string>();
    for (const o of result.objects as KubeObject[]) {
        const id = `${o.kind}/${o.metadata?.name}`;
        try {
            validateSchema(o);
        } catch (err) {
            throw new Error(`${(err as Error).message}\n${show}`);
        }
        const model = (k8sModels as unknown as Record<string, { getAttributeTypeMap?: unknown }>)[`V1${o.kind}`];
        assert.strictEqual(typeof model?.getAttributeTypeMap, "function", `no API model V1${o.kind} to check ${id}'s fields against`);
        assert.deepStrictEqual(unknownFields(o, `V1${o.kind}`, id), [], `fields the Kubernetes API does not know\n${show}`);
        assert.strictEqual(o.metadata.namespace, namespace, `${id} is not in namespace ${namespace}\n${show}`);
        assert.ok(!seen.has(id), `two objects named ${id} in namespace ${namespace}: the second cannot be created\n${show}`);
        seen.add(id);
    }
    const claimed = new Map<number, string>();
    for (const svc of result.objects.filter((o) => o.kind === "Service")) {
        for (const p of (svc.spec?.ports ?? []) as KubeObject[]) {
            if (p.nodePort === undefined) continue;
            const other = claimed.get(p.nodePort);
            assert.ok(other === undefined, `Services ${other} and ${svc.metadata.name} both ask for nodePort ${p.nodePort}: the second cannot be created\n${show}`);
            claimed.set(p.nodePort, svc.metadata.name);
        }
    }
    assert.strictEqual(result.outputs.adminPassword?.secret, true, `the adminPassword output is not secret\n${show}`);

    // Plain-text secrets: each value long enough not to occur by chance. A hit is confirmed by
    // rendering again with other values: a place that still shows the old value shows it by chance.
    const secrets: [string, string][] = [];
    if (c.cfg.adminPassword !== undefined) secrets.push(["adminPassword", c.cfg.adminPassword]);
    else secrets.push(["the generated admin password", c.generated]);
    if (c.cfg.registryPassword !== undefined) {
        secrets.push(["registryPassword", c.cfg.registryPassword]);
        secrets.push(["registry credentials (user:password)", `${c.cfg.registry.username}:${c.cfg.registryPassword}`]);
    }
    const strings = exposedStrings(result);
    const hits = secrets.filter(([, v]) => Array.from(v).length >= 4).map(([what, v]) => [what, v, placesOf(strings, v)] as const).filter(([, , places]) => places.length > 0);
    if (hits.length === 0) return;
    stats.leakRechecks++;
    const probe = { ...set };
    if (probe.adminPassword !== undefined) probe.adminPassword = "\u2603probe-admin\u2603";
    if (probe.registryPassword !== undefined) probe.registryPassword = "\u2603probe-registry\u2603";
    const again = exposedStrings(await renderDev(probe, OFFLINE, { password: () => "Gq7probeGENERATEDprobe7q" }));
    for (const [what, value, places] of hits) {
        const byChance = new Set(placesOf(again, value));
        const leaked = places.filter((p) => !byChance.has(p));
        assert.deepStrictEqual(leaked, [], `${what} ${JSON.stringify(value)} shows in plain text outside Secrets\n${show}`);
    }
    for (const marker of ["\u2603probe-admin\u2603", "\u2603probe-registry\u2603", "Gq7probeGENERATEDprobe7q"]) {
        assert.deepStrictEqual(placesOf(again, marker), [], `a secret shows in plain text outside Secrets\n${show}`);
    }
}

async function checkRefused(b: BrokenCase): Promise<void> {
    stats.tried++;
    const set = { ...toSet(b), ...b.extraSet };
    const show = `breaker: ${b.kind}, expected key: ${b.keys.join(" or ")}\nset: ${JSON.stringify(set)}`;
    const recorder = new Recorder({ simulateCluster: true });
    let message: string | undefined;
    try {
        await render({ ...DEV, set, includeSecrets: true }, recorder);
    } catch (err) {
        message = (err as Error).message;
    }
    assert.ok(message !== undefined, `an invalid configuration was accepted\n${show}`);
    assert.deepStrictEqual(recorder.resources.map((r) => `${r.type} ${r.name}`), [], `resources were registered before the refusal\n${show}\n${message}`);
    const head = /^Invalid (stack|vTM) configuration \((\d+) problems?; nothing was deployed or changed\):\n/.exec(message);
    assert.ok(head, `not a refusal of the configuration:\n${message}\n${show}`);
    const problems = message.slice(head[0].length).split("\n").map((l) => l.replace(/^ {2}- /, ""));
    assert.strictEqual(problems.length, Number(head[2]), `the count in the heading does not match the problems listed:\n${message}`);
    const names = (p: string) => b.keys.some((k) => p.startsWith(`${k}: `));
    assert.ok(problems.some(names), `no problem names ${b.keys.join(" or ")}:\n${message}\n${show}`);
    // Only the broken key was broken: nothing else may be blamed.
    assert.deepStrictEqual(problems.filter((p) => !names(p)), [], `problems that name another key:\n${message}\n${show}`);
    // A secret value is never repeated (checked where it cannot occur by chance: long and varied).
    for (const secret of [b.unsaid, b.cfg.adminPassword, b.cfg.registryPassword]) {
        if (typeof secret === "string" && secret.length >= 12 && new Set(secret).size >= 6) assert.ok(!message.includes(secret), `the refusal repeats a secret value\n${show}`);
    }
    stats.refused++;
    stats.byBreaker.set(b.kind, (stats.byBreaker.get(b.kind) ?? 0) + 1);
}

// ---------------------------------------------------------------------------------------------------

const SEED = process.env.PROPERTY_SEED !== undefined ? Number(process.env.PROPERTY_SEED) : (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0;
const VALID_RUNS = Number(process.env.PROPERTY_VALID_RUNS ?? 500);
const INVALID_RUNS = Number(process.env.PROPERTY_INVALID_RUNS ?? 550);
/** How long a failing property may spend looking for a smaller failing case. */
const SHRINK_SECONDS = Number(process.env.PROPERTY_SHRINK_SECONDS ?? 20);

describe("generated stack configurations (property-based)", function () {
    this.timeout(30 * 60_000);
    const started = Date.now();
    // The SDK takes a stack trace for every resource and promise, and ts-node's source maps make each
    // one slow: V8's own traces for the duration make a render about twice as fast. Nothing the
    // program renders depends on them (only the source positions the mock monitor ignores).
    const traces = Error as { prepareStackTrace?: unknown };
    const sourceMapped = traces.prepareStackTrace;
    before(() => {
        traces.prepareStackTrace = undefined;
    });

    after(() => {
        traces.prepareStackTrace = sourceMapped;
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        const kinds = [...stats.byBreaker.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => `${k} ${n}`);
        console.log(
            `      property runs (seed ${SEED}, ${seconds} s): ${stats.tried} configurations tried; ${stats.valid} valid rendered and checked ` +
                `(${stats.leakRechecks} secret look-alikes re-rendered); ${stats.refused} invalid refused, by broken key: ${kinds.length} kinds`,
        );
        for (let i = 0; i < kinds.length; i += 4) console.log(`        ${kinds.slice(i, i + 4).join("; ")}`);
    });

    /**
     * A property's check with a budget for shrinking: once a case has failed, fast-check tries smaller
     * ones, each a full render; after SHRINK_SECONDS the rest count as passing, so that fast-check stops
     * there and reports the smallest failing case found so far. A failure always fails the run.
     */
    const withShrinkBudget = <T>(check: (value: T) => Promise<void>) => {
        let firstFailure: number | undefined;
        return async (value: T): Promise<void> => {
            if (firstFailure !== undefined && Date.now() - firstFailure > SHRINK_SECONDS * 1000) return;
            try {
                await check(value);
            } catch (err) {
                firstFailure ??= Date.now();
                throw err;
            }
        };
    };

    /** Runs a property; a failure leaves the count unchecked (fewer runs were made, and that is not the news). */
    let failed = false;
    const check = async (run: () => Promise<void>) => {
        try {
            await run();
        } catch (err) {
            failed = true;
            throw err;
        }
    };

    it(`refuses every broken configuration, naming the broken key, before registering anything (${INVALID_RUNS} runs)`, () =>
        check(() => fc.assert(fc.asyncProperty(brokenCase, withShrinkBudget(checkRefused)), { numRuns: INVALID_RUNS, seed: SEED })));

    it(`renders every valid configuration to schema-valid objects with no plain-text secret outside Secrets (${VALID_RUNS} runs)`, () =>
        check(() =>
            fc.assert(
                fc.asyncProperty(
                    validCase,
                    withShrinkBudget(async (c: Case) => {
                        await checkValid(c);
                        stats.valid++;
                    }),
                ),
                { numRuns: VALID_RUNS, seed: SEED },
            ),
        ));

    it("tried at least 1,000 configurations, valid and invalid about half each", function () {
        if (failed) this.skip();
        assert.ok(stats.tried >= 1000, `only ${stats.tried} configurations were tried`);
        assert.ok(stats.valid >= 0.35 * stats.tried && stats.refused >= 0.35 * stats.tried, `${stats.valid} valid, ${stats.refused} refused`);
    });
});
