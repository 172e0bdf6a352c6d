// Checks vTM configuration documents before any resource is created: the shape of each document, each
// object's fields against the API 6.2 schema, name references between objects across all documents,
// and every file reference against the files the program mounts. It returns every problem at once,
// and each one names the document, the object and the field.
// Schema: the shared vTM configuration facts (vtm-config-facts.md; "facts §n" below names a section),
// which come from the vTM Terraform provider and go-vtm for API 6.2 and the upstream Kubernetes
// documents. Where the facts list only some fields of a group, the remaining field names (never
// their types) and some missing ranges come from the provider's 6.2/resource_*.go files, so that
// real fields are not reported as unknown.
import * as path from "path";
import { API_VERSION, BUILTIN_MONITORS, BUILTIN_POOLS, BUILTIN_RULES, MONITOR_TYPES, POOL_ALGORITHMS, TIP_MODES, VS_PROTOCOLS, transportOf } from "./model";

export interface DocumentInput {
    /** Label used in messages, e.g. "config/documents/web.yaml" or "services". */
    readonly source: string;
    /** The parsed document (any JS value; may be malformed). */
    readonly document: unknown;
}

export interface ValidationContext {
    /** Files (paths relative to the importer's base dir /import, e.g. "data/rules/x", "data/tls/web-cert/tls.crt") that will be mounted. */
    readonly mountedFiles: ReadonlySet<string>;
    /** Directories (relative to /import, e.g. "data") holding mounts whose keys are unknown before deploy: a fileRef under one that is not in mountedFiles is a WARNING (cannot be checked), not an error. @default [] */
    readonly uncheckedDirs?: readonly string[];
    /** Highest document `version` the traffic manager image understands. @default API_VERSION (6.2) */
    readonly apiVersion?: number;
    /** Documents exist that cannot be read before deploy (mounted ConfigMaps): a reference to an undefined object is then a WARNING, as they may define it. @default false */
    readonly openWorld?: boolean;
    /** Ports the traffic manager itself listens on (its admin interfaces): no virtual server may take them. @default [] */
    readonly reservedListeners?: readonly Listener[];
}

/** A port something listens on, with what it is for messages. */
export interface Listener {
    readonly transport: "TCP" | "UDP";
    readonly port: number;
    readonly what: string;
}

export interface Finding {
    readonly severity: "error" | "warning";
    /** The DocumentInput.source. */
    readonly source: string;
    /** "virtual_servers", "pools", "rules", "monitors", "traffic_ip_groups", "ssl.server_keys", "global_settings", or another section's key. */
    readonly section?: string;
    /** The object's name (absent for document-level and global_settings findings). */
    readonly object?: string;
    /** Dotted path inside the object, e.g. "properties.basic.pool", "content", "properties.basic.nodes_table[0].node". */
    readonly field?: string;
    /** The value and what was expected. */
    readonly message: string;
}

/** One line: `<source>: <section> '<object>': <field>: <message>`, leaving out the parts that are absent. */
export function formatFinding(finding: Finding): string {
    const parts = [finding.source];
    const object = finding.object === undefined ? undefined : `'${finding.object}'`;
    const head = [finding.section, object].filter((p) => p !== undefined).join(" ");
    if (head !== "") parts.push(head);
    if (finding.field !== undefined) parts.push(finding.field);
    parts.push(finding.message);
    return parts.join(": ");
}

/** Checks all documents together, as the importer layers them, and returns every finding in document, object and field order. */
export function validateDocuments(documents: readonly DocumentInput[], context: ValidationContext): Finding[] {
    const run = new Run(context);
    for (const input of documents) checkDocument(run, input);
    checkMerged(run);
    return run.findings();
}

// ---------------------------------------------------------------------------------------------------
// Schema

/** What a field's value must be. "any" means the field exists but its type is not modelled. */
type Spec =
    | { readonly kind: "any" }
    | { readonly kind: "readOnly" }
    | { readonly kind: "bool" }
    | { readonly kind: "string" }
    | { readonly kind: "strings" }
    | { readonly kind: "size" }
    | { readonly kind: "hostPort" }
    | { readonly kind: "enum"; readonly values: readonly string[] }
    | { readonly kind: "int"; readonly min?: number; readonly max?: number }
    | { readonly kind: "table"; readonly rows: string; readonly row: Fields; readonly required: readonly string[] };

type Fields = Readonly<Record<string, Spec>>;

/** A group the facts name but whose fields they do not give: its fields are not checked. */
const UNCHECKED = "unchecked";

interface ObjectSchema {
    /** "a virtual server": used in messages. */
    readonly noun: string;
    readonly groups: Readonly<Record<string, Fields | typeof UNCHECKED>>;
    /** Whether a field missing from a group's list gets a warning. Off for global_settings, whose lists are partial. */
    readonly strict: boolean;
}

const ANY: Spec = { kind: "any" };
const READ_ONLY: Spec = { kind: "readOnly" };
const BOOL: Spec = { kind: "bool" };
const STRING: Spec = { kind: "string" };
const STRINGS: Spec = { kind: "strings" };
const oneOf = (values: readonly string[]): Spec => ({ kind: "enum", values });
const int = (min?: number, max?: number): Spec => ({ kind: "int", min, max });
const table = (rows: string, row: Fields, required: readonly string[]): Spec => ({ kind: "table", rows, row, required });
const PORT = int(1, 65535);
const SSL_SWITCH = oneOf(["disabled", "enabled", "use_default"]);
/** The protocol and session switches virtual servers and pools share. */
const TLS_SWITCHES: Fields = Object.fromEntries(
    ["support_ssl3", "support_tls1", "support_tls1_1", "support_tls1_2", "support_tls1_3", "session_cache_enabled", "session_tickets_enabled"].map((f) => [f, SSL_SWITCH]),
);

/** Fields that exist in the REST API but whose types the facts do not give. */
function untyped(...names: string[]): Fields {
    return Object.fromEntries(names.map((n) => [n, ANY]));
}

function groupsOf(typed: Readonly<Record<string, Fields>>, all: string): ObjectSchema["groups"] {
    return Object.fromEntries(all.split(/,\s*/).map((g) => [g, typed[g] ?? UNCHECKED]));
}

// facts §2.1
const VIRTUAL_SERVER: ObjectSchema = {
    noun: "a virtual server",
    strict: true,
    groups: groupsOf(
        {
            basic: {
                protocol: oneOf(VS_PROTOCOLS),
                port: PORT,
                pool: STRING,
                enabled: BOOL,
                request_rules: STRINGS,
                response_rules: STRINGS,
                completion_rules: STRINGS,
                ssl_decrypt: BOOL,
                listen_on_any: BOOL,
                listen_on_traffic_ips: STRINGS,
                listen_on_hosts: STRINGS,
                connect_timeout: int(0, 99999),
                max_concurrent_connections: int(0),
                note: STRING,
                proxy_protocol: BOOL,
                transparent: BOOL,
                bandwidth_class: STRING,
                protection_class: STRING,
                slm_class: STRING,
                glb_services: STRINGS,
                // Expert keys in go-vtm 6.2 only (facts §2.1).
                ...untyped("rules_on_connect", "proxy_protocol_optional"),
            },
            ssl: {
                server_cert_default: STRING,
                server_cert_alt_certificates: STRINGS,
                server_cert_host_mapping: table("server_cert_host_mapping", { host: STRING, certificate: STRING, alt_certificates: STRINGS }, ["host", "certificate"]),
                request_client_cert: oneOf(["dont_request", "request", "require"]),
                client_cert_cas: STRINGS,
                client_cert_headers: oneOf(["all", "none", "simple"]),
                add_http_headers: BOOL,
                ...TLS_SWITCHES,
                honor_fallback_scsv: SSL_SWITCH,
                ocsp_enable: BOOL,
                ocsp_stapling: BOOL,
                // The facts list "selected fields"; the rest of TF 6.2's ssl group, plus go-vtm's expert keys.
                ...untyped(
                    "cipher_suites", "elliptic_curves", "issued_certs_never_expire", "issued_certs_never_expire_depth", "ocsp_issuers",
                    "ocsp_max_response_age", "ocsp_time_tolerance", "ocsp_timeout", "send_close_alerts", "signature_algorithms", "trust_magic",
                    "min_key_size", "max_key_size",
                ),
            },
            connection: {
                timeout: int(0, 99999),
                keepalive: BOOL,
                keepalive_timeout: int(0, 99999),
                max_client_buffer: int(1024, 16777216),
                max_server_buffer: int(1024, 16777216),
                max_transaction_duration: int(0, 99999),
                server_first_banner: STRING,
            },
            http: {
                add_x_forwarded_for: BOOL,
                add_x_forwarded_proto: BOOL,
                add_cluster_ip: BOOL,
                location_rewrite: oneOf(["always", "if_host_matches", "never"]),
                chunk_overhead_forwarding: oneOf(["eager", "lazy"]),
                mime_default: STRING,
                ...untyped("autodetect_upgrade_headers", "location_regex", "location_replace", "mime_detect", "strip_x_forwarded_proto", "auto_upgrade_protocols"),
            },
            udp: { timeout: int(1, 99999), end_point_persistence: BOOL, port_smp: BOOL, response_datagrams_expected: int() },
            tcp: { nagle: BOOL, close_with_rst: BOOL, proxy_close: BOOL, ...untyped("mss") },
        },
        "aptimizer, auth, basic, connection, connection_errors, cookie, dns, ftp, gzip, http, http2, kerberos_protocol_transition, log, " +
            "recent_connections, request_tracing, rtsp, sip, smtp, ssl, syslog, tcp, transaction_export, udp, web_cache",
    ),
};

// facts §2.2
const POOL: ObjectSchema = {
    noun: "a pool",
    strict: true,
    groups: groupsOf(
        {
            basic: {
                nodes_table: table(
                    "nodes_table",
                    { node: { kind: "hostPort" }, state: oneOf(["active", "disabled", "draining"]), weight: int(1, 100), priority: int(0), source_ip: STRING },
                    ["node"],
                ),
                monitors: STRINGS,
                passive_monitoring: BOOL,
                note: STRING,
                failure_pool: STRING,
                persistence_class: STRING,
                bandwidth_class: STRING,
                max_connection_attempts: int(0, 99999),
                max_idle_connections_pernode: int(0, 999999),
                max_timed_out_connection_attempts: int(0, 99999),
                node_connection_attempts: int(1, 100),
                node_close_with_rst: BOOL,
                node_delete_behavior: oneOf(["drain", "immediate"]),
                node_drain_to_delete_timeout: int(0, 99999),
                transparent: BOOL,
                lard_size: int(),
            },
            service_discovery: { enabled: BOOL, plugin: STRING, plugin_args: STRING, interval: int(0), timeout: int(0) },
            load_balancing: { algorithm: oneOf(POOL_ALGORITHMS), priority_enabled: BOOL, priority_nodes: int(1, 65535) },
            ssl: {
                enable: BOOL,
                strict_verify: BOOL,
                server_name: BOOL,
                client_auth: BOOL,
                enhance: BOOL,
                send_close_alerts: BOOL,
                common_name_match: STRINGS,
                ...TLS_SWITCHES,
                middlebox_compatibility: SSL_SWITCH,
                ssl_fixed_client_certificate: STRING,
                ...untyped("cipher_suites", "elliptic_curves", "signature_algorithms"),
            },
            // Ranges the facts leave out are TF 6.2's.
            connection: {
                max_connect_time: int(1, 99999),
                max_reply_time: int(1, 99999),
                queue_timeout: int(0, 31536000),
                max_connections_per_node: int(0, 999999),
                max_queue_size: int(0, 999999),
                max_transactions_per_node: int(0, 999999),
            },
            node: { close_on_death: BOOL, retry_fail_time: int(1, 99999) },
            http: { keepalive: BOOL, keepalive_non_idempotent: BOOL },
            tcp: { nagle: BOOL },
            udp: { accept_from: oneOf(["all", "dest_ip_only", "dest_only", "ip_mask"]), ...untyped("accept_from_mask", "response_timeout") },
        },
        "auto_scaling, basic, connection, dns_autoscale, ftp, http, kerberos_protocol_transition, load_balancing, node, service_discovery, smtp, ssl, tcp, udp",
    ),
};

// facts §2.6
const MONITOR: ObjectSchema = {
    noun: "a monitor",
    strict: true,
    groups: groupsOf(
        {
            basic: {
                type: oneOf(MONITOR_TYPES),
                scope: oneOf(["pernode", "poolwide"]),
                delay: int(1, 999990),
                timeout: int(1, 99999),
                failures: int(1, 99999),
                back_off: BOOL,
                use_ssl: BOOL,
                health_only: BOOL,
                verbose: BOOL,
                machine: STRING,
                note: STRING,
                factory: READ_ONLY,
                can_use_ssl: READ_ONLY,
                can_edit_ssl: READ_ONLY,
                editable_keys: READ_ONLY,
            },
            http: { path: STRING, status_regex: STRING, body_regex: STRING, host_header: STRING, authentication: STRING },
            tcp: { write_string: STRING, response_regex: STRING, close_string: STRING, max_response_len: int(0) },
            sip: { transport: oneOf(["tcp", "udp"]), status_regex: STRING, body_regex: STRING },
            rtsp: { path: STRING, status_regex: STRING, body_regex: STRING },
            script: { program: STRING, arguments: table("arguments", { name: STRING, value: STRING, description: STRING }, ["name", "value"]) },
            udp: { accept_all: BOOL },
        },
        "basic, http, rtsp, script, sip, tcp, udp",
    ),
};

// facts §2.7 (rhi_* ranges are TF 6.2's)
const TRAFFIC_IP_GROUP: ObjectSchema = {
    noun: "a traffic IP group",
    strict: true,
    groups: {
        basic: {
            enabled: BOOL,
            ipaddresses: STRINGS,
            machines: STRINGS,
            mode: oneOf(TIP_MODES),
            multicast: STRING,
            keeptogether: BOOL,
            hash_source_port: BOOL,
            ip_assignment_mode: oneOf(["alphabetic", "balanced"]),
            ip_mapping: table("ip_mapping", { ip: STRING, traffic_manager: STRING }, ["ip", "traffic_manager"]),
            slaves: STRINGS,
            location: int(),
            note: STRING,
            rhi_protocols: STRING,
            rhi_bgp_metric_base: int(1, 4294967295),
            rhi_bgp_passive_metric_offset: int(1, 4294967295),
            rhi_ospfv2_metric_base: int(1, 65535),
            rhi_ospfv2_passive_metric_offset: int(1, 65535),
        },
    },
};

// facts §2.5: the values are PEM text, usually given by file reference.
const SERVER_KEY: ObjectSchema = {
    noun: "a server key",
    strict: true,
    groups: { basic: { public: STRING, private: STRING, request: STRING, note: STRING } },
};

// facts §2.8: only the fields the facts type are checked; other fields of a known group pass.
const GLOBAL_SETTINGS: ObjectSchema = {
    noun: "global_settings",
    strict: false,
    groups: groupsOf(
        {
            java: { enabled: BOOL },
            fault_tolerance: {
                frontend_check_ips: STRINGS,
                unicast_port: int(0),
                multicast_address: STRING,
                heartbeat_method: oneOf(["multicast", "unicast"]),
            },
            web_cache: { size: { kind: "size" } },
            remote_licensing: {
                registration_server: STRING,
                owner: STRING,
                owner_secret: STRING,
                policy_id: STRING,
                server_certificate: STRING,
                comm_channel_enabled: BOOL,
                comm_channel_port: PORT,
            },
            log: { error_level: oneOf(["fatal", "info", "serious", "warn"]) },
            basic: { socket_optimizations: oneOf(["auto", "no", "yes"]) },
            rest_api: { auth_timeout: int(0) },
        },
        "admin, appliance, aptimizer, auditlog, auth, autoscaler, bandwidth, basic, bgp, cluster_comms, connection, dns, dns_autoscale, ec2, " +
            "eventing, fault_tolerance, fips, ftp, gce, glb, historical_activity, http, ip, java, kerberos, log, log_export, ospfv2, periodic_log, " +
            "protection, recent_connections, remote_licensing, rest_api, security, session, snmp, soap, ssl, ssl_hardware, telemetry, trafficscript, " +
            "transaction_export, watchdog, web_cache",
    ),
};

/** Rules hold TrafficScript in `content` instead of properties (facts §2.4). */
const RULE = "rule";

/** The named sections this module checks, by their key in a document (server keys sit under `ssl`). */
const NAMED: Readonly<Record<string, ObjectSchema | typeof RULE>> = {
    virtual_servers: VIRTUAL_SERVER,
    pools: POOL,
    rules: RULE,
    monitors: MONITOR,
    traffic_ip_groups: TRAFFIC_IP_GROUP,
    "ssl.server_keys": SERVER_KEY,
};

// facts §1.1: REST sections of API 6.2. Those not modelled here pass; only their file references are checked.
export const FLAT_SECTIONS: readonly string[] = [
    "actions", "action_programs", "bandwidth", "bgpneighbors", "cloud_api_credentials", "custom", "event_types", "extra_files", "glb_services",
    "license_keys", "locations", "log_export", "monitors", "monitor_scripts", "persistence", "pools", "protection", "rate", "rules",
    "rule_authenticators", "service_level_monitors", "servicediscovery", "traffic_ip_groups", "traffic_managers", "user_authenticators",
    "user_groups", "virtual_servers",
];
export const NESTED_SECTIONS: Readonly<Record<string, readonly string[]>> = {
    aptimizer: ["profiles", "scopes"],
    appliance: ["nat"],
    dns_server: ["zones", "zone_files"],
    kerberos: ["keytabs", "krb5confs", "principals"],
    saml: ["trustedidps"],
    ssl: ["cas", "client_keys", "server_keys", "ticket_keys"],
};
export const SINGLETON_SECTIONS: readonly string[] = ["global_settings", "security"];
const MODELLED_SECTIONS = ["global_settings", "monitors", "pools", "rules", "ssl", "traffic_ip_groups", "virtual_servers"];
const ALL_SECTIONS = new Set([...FLAT_SECTIONS, ...Object.keys(NESTED_SECTIONS), ...SINGLETON_SECTIONS]);

// ---------------------------------------------------------------------------------------------------
// Run state: findings with their place in the walk, and objects merged across documents

/** Where a finding is: the document, section and object; the field is given separately. */
interface Where {
    readonly source: string;
    readonly section?: string;
    readonly object?: string;
}

/** The last document to set a field of an object, with the field's place in the walk. */
interface Setter {
    readonly value: unknown;
    readonly source: string;
    readonly seq: number;
}

/** One object as the importer sees it after layering every document that names it. */
interface Merged {
    readonly name: string;
    /** The first document that defines the object, and the walk position at the end of that definition. */
    readonly source: string;
    end: number;
    /** Field paths ("properties.basic.pool", "content") to their last setter. */
    readonly fields: Map<string, Setter>;
}

class Run {
    readonly apiVersion: number;
    readonly mounted: ReadonlySet<string>;
    readonly uncheckedDirs: readonly string[];
    readonly openWorld: boolean;
    readonly reservedListeners: readonly Listener[];
    /** Section key → object name → merged object, in order of first definition. */
    readonly objects = new Map<string, Map<string, Merged>>(Object.keys(NAMED).map((s) => [s, new Map()]));
    /** A counter that grows as documents, objects and fields are walked; findings are sorted by it. */
    seq = 0;
    private readonly found: { readonly seq: number; readonly finding: Finding }[] = [];
    private mountedList?: string;

    constructor(context: ValidationContext) {
        this.apiVersion = context.apiVersion ?? API_VERSION;
        this.mounted = new Set([...context.mountedFiles].map((f) => path.posix.normalize(f)));
        this.uncheckedDirs = (context.uncheckedDirs ?? []).map((d) => path.posix.normalize(d).replace(/\/+$/, ""));
        this.openWorld = context.openWorld ?? false;
        this.reservedListeners = context.reservedListeners ?? [];
    }

    error(at: Where, field: string | undefined, message: string, seq = this.seq): void {
        this.add("error", at, field, message, seq);
    }

    warning(at: Where, field: string | undefined, message: string, seq = this.seq): void {
        this.add("warning", at, field, message, seq);
    }

    /** Sorted by walk position; findings of the same position keep the order they were made in (sort is stable). */
    findings(): Finding[] {
        return [...this.found].sort((a, b) => a.seq - b.seq).map((f) => f.finding);
    }

    /** The merged object of a section, created on its first definition. */
    merged(section: string, name: string, source: string): { entry: Merged; first: boolean } {
        const objects = this.objects.get(section)!;
        const entry = objects.get(name);
        if (entry !== undefined) return { entry, first: false };
        const created: Merged = { name, source, end: this.seq, fields: new Map() };
        objects.set(name, created);
        return { entry: created, first: true };
    }

    /** The mounted files for messages, listed once per run. */
    mountedNames(): string {
        this.mountedList ??= capped(this.mounted);
        return this.mountedList;
    }

    private add(severity: Finding["severity"], at: Where, field: string | undefined, message: string, seq: number): void {
        // Absent parts are left out rather than set to undefined, so findings compare equal to literals.
        const finding: Finding = {
            severity,
            source: at.source,
            ...(at.section === undefined ? {} : { section: at.section }),
            ...(at.object === undefined ? {} : { object: at.object }),
            ...(field === undefined || field === "" ? {} : { field }),
            message,
        };
        this.found.push({ seq, finding });
    }
}

// ---------------------------------------------------------------------------------------------------
// Documents and sections

function checkDocument(run: Run, input: DocumentInput): void {
    run.seq++;
    const doc = input.document;
    const at: Where = { source: input.source };
    if (!isMap(doc)) {
        run.error(at, undefined, `is not a mapping of sections (found ${describe(doc)})`);
        return;
    }
    checkVersion(run, at, doc.version);
    for (const [key, value] of Object.entries(doc)) {
        if (key === "version") continue;
        run.seq++;
        checkSection(run, input.source, key, value);
    }
}

function checkVersion(run: Run, at: Where, version: unknown): void {
    if (version === undefined) {
        run.error(at, "version", `is missing: expected an API version number such as ${API_VERSION}`);
    } else if (typeof version !== "number" || !Number.isFinite(version) || version <= 0) {
        run.error(at, "version", `${show(version)} is not an API version number such as ${API_VERSION}`);
    } else if (version > run.apiVersion) {
        run.error(at, "version", `${version} is newer than ${run.apiVersion}, the highest API version the traffic manager image understands`);
    }
}

function checkSection(run: Run, source: string, key: string, value: unknown): void {
    if (!key.includes(".") && Object.hasOwn(NAMED, key)) {
        checkNamedSection(run, source, key, value, NAMED[key]);
    } else if (key === "global_settings") {
        checkGlobalSettings(run, source, value);
    } else if (Object.hasOwn(NESTED_SECTIONS, key)) {
        checkNestedSection(run, source, key, value);
    } else if (ALL_SECTIONS.has(key)) {
        walkSection(run, { source, section: key }, value);
    } else {
        const others = ALL_SECTIONS.size - MODELLED_SECTIONS.length;
        run.warning({ source, section: key }, undefined, `is not a configuration section (known: ${MODELLED_SECTIONS.join(", ")} and ${others} other REST API sections)`);
        walkSection(run, { source, section: key }, value);
    }
}

/** `ssl`, `dns_server`…: a mapping of child sections. Only `ssl.server_keys` is modelled. */
function checkNestedSection(run: Run, source: string, parent: string, value: unknown): void {
    if (!isMap(value)) {
        if (parent === "ssl") run.error({ source, section: parent }, undefined, `is not a mapping of ssl sections such as server_keys (found ${describe(value)})`);
        else walkSection(run, { source, section: parent }, value);
        return;
    }
    const children = NESTED_SECTIONS[parent];
    for (const [child, list] of Object.entries(value)) {
        run.seq++;
        const section = `${parent}.${child}`;
        if (Object.hasOwn(NAMED, section)) {
            checkNamedSection(run, source, section, list, NAMED[section]);
            continue;
        }
        if (!children.includes(child)) {
            const known = children.map((c) => `${parent}.${c}`).join(", ");
            run.warning({ source, section }, undefined, `is not a configuration section (known: ${known})`);
        }
        walkSection(run, { source, section }, list);
    }
}

/** A section that is not modelled: only its file references are checked, each under its object's name where it has one. */
function walkSection(run: Run, at: Where, value: unknown): void {
    if (!Array.isArray(value)) {
        walkRefs(run, at, "", value);
        return;
    }
    value.forEach((item, i) => {
        if (isMap(item) && typeof item.name === "string" && item.name !== "") {
            const object: Where = { ...at, object: item.name };
            for (const [key, v] of Object.entries(item)) if (key !== "name") walkRefs(run, object, key, v);
        } else {
            walkRefs(run, at, `[${i}]`, item);
        }
    });
}

function checkNamedSection(run: Run, source: string, section: string, list: unknown, schema: ObjectSchema | typeof RULE): void {
    const at: Where = { source, section };
    if (!Array.isArray(list)) {
        run.error(at, undefined, `is not a list of objects (found ${describe(list)})`);
        return;
    }
    // Within one document a name may appear once; across documents the importer layers them.
    const firstIndex = new Map<string, number>();
    list.forEach((item, i) => {
        run.seq++;
        if (!isMap(item)) {
            run.error(at, `[${i}]`, `is not a mapping with a name (found ${describe(item)})`);
            return;
        }
        const name = item.name;
        if (typeof name !== "string" || name === "") {
            run.error(at, `[${i}].name`, name === undefined ? "is missing: every object needs a non-empty string name" : `${show(name)} is not a non-empty string`);
            checkObject(run, at, `[${i}]`, item, schema, undefined);
            return;
        }
        const object: Where = { ...at, object: name };
        const earlier = firstIndex.get(name);
        if (earlier !== undefined) run.error(object, undefined, `is defined twice in this document (${section}[${earlier}] and [${i}])`);
        else firstIndex.set(name, i);
        const { entry, first } = run.merged(section, name, source);
        checkObject(run, object, "", item, schema, entry);
        if (first) entry.end = run.seq;
    });
}

function checkObject(run: Run, at: Where, prefix: string, item: Record<string, unknown>, schema: ObjectSchema | typeof RULE, entry: Merged | undefined): void {
    const known = schema === RULE ? "content, name" : "name, properties";
    for (const [key, value] of Object.entries(item)) {
        if (key === "name") continue;
        run.seq++;
        const field = join(prefix, key);
        if (schema === RULE && key === "content") {
            entry?.fields.set("content", { value, source: at.source, seq: run.seq });
            checkContent(run, at, field, value);
        } else if (schema !== RULE && key === "properties") {
            checkProperties(run, at, field, value, schema, entry);
        } else {
            run.warning(at, field, `is not a key of ${schema === RULE ? "a rule" : schema.noun} (known: ${known})`);
            walkRefs(run, at, field, value);
        }
    }
    if (schema !== RULE && !Object.hasOwn(item, "properties")) {
        run.error(at, join(prefix, "properties"), "is missing: expected a mapping of property groups");
    }
}

/** A rule's TrafficScript: text, or a file reference (facts §2.4). Missing content is checked after merging. */
function checkContent(run: Run, at: Where, field: string, value: unknown): void {
    if (isValueFrom(value)) checkFileRef(run, at, field, value);
    else if (typeof value !== "string") run.error(at, field, `${show(value)} is not TrafficScript text or a valueFrom.fileRef`);
}

function checkProperties(run: Run, at: Where, field: string, value: unknown, schema: ObjectSchema, entry: Merged | undefined): void {
    if (!isMap(value)) {
        run.error(at, field, `is not a mapping of property groups (found ${describe(value)})`);
        return;
    }
    for (const [group, fields] of Object.entries(value)) {
        run.seq++;
        const groupField = `${field}.${group}`;
        const spec = Object.hasOwn(schema.groups, group) ? schema.groups[group] : undefined;
        if (spec === undefined) {
            run.warning(at, groupField, `is not a property group of ${schema.noun} (known: ${sortedNames(Object.keys(schema.groups)).join(", ")})`);
            walkRefs(run, at, groupField, fields);
            continue;
        }
        if (!isMap(fields)) {
            run.error(at, groupField, `is not a mapping of fields (found ${describe(fields)})`);
            continue;
        }
        for (const [name, v] of Object.entries(fields)) {
            run.seq++;
            const path = `${groupField}.${name}`;
            entry?.fields.set(`properties.${group}.${name}`, { value: v, source: at.source, seq: run.seq });
            if (spec !== UNCHECKED && Object.hasOwn(spec, name)) {
                checkValue(run, at, path, v, spec[name]);
            } else {
                if (spec !== UNCHECKED && schema.strict) run.warning(at, path, `is not a field of ${group} (known: ${sortedNames(Object.keys(spec)).join(", ")})`);
                walkRefs(run, at, path, v);
            }
        }
    }
}

function checkGlobalSettings(run: Run, source: string, value: unknown): void {
    const at: Where = { source, section: "global_settings" };
    if (!isMap(value)) {
        run.error(at, undefined, `is not a mapping with properties (found ${describe(value)})`);
        return;
    }
    for (const [key, v] of Object.entries(value)) {
        run.seq++;
        if (key === "properties") {
            checkProperties(run, at, key, v, GLOBAL_SETTINGS, undefined);
        } else {
            run.warning(at, key, "is not a key of global_settings (known: properties)");
            walkRefs(run, at, key, v);
        }
    }
    if (!Object.hasOwn(value, "properties")) run.error(at, "properties", "is missing: expected a mapping of property groups");
}

// ---------------------------------------------------------------------------------------------------
// Values

/** Checks one value against its spec. A file reference stands in for any value: then only the reference is checked. */
function checkValue(run: Run, at: Where, field: string, value: unknown, spec: Spec): void {
    if (isValueFrom(value)) {
        checkFileRef(run, at, field, value);
        return;
    }
    switch (spec.kind) {
        case "any":
            walkRefs(run, at, field, value);
            return;
        case "readOnly":
            run.warning(at, field, "is read-only: the traffic manager sets it");
            return;
        case "bool":
            if (typeof value !== "boolean") run.error(at, field, `${show(value)} is not true or false`);
            return;
        case "string":
            if (typeof value !== "string") run.error(at, field, `${show(value)} is not a string`);
            return;
        case "size":
            // Helm writes web_cache.size as the number 0 (facts §2.8), so a number is allowed too.
            if (typeof value !== "string" && !(typeof value === "number" && Number.isFinite(value))) {
                run.error(at, field, `${show(value)} is not a size such as '20%' or '200MB', or a number`);
            }
            return;
        case "hostPort":
            if (!isHostPort(value)) run.error(at, field, `${show(value)} is not host:port with a port from 1 to 65535`);
            return;
        case "enum":
            if (typeof value !== "string" || !spec.values.includes(value)) run.error(at, field, `${show(value)} is not one of ${spec.values.join(", ")}`);
            return;
        case "int":
            if (!isWhole(value, spec.min, spec.max)) run.error(at, field, `${show(value)} is not ${wholeNumber(spec.min, spec.max)}`);
            return;
        case "strings":
            checkStrings(run, at, field, value);
            return;
        case "table":
            checkTable(run, at, field, value, spec);
            return;
        default: {
            const never: never = spec;
            throw new Error(`unknown spec ${JSON.stringify(never)}`);
        }
    }
}

function checkStrings(run: Run, at: Where, field: string, value: unknown): void {
    if (!Array.isArray(value)) {
        run.error(at, field, `${show(value)} is not a list of strings`);
        return;
    }
    value.forEach((v, i) => {
        if (isValueFrom(v)) checkFileRef(run, at, `${field}[${i}]`, v);
        else if (typeof v !== "string") run.error(at, `${field}[${i}]`, `${show(v)} is not a string`);
    });
}

function checkTable(run: Run, at: Where, field: string, value: unknown, spec: Extract<Spec, { kind: "table" }>): void {
    if (!Array.isArray(value)) {
        run.error(at, field, `${show(value)} is not a table (a list of rows)`);
        return;
    }
    value.forEach((row, i) => {
        const rowField = `${field}[${i}]`;
        if (!isMap(row)) {
            run.error(at, rowField, `${show(row)} is not a row (a mapping of fields)`);
            return;
        }
        for (const [name, v] of Object.entries(row)) {
            if (Object.hasOwn(spec.row, name)) {
                checkValue(run, at, `${rowField}.${name}`, v, spec.row[name]);
            } else {
                run.warning(at, `${rowField}.${name}`, `is not a field of ${spec.rows} rows (known: ${sortedNames(Object.keys(spec.row)).join(", ")})`);
                walkRefs(run, at, `${rowField}.${name}`, v);
            }
        }
        for (const name of spec.required) if (!Object.hasOwn(row, name)) run.error(at, `${rowField}.${name}`, "is required");
    });
}

/** Finds the file references in a value the schema does not type. `ancestors` guards against YAML alias cycles. */
function walkRefs(run: Run, at: Where, field: string, value: unknown, ancestors = new Set<object>()): void {
    if (isValueFrom(value)) {
        checkFileRef(run, at, field, value);
        return;
    }
    if (typeof value !== "object" || value === null || ancestors.has(value)) return;
    ancestors.add(value);
    if (Array.isArray(value)) value.forEach((v, i) => walkRefs(run, at, `${field}[${i}]`, v, ancestors));
    else for (const [key, v] of Object.entries(value)) walkRefs(run, at, join(field, key), v, ancestors);
    ancestors.delete(value);
}

/** facts §1.4: a path relative to the importer's base directory, which must be a file the program mounts. */
function checkFileRef(run: Run, at: Where, field: string, value: Record<string, unknown>): void {
    const name = fileRefName(value);
    if (name === undefined) {
        run.error(at, field, `${show(value)} is not a file reference: expected {valueFrom: {fileRef: {name: <path under /import>}}}`);
        return;
    }
    const normal = path.posix.normalize(name);
    if (normal.startsWith("/") || normal === ".." || normal.startsWith("../")) {
        run.error(at, field, `${show(name)} must be a path relative to /import, e.g. data/<file>`);
        return;
    }
    if (run.mounted.has(normal)) return;
    const dir = run.uncheckedDirs.find((d) => normal === d || normal.startsWith(`${d}/`));
    if (dir !== undefined) {
        run.warning(at, field, `${show(name)} is not a file this program mounts; it may come from a mount whose keys are not known (${dir}): not checked`);
    } else {
        run.error(at, field, `${show(name)} is not a mounted file (mounted: ${run.mountedNames()})`);
    }
}

// ---------------------------------------------------------------------------------------------------
// Checks on the merged objects: required fields and references (facts §1.2, §3)

/** A collection that names can point to. */
class Target {
    private list?: string;
    private readonly builtins: ReadonlySet<string>;

    constructor(
        readonly noun: string,
        private readonly defined: ReadonlyMap<string, unknown>,
        builtins: readonly string[] = [],
    ) {
        this.builtins = new Set(builtins);
    }

    has(name: string): boolean {
        return this.defined.has(name) || this.builtins.has(name);
    }

    /** Defined and built-in names, sorted and capped, listed once per run. */
    names(): string {
        this.list ??= capped(new Set([...this.defined.keys(), ...this.builtins]));
        return this.list;
    }
}

function checkMerged(run: Run): void {
    const objects = (section: string) => run.objects.get(section)!;
    const pools = new Target("a pool", objects("pools"), BUILTIN_POOLS);
    const failurePools = new Target("a pool", objects("pools"));
    const rules = new Target("a rule", objects("rules"), BUILTIN_RULES);
    const keys = new Target("a server key in ssl.server_keys", objects("ssl.server_keys"));
    const tips = new Target("a traffic IP group", objects("traffic_ip_groups"));
    const monitors = new Target("a monitor", objects("monitors"), BUILTIN_MONITORS);

    for (const vs of objects("virtual_servers").values()) {
        const check = new MergedCheck(run, "virtual_servers", vs);
        check.required("properties.basic.port");
        check.required("properties.basic.pool");
        check.ref("properties.basic.pool", pools, { emptyIsNone: false });
        for (const list of ["request_rules", "response_rules", "completion_rules"]) check.refs(`properties.basic.${list}`, rules);
        check.refs("properties.basic.listen_on_traffic_ips", tips);
        check.ref("properties.ssl.server_cert_default", keys, { emptyIsNone: true });
        check.refs("properties.ssl.server_cert_alt_certificates", keys);
        check.hostMappingRefs(keys);
        check.requiredWhen("properties.ssl.server_cert_default", "properties.basic.ssl_decrypt", true);
    }
    checkListeners(run, objects("virtual_servers"));
    for (const pool of objects("pools").values()) {
        const check = new MergedCheck(run, "pools", pool);
        check.refs("properties.basic.monitors", monitors);
        check.ref("properties.basic.failure_pool", failurePools, { emptyIsNone: true });
    }
    for (const rule of objects("rules").values()) new MergedCheck(run, "rules", rule).required("content");
    for (const key of objects("ssl.server_keys").values()) {
        const check = new MergedCheck(run, "ssl.server_keys", key);
        check.required("properties.basic.public");
        check.required("properties.basic.private");
    }
    for (const tip of objects("traffic_ip_groups").values()) {
        new MergedCheck(run, "traffic_ip_groups", tip).requiredWhen("properties.basic.multicast", "properties.basic.mode", "multihosted");
    }
}

/**
 * Two enabled virtual servers that listen on every address cannot share a port and transport, nor take
 * the traffic manager's own ports; a UDP virtual server cannot decrypt TLS. Checked on the merged objects,
 * so a clash between documents (a user's document and the health check, say) is found too.
 */
function checkListeners(run: Run, virtualServers: ReadonlyMap<string, Merged>): void {
    const taken = new Map(run.reservedListeners.map((l) => [`${l.transport}/${l.port}`, l.what]));
    for (const vs of virtualServers.values()) {
        const value = (field: string) => vs.fields.get(`properties.basic.${field}`)?.value;
        const protocol = value("protocol") ?? "http";
        // An unknown protocol is reported by the schema check; its transport is anyone's guess.
        if (typeof protocol !== "string" || !(VS_PROTOCOLS as readonly string[]).includes(protocol)) continue;
        const transport = transportOf(protocol);
        const decrypt = vs.fields.get("properties.basic.ssl_decrypt");
        if (transport === "UDP" && decrypt?.value === true) {
            run.error({ source: decrypt.source, section: "virtual_servers", object: vs.name }, "properties.basic.ssl_decrypt", `a ${protocol} virtual server carries UDP and cannot decrypt TLS; use a TCP protocol or turn TLS off`, decrypt.seq);
        }
        const port = vs.fields.get("properties.basic.port");
        // vTM's default is disabled; a virtual server bound to chosen addresses may share a port.
        if (value("enabled") !== true || value("listen_on_any") === false || port === undefined || !isWhole(port.value, 1, 65535)) continue;
        const listener = `${transport}/${port.value}`;
        const other = taken.get(listener);
        if (other !== undefined) {
            run.error({ source: port.source, section: "virtual_servers", object: vs.name }, "properties.basic.port", `${port.value} is already used by ${other} (${listener})`, port.seq);
        } else {
            taken.set(listener, `virtual server '${vs.name}'`);
        }
    }
}

/** Checks of one merged object; each finding goes to the document that set the field (or first defined the object). */
class MergedCheck {
    constructor(
        private readonly run: Run,
        private readonly section: string,
        private readonly object: Merged,
    ) {}

    required(field: string): void {
        if (this.object.fields.has(field)) return;
        this.run.error({ source: this.object.source, section: this.section, object: this.object.name }, field, "is required (no document sets it)", this.object.end);
    }

    /** `field` must be set when `when` has the value `is`; the finding goes to the document that set `when`. */
    requiredWhen(field: string, when: string, is: unknown): void {
        const condition = this.object.fields.get(when);
        if (condition === undefined || condition.value !== is) return;
        const set = this.object.fields.get(field);
        if (set !== undefined && set.value !== "") return;
        const found = set === undefined ? "no document sets it" : "found ''";
        this.run.error(this.at(condition), field, `is required when ${when} is ${is} (${found})`, condition.seq);
    }

    ref(field: string, target: Target, options: { readonly emptyIsNone: boolean }): void {
        const set = this.object.fields.get(field);
        if (set === undefined || (options.emptyIsNone && set.value === "")) return;
        this.name(set, field, set.value, target);
    }

    refs(field: string, target: Target): void {
        const set = this.object.fields.get(field);
        if (set !== undefined && Array.isArray(set.value)) set.value.forEach((v, i) => this.name(set, `${field}[${i}]`, v, target));
    }

    /** ssl.server_cert_host_mapping rows name a certificate and, optionally, alternative certificates. */
    hostMappingRefs(target: Target): void {
        const field = "properties.ssl.server_cert_host_mapping";
        const set = this.object.fields.get(field);
        if (set === undefined || !Array.isArray(set.value)) return;
        set.value.forEach((row, i) => {
            if (!isMap(row)) return;
            this.name(set, `${field}[${i}].certificate`, row.certificate, target);
            if (Array.isArray(row.alt_certificates)) row.alt_certificates.forEach((v, j) => this.name(set, `${field}[${i}].alt_certificates[${j}]`, v, target));
        });
    }

    /** Values that are not strings were reported by the schema check (or are file references). */
    private name(set: Setter, field: string, value: unknown, target: Target): void {
        if (typeof value !== "string" || target.has(value)) return;
        if (this.run.openWorld) {
            this.run.warning(this.at(set), field, `${show(value)} is not ${target.noun} of the documents read before deploy (defined: ${target.names()}); not checked: a mounted document may define it`, set.seq);
            return;
        }
        this.run.error(this.at(set), field, `${show(value)} is not ${target.noun} (defined: ${target.names()})`, set.seq);
    }

    private at(set: Setter): Where {
        return { source: set.source, section: this.section, object: this.object.name };
    }
}

// ---------------------------------------------------------------------------------------------------
// Small helpers

function isMap(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isValueFrom(v: unknown): v is Record<string, unknown> {
    return isMap(v) && Object.hasOwn(v, "valueFrom");
}

function fileRefName(value: Record<string, unknown>): string | undefined {
    const from = value.valueFrom;
    const ref = isMap(from) && isMap(from.fileRef) ? from.fileRef.name : undefined;
    return typeof ref === "string" && ref !== "" ? ref : undefined;
}

function join(prefix: string, key: string): string {
    return prefix === "" ? key : `${prefix}.${key}`;
}

function isWhole(value: unknown, min: number | undefined, max: number | undefined): boolean {
    return typeof value === "number" && Number.isInteger(value) && (min === undefined || value >= min) && (max === undefined || value <= max);
}

function wholeNumber(min: number | undefined, max: number | undefined): string {
    if (min !== undefined && max !== undefined) return `a whole number from ${min} to ${max}`;
    if (min !== undefined) return `a whole number of ${min} or more`;
    return "a whole number";
}

/** "<host>:<port>", as pool nodes are written (facts §2.2). IPv6 hosts are bracketed, so the last colon splits. */
function isHostPort(value: unknown): boolean {
    if (typeof value !== "string") return false;
    const colon = value.lastIndexOf(":");
    const port = value.slice(colon + 1);
    return colon > 0 && /^[0-9]{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535;
}

/** Names in the order a reader looks for them: ignoring case (so 'Ping' comes before 'POP'), then by code unit, so the order never depends on the locale. */
function byName(a: string, b: string): number {
    const [x, y] = [a.toLowerCase(), b.toLowerCase()];
    if (x !== y) return x < y ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
}

function sortedNames(names: Iterable<string>): string[] {
    return [...names].sort(byName);
}

const LIST_CAP = 10;

/** Names sorted, the first ten then "… and N more"; "none" when empty. */
function capped(names: Iterable<string>): string {
    const sorted = sortedNames(names);
    if (sorted.length === 0) return "none";
    const shown = sorted.slice(0, LIST_CAP).join(", ");
    return sorted.length > LIST_CAP ? `${shown}, … and ${sorted.length - LIST_CAP} more` : shown;
}

const SHOW_CAP = 80;

/** A value for a message: strings in single quotes, the rest as JSON, cut after 80 characters. */
function show(value: unknown): string {
    if (typeof value === "string") {
        const text = value.replace(/\r/g, "\\r").replace(/\n/g, "\\n").replace(/\t/g, "\\t");
        return text.length > SHOW_CAP ? `'${text.slice(0, SHOW_CAP)}…' (${value.length} characters)` : `'${text}'`;
    }
    if (value === undefined) return "nothing";
    let text: string;
    try {
        text = typeof value === "number" || typeof value === "bigint" ? String(value) : (JSON.stringify(value) ?? String(value));
    } catch {
        text = describe(value); // cyclic (YAML aliases)
    }
    return text.length > SHOW_CAP ? `${text.slice(0, SHOW_CAP)}… (${text.length} characters)` : text;
}

/** What a value is, for "found …" in messages. */
function describe(value: unknown): string {
    if (value === undefined || value === null) return "nothing";
    if (Array.isArray(value)) return "a list";
    if (isMap(value)) return "a mapping";
    if (typeof value === "string") return `the string ${show(value)}`;
    if (typeof value === "number") return `the number ${value}`;
    return `the value ${String(value)}`;
}
