// The traffic manager's whole configuration, worked out before any resource is registered: documents
// generated from the `services`, `pools` and `licensing` settings and the rule files, the user's documents, the
// data they read, the TLS Secrets to mount; all validated together, then split into ConfigMaps.
import * as yaml from "js-yaml";
import { ADMIN_PORTS } from "../settings/defaults";
import { LicensingSettings, ServicesDirectorLicensing } from "../settings/licensing";
import { backendNames } from "../settings/naming";
import { PoolSettings, ServiceSettings, MountSettings } from "../settings/services";
import { Settings } from "../settings/settings";
import { BaseDocuments, loadBaseDocuments } from "./baseDocuments";
import { ConfigFiles, GivenFiles, RuleFile, readConfigFiles, withGivenFiles } from "./configFiles";
import { CONFIG_DIR, DocumentError, LoadedDocument } from "./documents";
import { ConfigError } from "../settings/settings";
import { imageApiVersion } from "./releases";
import { Shard, shard } from "./sharding";
import { Finding, formatFinding, validateDocuments } from "./validation";
import { DNS_DISCOVERY_PLUGIN, Pool, Rule, ServerKey, VirtualServer, VtmDocument, fileRef } from "./model";

/** Where the data volume is mounted, relative to the importer's base directory (/import). */
export const DATA_DIR = "data";
/** The two files of a kubernetes.io/tls Secret. */
export const TLS_KEYS = { certificate: "tls.crt", key: "tls.key" } as const;
/** Where the Services Director owner secret is mounted, relative to the data directory. */
export const OWNER_SECRET_FILE = "services-director/owner-secret";

/** Generated documents sort before the user's (a, b, …), so the user's documents layer on top. */
const GENERATED_KEYS = {
    rules: "10-rules.yaml",
    serverKey: (secret: string) => `15-server-key-${secret}.yaml`,
    pool: (pool: string) => `20-pool-${pool}.yaml`,
    service: (service: string) => `30-service-${service}.yaml`,
    /** The Helm chart's name for the same document (its config-generated.yaml). */
    selfRegistration: "20-self-registration.yaml",
};
/** Where generated documents come from, as messages name them. */
const GENERATED_SOURCE = "(generated from settings)";

/** What the configuration needs from outside: the backend's Service and the image's API version. */
export interface VtmConfigInput {
    readonly services: readonly ServiceSettings[];
    readonly pools: readonly PoolSettings[];
    readonly files: ConfigFiles;
    /** The base and health-check documents, validated with the rest. */
    readonly baseDocuments: readonly LoadedDocument[];
    readonly dataMounts: readonly MountSettings[];
    readonly configMounts: readonly MountSettings[];
    /** The Service a pool without serviceName balances over, and its port's name. */
    readonly backend?: { readonly serviceName: string; readonly portName: string };
    readonly apiVersion: number;
    /** A Services Director adds the self-registration document. @default the community edition: no document */
    readonly licensing?: LicensingSettings;
    /** Some of the user's documents could not be read (their problems are reported apart): a name they may define is then not reported missing. @default false */
    readonly unreadDocuments?: boolean;
}

export interface VtmConfig {
    /** Documents for the watched configuration directory, split over ConfigMaps. */
    readonly configShards: readonly Shard[];
    /** Data files, split over ConfigMaps. */
    readonly dataShards: readonly Shard[];
    /** TLS Secrets to mount under data/tls/<secret>/. */
    readonly tlsSecrets: readonly string[];
    /** Findings that do not stop the deployment. */
    readonly warnings: readonly string[];
    /** Whether a Ping monitor is configured: only then does the pod need NET_RAW (raw ICMP sockets). */
    readonly pingMonitor: boolean;
}

/** The `BuiltIn-DNS_Stateless` arguments for a pool: an SRV lookup, or an address lookup with a port. */
export function discoveryArgs(pool: PoolSettings, backend?: VtmConfigInput["backend"]): string {
    const serviceName = pool.serviceName ?? backend?.serviceName;
    const portName = pool.serviceName === undefined && pool.port === undefined ? pool.portName ?? backend?.portName : pool.portName;
    // A Service in another namespace needs its full name; in the pod's own namespace the short one resolves.
    const host = pool.serviceNamespace === undefined ? serviceName : `${serviceName}.${pool.serviceNamespace}.svc.cluster.local`;
    if (pool.port !== undefined) return `--hostname=${host} --port ${pool.port}`;
    const srv = portName !== undefined ? `_${portName}._${pool.portProtocol ?? "tcp"}.` : pool.portProtocol !== undefined ? `_${pool.portProtocol}.` : "";
    return `--servicename=${srv}${host}`;
}

export function poolObject(pool: PoolSettings, backend?: VtmConfigInput["backend"]): Pool {
    return {
        name: pool.name,
        properties: {
            basic: { passive_monitoring: true, monitors: [...pool.monitors], nodes_table: [], note: "Nodes automatically discovered from Kubernetes" },
            service_discovery: { enabled: true, plugin: DNS_DISCOVERY_PLUGIN, plugin_args: discoveryArgs(pool, backend) },
            // Only what the user set: vTM's own defaults stay vTM's.
            ...(pool.algorithm !== undefined ? { load_balancing: { algorithm: pool.algorithm } } : {}),
            ...(pool.tls ? { ssl: { enable: true } } : {}),
        },
    };
}

/** The files a TLS Secret gives, relative to /import. */
export function tlsFiles(secret: string): { certificate: string; key: string } {
    return { certificate: `${DATA_DIR}/tls/${secret}/${TLS_KEYS.certificate}`, key: `${DATA_DIR}/tls/${secret}/${TLS_KEYS.key}` };
}

/** One server key per TLS Secret, named after it, read from the mounted files. */
export function serverKeyObject(secret: string): ServerKey {
    const files = tlsFiles(secret);
    return { name: secret, properties: { basic: { public: fileRef(files.certificate), private: fileRef(files.key) } } };
}

export function virtualServerObject(service: ServiceSettings): VirtualServer {
    const tls = service.tlsSecret;
    return {
        name: service.name,
        properties: {
            basic: {
                enabled: true,
                port: service.port,
                protocol: service.protocol,
                pool: service.pool,
                ...(service.requestRules.length > 0 ? { request_rules: [...service.requestRules] } : {}),
                ...(service.responseRules.length > 0 ? { response_rules: [...service.responseRules] } : {}),
                ...(tls !== undefined ? { ssl_decrypt: true } : {}),
            },
            ...(tls !== undefined ? { ssl: { server_cert_default: tls } } : {}),
        },
    };
}

export function ruleObject(rule: RuleFile): Rule {
    return { name: rule.name, content: fileRef(`${DATA_DIR}/${rule.key}`) };
}

/**
 * The self-registration settings as the Helm chart writes them (global_settings.remote_licensing),
 * except the owner secret: a file reference to the mounted Secret, so it is in no ConfigMap.
 * The importer re-reads this document, so a change of the communications channel applies live.
 */
export function selfRegistrationDocument(sd: ServicesDirectorLicensing, version: number): VtmDocument {
    const remoteLicensing = {
        registration_server: sd.registrationServer,
        ...(sd.owner !== undefined ? { owner: sd.owner.name, owner_secret: fileRef(`${DATA_DIR}/${OWNER_SECRET_FILE}`) } : {}),
        ...(sd.policyId !== undefined ? { policy_id: sd.policyId } : {}),
        // Only what the user set: vTM's own defaults (enabled, port 8102) stay vTM's.
        ...(sd.commChannelEnabled !== undefined ? { comm_channel_enabled: sd.commChannelEnabled } : {}),
        ...(sd.commChannelPort !== undefined ? { comm_channel_port: sd.commChannelPort } : {}),
    };
    return { version, global_settings: { properties: { remote_licensing: remoteLicensing } } };
}

function dump(document: VtmDocument): string {
    return yaml.dump(document, { lineWidth: -1, noRefs: true });
}

/** The generated documents by key, each with the setting it came from. */
export function generatedDocuments(input: VtmConfigInput): Record<string, VtmDocument> {
    const version = input.apiVersion;
    const documents: Record<string, VtmDocument> = {};
    if (input.files.rules.length > 0) documents[GENERATED_KEYS.rules] = { version, rules: input.files.rules.map(ruleObject) };
    for (const secret of tlsSecretsOf(input.services)) documents[GENERATED_KEYS.serverKey(secret)] = { version, ssl: { server_keys: [serverKeyObject(secret)] } };
    for (const pool of input.pools) documents[GENERATED_KEYS.pool(pool.name)] = { version, pools: [poolObject(pool, input.backend)] };
    for (const service of input.services) documents[GENERATED_KEYS.service(service.name)] = { version, virtual_servers: [virtualServerObject(service)] };
    if (input.licensing?.mode === "servicesDirector") documents[GENERATED_KEYS.selfRegistration] = selfRegistrationDocument(input.licensing, version);
    return documents;
}

function tlsSecretsOf(services: readonly ServiceSettings[]): string[] {
    return [...new Set(services.flatMap((s) => (s.tlsSecret === undefined ? [] : [s.tlsSecret])))].sort();
}

// A finding in a generated document is about a setting: name the setting, not the generated file.
const SETTING_FIELDS: Record<string, Record<string, string>> = {
    virtual_servers: {
        "properties.basic.pool": "pool",
        "properties.basic.port": "port",
        "properties.basic.protocol": "protocol",
        "properties.basic.request_rules": "requestRules",
        "properties.basic.response_rules": "responseRules",
        "properties.ssl.server_cert_default": "tlsSecret",
        "properties.basic.ssl_decrypt": "tlsSecret",
    },
    pools: { "properties.basic.monitors": "monitors", "properties.load_balancing.algorithm": "algorithm" },
    rules: { content: "" },
};
const SETTING_ROOTS: Record<string, string> = { virtual_servers: "services", pools: "pools", "ssl.server_keys": "services (tlsSecret)", rules: "rules" };

function settingMessage(finding: Finding): string {
    const field = (finding.field ?? "").replace(/\[\d+\]/g, "");
    const setting = SETTING_FIELDS[finding.section ?? ""]?.[field];
    const root = SETTING_ROOTS[finding.section ?? ""] ?? "settings";
    if (setting === undefined) return `${root}.${finding.object}: ${finding.field ?? ""}: ${finding.message}`;
    return `${root}.${finding.object}${setting === "" ? "" : `.${setting}`}: ${finding.message}`;
}

/** Works out the whole configuration; throws one DocumentError listing every problem. */
export function vtmConfig(input: VtmConfigInput): VtmConfig {
    const problems: string[] = [];
    const generated = generatedDocuments(input);
    const documents: Record<string, string> = {};
    const origin: Record<string, string> = {};
    for (const [key, document] of Object.entries(generated)) {
        documents[key] = dump(document);
        origin[key] = GENERATED_SOURCE;
    }
    for (const doc of input.files.documents) {
        if (doc.key in documents) {
            problems.push(`${doc.source}: its file name '${doc.key}' is already used by ${origin[doc.key]}; rename the file`);
            continue;
        }
        // The user's documents go in exactly as written.
        documents[doc.key] = doc.text;
        origin[doc.key] = doc.source;
    }

    // Data: the data files and the rule files, all under data/.
    const data: Record<string, string> = { ...input.files.data };
    const dataSources: Record<string, string> = { ...input.files.dataSources };
    for (const rule of input.files.rules) {
        if (rule.key in data) problems.push(`${rule.source}: gives the same data key '${rule.key}' as ${dataSources[rule.key]}`);
        data[rule.key] = rule.text;
        dataSources[rule.key] = rule.source;
    }
    const tlsSecrets = tlsSecretsOf(input.services);
    const mounted = new Set([
        ...Object.keys(data).map((k) => `${DATA_DIR}/${k}`),
        ...tlsSecrets.flatMap((s) => Object.values(tlsFiles(s))),
        ...input.dataMounts.flatMap((m) => (m.items ?? []).map((i) => `${DATA_DIR}/${i.path}`)),
        ...(input.licensing?.mode === "servicesDirector" && input.licensing.owner !== undefined ? [`${DATA_DIR}/${OWNER_SECRET_FILE}`] : []),
    ]);
    const findings = validateDocuments(
        [
            ...input.baseDocuments.map((d) => ({ source: d.source, document: d.document })),
            ...Object.entries(generated).map(([, document]) => ({ source: GENERATED_SOURCE, document })),
            ...input.files.documents.map((d) => ({ source: d.source, document: d.document })),
        ],
        {
            mountedFiles: mounted,
            // Data mounts without items bring keys nobody can list before deploy.
            uncheckedDirs: input.dataMounts.some((m) => m.items === undefined) ? [DATA_DIR] : [],
            apiVersion: input.apiVersion,
            openWorld: input.configMounts.length > 0 || input.unreadDocuments === true,
            reservedListeners: Object.values(ADMIN_PORTS).map((p) => ({ transport: "TCP", port: p.port, what: `the admin interface ${p.name}` })),
        },
    );
    const message = (f: Finding) => (f.source === GENERATED_SOURCE ? settingMessage(f) : formatFinding(f));
    problems.push(...findings.filter((f) => f.severity === "error").map(message));
    const warnings = findings.filter((f) => f.severity === "warning").map(message);
    warnings.push(...input.configMounts.map((m, i) => `configMounts[${i}]: the documents in ${m.type} '${m.name}' cannot be read before deploy and are not checked`));

    const configShards = shard(documents, (key) => origin[key], problems);
    const dataShards = shard(data, (key) => dataSources[key], problems);
    if (problems.length > 0) throw new DocumentError(problems);
    const all = [...input.baseDocuments.map((d) => d.document), ...Object.values(generated), ...input.files.documents.map((d) => d.document)];
    return { configShards, dataShards, tlsSecrets, warnings, pingMonitor: usesPing(all) };
}

type Loose = { readonly [key: string]: any };

/** A pool monitored by the built-in Ping, or any monitor of type ping (a monitor's type defaults to ping). */
export function usesPing(documents: readonly unknown[]): boolean {
    const docs = documents.filter((d): d is Loose => typeof d === "object" && d !== null);
    const objects = (key: string): Loose[] => docs.flatMap((d) => (Array.isArray(d[key]) ? d[key] : [])).filter((o) => typeof o === "object" && o !== null);
    if (objects("monitors").some((m) => (m.properties?.basic?.type ?? "ping") === "ping")) return true;
    return objects("pools").some((p) => Array.isArray(p.properties?.basic?.monitors) && p.properties.basic.monitors.includes("Ping"));
}

/** What the program deploys to the traffic manager. */
export interface ConfigurationPlan {
    readonly base: BaseDocuments;
    readonly config: VtmConfig;
    /** The image's configuration API version: the generated and base documents' version, and verify's REST API. */
    readonly apiVersion: number;
}

/** The problem with the image's API version, unless the image or apiVersion setting is refused already (for readSettings). */
export function apiVersionProblems(settings: Pick<Settings, "image" | "apiVersion">, problems: readonly string[]): string[] {
    if (problems.some((p) => p.startsWith("image:") || p.startsWith("apiVersion:"))) return [];
    const found = imageApiVersion(settings.image, settings.apiVersion);
    return "problem" in found ? [found.problem] : [];
}

/** The image's API version (its tag or the apiVersion setting); throws ConfigError naming the key when neither gives one. */
export function stackApiVersion(settings: Pick<Settings, "image" | "apiVersion">): number {
    const found = imageApiVersion(settings.image, settings.apiVersion);
    if ("problem" in found) throw new ConfigError([found.problem]);
    return found.apiVersion;
}

/** Everything the configuration needs, loaded and validated; throws one DocumentError with every problem. */
export function planConfiguration(settings: Settings, configDir: string = CONFIG_DIR, given: GivenFiles = {}): ConfigurationPlan {
    const apiVersion = stackApiVersion(settings);
    const problems: string[] = [];
    const attempt = <T>(load: () => T): T | undefined => {
        try {
            return load();
        } catch (err) {
            if (!(err instanceof DocumentError)) throw err;
            problems.push(...err.problems);
            return undefined;
        }
    };
    const base = attempt(() => loadBaseDocuments(configDir, apiVersion));
    // A document that cannot be read is reported with the problems of all the others.
    const read = readConfigFiles(configDir, settings.documents);
    const unread = [...read.problems];
    const files = withGivenFiles(read.files, given, unread);
    problems.push(...unread);
    if (base === undefined) throw new DocumentError(problems);
    const { backend } = settings;
    const config = attempt(() => vtmConfig({
        services: settings.services,
        pools: settings.pools,
        files,
        baseDocuments: [base.base, base.healthcheck],
        configMounts: settings.configMounts,
        dataMounts: settings.dataMounts,
        // A pool without serviceName balances over the example backend's Service.
        backend: backend.enabled ? { serviceName: backendNames(backend.name).service, portName: backend.portName } : undefined,
        apiVersion,
        licensing: settings.licensing,
        unreadDocuments: unread.length > 0,
    }));
    if (config === undefined || problems.length > 0) throw new DocumentError(problems);
    return { base, config, apiVersion };
}
