// Checks vTM configuration documents before any resource is created and returns every problem at once,
// each naming the document, the section, the object and the field. Each field's type, enum, range,
// table rows and name is checked by the generated schema of the document's own version (vtm/schema,
// applied by schemaValidator.ts; only the versions the documents use are loaded). What a schema cannot say is here: the version against the image's,
// names defined twice in a document, fields required once documents are layered in import order,
// references between objects across all documents, file references against the files the program
// mounts, and listeners that clash.
import * as path from "path";
import { API_VERSION, BUILTIN_DISCOVERY_PLUGINS, BUILTIN_MONITOR_SCRIPTS, BUILTIN_MONITORS, BUILTIN_POOLS, BUILTIN_RULES, VS_PROTOCOLS, transportOf } from "./model";
import { DocumentOrder, SchemaProblem, VtmSchema, fieldPath, schemaFor, schemaVersions, versionsHaving } from "./schemaValidator";
import { versionText } from "./releases";
import { capped, describe, isMap, show } from "./text";

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
    /** The image's API version: the highest document `version` it understands. @default API_VERSION (6.2, the default image's) */
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

/** The REST sections of an API version: flat lists of objects, parents of nested sections (`ssl` → `server_keys`…), and top-level singletons. */
export interface SectionKinds {
    readonly flat: readonly string[];
    readonly nested: Readonly<Record<string, readonly string[]>>;
    readonly singletons: readonly string[];
}

/** The sections of an API version's schema (loaded only when asked). */
export function sectionKinds(apiVersion: number): SectionKinds {
    const schema = schemaFor(apiVersion);
    const parents = [...new Set(schema.sections.filter((s) => s.includes(".")).map((s) => s.split(".")[0]))];
    return {
        flat: schema.sections.filter((s) => !s.includes(".") && schema.listSections.has(s)),
        nested: Object.fromEntries(parents.map((p) => [p, schema.sections.filter((s) => s.startsWith(`${p}.`)).map((s) => s.slice(p.length + 1))])),
        singletons: schema.sections.filter((s) => !s.includes(".") && !schema.listSections.has(s)),
    };
}

/** Checks all documents together, as the importer layers them, and returns every finding in document, object and field order. */
export function validateDocuments(documents: readonly DocumentInput[], context: ValidationContext): Finding[] {
    const run = new Run(context);
    for (const input of documents) checkDocument(run, input);
    checkMerged(run);
    return run.findings();
}

// ---------------------------------------------------------------------------------------------------
// Run state: findings with their place in the walk, and objects merged across documents

/** Where a finding is: the document, section and object; the field is given separately. */
interface Where {
    readonly source: string;
    readonly section?: string;
    readonly object?: string;
}

/** Where an object is in its document: its walk positions are worked out from this only for a finding. */
interface ObjectPlace {
    readonly places: Places;
    readonly pointer: readonly (string | number)[];
}

/** The last document to set a field of an object (`content`, or a group's field), with the field's place in the walk. */
class Setter {
    constructor(
        readonly value: unknown,
        readonly source: string,
        private readonly object: ObjectPlace,
        private readonly group: string,
        private readonly field?: string,
    ) {}

    seq(): number {
        const inObject = this.field === undefined ? [this.group] : ["properties", this.group, this.field];
        return this.object.places.of([...this.object.pointer, ...inObject]);
    }
}

/** One object as the importer sees it after layering every document that names it. */
interface Merged {
    readonly name: string;
    /** The first document that defines the object, and the walk position at the end of that definition. */
    readonly source: string;
    readonly end: () => number;
    /** Field paths ("properties.basic.pool", "content") to their last setter. */
    readonly fields: Map<string, Setter>;
}

class Run {
    readonly apiVersion: number;
    /** The image's schema: for the layered objects' required fields. */
    readonly schema: VtmSchema;
    readonly mounted: ReadonlySet<string>;
    readonly uncheckedDirs: readonly string[];
    readonly openWorld: boolean;
    readonly reservedListeners: readonly Listener[];
    /** Section key → object name → merged object, in order of first definition; every list section of the schema. */
    readonly objects: Map<string, Map<string, Merged>>;
    /** The number of documents walked so far. */
    documents = 0;
    private readonly found: { readonly seq: number; readonly finding: Finding }[] = [];
    private mountedList?: string;

    constructor(context: ValidationContext) {
        this.apiVersion = context.apiVersion ?? API_VERSION;
        this.schema = schemaFor(this.apiVersion);
        this.mounted = new Set([...context.mountedFiles].map((f) => path.posix.normalize(f)));
        this.uncheckedDirs = (context.uncheckedDirs ?? []).map((d) => path.posix.normalize(d).replace(/\/+$/, ""));
        this.openWorld = context.openWorld ?? false;
        this.reservedListeners = context.reservedListeners ?? [];
        this.objects = new Map();
    }

    error(at: Where, field: string | undefined, message: string, seq: number): void {
        this.add("error", at, field, message, seq);
    }

    warning(at: Where, field: string | undefined, message: string, seq: number): void {
        this.add("warning", at, field, message, seq);
    }

    /** Sorted by walk position; findings of the same position keep the order they were made in (sort is stable). */
    findings(): Finding[] {
        return [...this.found].sort((a, b) => a.seq - b.seq).map((f) => f.finding);
    }

    /** The merged object of a section, created on its first definition. */
    merged(section: string, name: string, source: string, end: () => number): Merged {
        if (!this.objects.has(section)) this.objects.set(section, new Map());
        const objects = this.objects.get(section)!;
        const entry = objects.get(name);
        if (entry !== undefined) return entry;
        const created: Merged = { name, source, end, fields: new Map() };
        objects.set(name, created);
        return created;
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
// One document: its version, the schema's findings, names, merged fields and file references

/** Findings sort by document, then by place in it: 2^32 places a document, at most. */
const DOCUMENT_SPAN = 2 ** 32;

/** Places in one document, worked out on the first finding that needs one. */
class Places {
    private order?: DocumentOrder;

    constructor(
        private readonly document: unknown,
        private readonly index: number,
    ) {}

    of(pointer: readonly (string | number)[]): number {
        this.order ??= new DocumentOrder(this.document);
        return this.index * DOCUMENT_SPAN + this.order.of(pointer);
    }

    end(pointer: readonly (string | number)[]): number {
        this.order ??= new DocumentOrder(this.document);
        return this.index * DOCUMENT_SPAN + this.order.end(pointer);
    }
}

function checkDocument(run: Run, input: DocumentInput): void {
    const doc = input.document;
    const places = new Places(doc, run.documents++);
    const seq = (pointer: readonly (string | number)[]) => places.of(pointer);
    const at: Where = { source: input.source };
    if (!isMap(doc)) {
        run.error(at, undefined, `is not a mapping of sections (found ${describe(doc)})`, seq([]));
    } else {
        const version = checkVersion(run, at, doc.version, () => seq(["version"]));
        const schema = schemaFor(version);
        for (const problem of schema.validate(doc)) {
            // A missing name is said first, as it is the object's heading; other missing keys after what the object holds.
            const missingName = problem.pointer[problem.pointer.length - 1] === "name" && problem.message.startsWith("is missing: every object");
            schemaFinding(run, input, schema, version, problem, seq(missingName ? problem.pointer.slice(0, -1) : problem.pointer));
        }
        for (const [key, value] of Object.entries(doc)) {
            if (schema.listSections.has(key)) checkNames(run, input, key, places);
            else if (isMap(value)) for (const child of Object.keys(value)) if (schema.listSections.has(`${key}.${child}`)) checkNames(run, input, `${key}.${child}`, places);
        }
        walkRefs(run, input, [], doc, seq, schema);
    }
}

/** The document's version, checked against the image's; the version its fields are checked with (the image's when it is wrong). */
function checkVersion(run: Run, at: Where, version: unknown, seq: () => number): number {
    if (version === undefined) {
        run.error(at, "version", `is missing: expected an API version number such as ${versionText(run.apiVersion)}`, seq());
    } else if (typeof version !== "number" || !Number.isFinite(version) || version <= 0) {
        run.error(at, "version", `${show(version)} is not an API version number such as ${versionText(run.apiVersion)}`, seq());
    } else if (version > run.apiVersion) {
        run.error(at, "version", `${version} is newer than ${run.apiVersion}, the highest API version the traffic manager image understands`, seq());
    } else {
        return version;
    }
    return run.apiVersion;
}

/**
 * A problem the schema found. Inside a section, an unknown key, group, field or column is an error
 * when the schema is the image's own API version: the REST API has no such property. With an image
 * newer than every schema here it may be new, so a warning. A top-level key that is no section is a
 * warning: the importer's envelope, where documents also keep YAML anchors (`x-defaults: &d …`).
 */
function schemaFinding(run: Run, input: DocumentInput, schema: VtmSchema, version: number, problem: SchemaProblem, seq: number): void {
    const place = schema.locate(input.document, problem.pointer);
    const at: Where = { source: input.source, section: place.section, object: place.object };
    const unknown = problem.kind === "unknown" || problem.kind === "unknownSection";
    if (unknown && version > schema.version) {
        run.warning(at, place.field, `${problem.message}; not in the API ${versionText(schema.version)} schema, the newest here, but API ${version} may have it: not checked`, seq);
    } else if (problem.kind === "readOnly" || problem.kind === "unknownSection") {
        run.warning(at, place.field, `${problem.message}${otherVersions(run, version, place.section, place.field)}`, seq);
    } else {
        run.error(at, place.field, `${problem.message}${unknown ? otherVersions(run, version, place.section, place.field) : ""}`, seq);
    }
}

/** For a section or field this document's version lacks: the versions that have it ("" when none does). */
function otherVersions(run: Run, version: number, section: string | undefined, field: string | undefined): string {
    if (section === undefined) return "";
    const having = versionsHaving(section, field?.replace(/\[\d+\]/g, "[]"));
    if (having.length === 0) return "";
    const newer = having.filter((v) => v > version);
    if (newer.length === 0) return `; only API ${span(having)} ${having.length === 1 ? "has" : "have"} it, not ${versionText(version)}`;
    const first = versionText(newer[0]);
    const image = newer[0] > run.apiVersion ? ` on an image with API ${first} or later (this stack's image has ${versionText(run.apiVersion)})` : "";
    return `; API ${span(newer)} ${newer.length === 1 ? "has" : "have"} it: write the document as version ${first} or later${image}`;
}

/** "8.3", "8.0 to 8.3" for a run of the schema versions, else each: "6.0, 6.2". */
function span(versions: readonly number[]): string {
    const all = schemaVersions();
    const [first, last] = [versions[0], versions[versions.length - 1]];
    const run = all.slice(all.indexOf(first), all.indexOf(last) + 1);
    if (versions.length > 1 && run.length === versions.length) return `${versionText(first)} to ${versionText(last)}`;
    return versions.map(versionText).join(", ");
}

/** A list section: names defined twice in one document, and each named object's fields recorded for layering. */
function checkNames(run: Run, input: DocumentInput, section: string, places: Places): void {
    const pointer = section.split(".");
    const list = pointer.reduce<unknown>((v, k) => (isMap(v) ? v[k] : undefined), input.document);
    if (!Array.isArray(list)) return;
    // Within one document a name may appear once; across documents the importer layers them.
    const firstIndex = new Map<string, number>();
    list.forEach((item, i) => {
        if (!isMap(item) || typeof item.name !== "string" || item.name === "") return; // the schema reports it
        const name = item.name;
        const at: Where = { source: input.source, section, object: name };
        const earlier = firstIndex.get(name);
        if (earlier !== undefined) run.error(at, undefined, `is defined twice in this document (${section}[${earlier}] and [${i}])`, places.of([...pointer, i]));
        else firstIndex.set(name, i);
        const entry = run.merged(section, name, input.source, () => places.end([...pointer, i]));
        // Thousands of objects a render: one place per object, the field's walk position worked out only on a finding.
        const object: ObjectPlace = { places, pointer: [...pointer, i] };
        const source = input.source;
        if (Object.hasOwn(item, "content")) entry.fields.set("content", new Setter(item.content, source, object, "content"));
        const properties = item.properties;
        if (!isMap(properties)) return;
        for (const group in properties) {
            const fields = properties[group];
            if (!Object.hasOwn(properties, group) || !isMap(fields)) continue;
            for (const field in fields) {
                if (Object.hasOwn(fields, field)) entry.fields.set(`properties.${group}.${field}`, new Setter(fields[field], source, object, group, field));
            }
        }
    });
}

/** Every file reference, wherever it is (the schema says where one may stand): it must name a file the program mounts. */
function walkRefs(run: Run, input: DocumentInput, pointer: (string | number)[], value: unknown, seq: (p: (string | number)[]) => number, schema: VtmSchema, ancestors = new Set<object>()): void {
    if (typeof value !== "object" || value === null || ancestors.has(value)) return;
    if (isMap(value) && Object.hasOwn(value, "valueFrom")) {
        const name = fileRefName(value);
        // A malformed reference is the schema's to report.
        if (name !== undefined) {
            const at = [...pointer];
            checkFileRef(run, input, schema, at, name, () => seq(at));
        }
        return;
    }
    ancestors.add(value); // YAML aliases can make cycles
    // One pointer, extended and cut back on the way: a document of thousands of values makes no copies.
    const visit = (key: string | number, v: unknown) => {
        if (typeof v !== "object" || v === null) return;
        pointer.push(key);
        walkRefs(run, input, pointer, v, seq, schema, ancestors);
        pointer.pop();
    };
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) visit(i, value[i]);
    else for (const key in value) if (Object.hasOwn(value, key)) visit(key, (value as Record<string, unknown>)[key]);
    ancestors.delete(value);
}

/** facts §1.4: a path relative to the importer's base directory, which must be a file the program mounts. */
function checkFileRef(run: Run, input: DocumentInput, schema: VtmSchema, pointer: (string | number)[], name: string, seq: () => number): void {
    const normal = path.posix.normalize(name);
    const escapes = normal.startsWith("/") || normal === ".." || normal.startsWith("../");
    if (!escapes && run.mounted.has(normal)) return;
    const place = schema.locate(input.document, pointer);
    const at: Where = { source: input.source, section: place.section, object: place.object };
    if (escapes) {
        run.error(at, place.field, `${show(name)} must be a path relative to /import, e.g. data/<file>`, seq());
        return;
    }
    const dir = run.uncheckedDirs.find((d) => normal === d || normal.startsWith(`${d}/`));
    if (dir !== undefined) {
        run.warning(at, place.field, `${show(name)} is not a file this program mounts; it may come from a mount whose keys are not known (${dir}): not checked`, seq());
    } else {
        run.error(at, place.field, `${show(name)} is not a mounted file (mounted: ${run.mountedNames()})`, seq());
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
    for (const [section, objects] of run.objects) {
        if (run.schema.requiresAfterLayering(section)) for (const object of objects.values()) checkRequired(run, section, object);
    }
    const objects = (section: string): ReadonlyMap<string, Merged> => run.objects.get(section) ?? new Map();
    const pools = new Target("a pool", objects("pools"), BUILTIN_POOLS);
    const failurePools = new Target("a pool", objects("pools"));
    const rules = new Target("a rule", objects("rules"), BUILTIN_RULES);
    const keys = new Target("a server key in ssl.server_keys", objects("ssl.server_keys"));
    const clientKeys = new Target("a client key in ssl.client_keys", objects("ssl.client_keys"));
    const cas = new Target("a CA in ssl.cas", objects("ssl.cas"));
    const tips = new Target("a traffic IP group", objects("traffic_ip_groups"));
    const monitors = new Target("a monitor", objects("monitors"), BUILTIN_MONITORS);
    const persistence = new Target("a persistence class", objects("persistence"));
    const bandwidth = new Target("a bandwidth class", objects("bandwidth"));
    const protection = new Target("a protection class", objects("protection"));
    const slm = new Target("a service level monitor", objects("service_level_monitors"));
    const plugins = new Target("a service discovery plugin", objects("servicediscovery"), BUILTIN_DISCOVERY_PLUGINS);
    const scripts = new Target("a monitor script", objects("monitor_scripts"), BUILTIN_MONITOR_SCRIPTS);
    const optional = { emptyIsNone: true };

    for (const vs of objects("virtual_servers").values()) {
        const check = new MergedCheck(run, "virtual_servers", vs);
        check.ref("properties.basic.pool", pools, { emptyIsNone: false });
        for (const list of ["request_rules", "response_rules", "completion_rules"]) check.refs(`properties.basic.${list}`, rules);
        check.refs("properties.basic.listen_on_traffic_ips", tips);
        check.ref("properties.basic.bandwidth_class", bandwidth, optional);
        check.ref("properties.basic.protection_class", protection, optional);
        check.ref("properties.basic.slm_class", slm, optional);
        check.ref("properties.ssl.server_cert_default", keys, optional);
        check.refs("properties.ssl.server_cert_alt_certificates", keys);
        check.hostMappingRefs(keys);
        check.refs("properties.ssl.client_cert_cas", cas);
        check.requiredWhen("properties.ssl.server_cert_default", "properties.basic.ssl_decrypt", true);
    }
    checkListeners(run, objects("virtual_servers"));
    for (const pool of objects("pools").values()) {
        const check = new MergedCheck(run, "pools", pool);
        check.refs("properties.basic.monitors", monitors);
        check.ref("properties.basic.failure_pool", failurePools, optional);
        check.ref("properties.basic.persistence_class", persistence, optional);
        check.ref("properties.basic.bandwidth_class", bandwidth, optional);
        check.ref("properties.ssl.ssl_fixed_client_certificate", clientKeys, optional);
        check.ref("properties.service_discovery.plugin", plugins, optional);
    }
    for (const monitor of objects("monitors").values()) new MergedCheck(run, "monitors", monitor).ref("properties.script.program", scripts, optional);
    for (const tip of objects("traffic_ip_groups").values()) {
        new MergedCheck(run, "traffic_ip_groups", tip).requiredWhen("properties.basic.multicast", "properties.basic.mode", "multihosted");
    }
}

/** The fields the schema requires, on the object as every document together makes it; reported at its first document. */
function checkRequired(run: Run, section: string, object: Merged): void {
    const merged: Record<string, any> = {};
    for (const [field, set] of object.fields) {
        const [first, group, name] = field.split(".");
        if (first === "content") merged.content = set.value;
        else ((merged.properties ??= {})[group] ??= {})[name] = set.value;
    }
    for (const missing of run.schema.missingAfterLayering(section, merged)) {
        run.error({ source: object.source, section, object: object.name }, fieldPath(missing), "is required (no document sets it)", object.end());
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
        // An unknown protocol is reported by the schema check; it counts as vTM's default (http, on TCP)
        // here, so that a port clash is reported in the same run instead of the next.
        const given = value("protocol");
        const protocol = typeof given === "string" && (VS_PROTOCOLS as readonly string[]).includes(given) ? given : "http";
        const transport = transportOf(protocol);
        const decrypt = vs.fields.get("properties.basic.ssl_decrypt");
        if (transport === "UDP" && decrypt?.value === true) {
            run.error({ source: decrypt.source, section: "virtual_servers", object: vs.name }, "properties.basic.ssl_decrypt", `a ${protocol} virtual server carries UDP and cannot decrypt TLS; use a TCP protocol or turn TLS off`, decrypt.seq());
        }
        const port = vs.fields.get("properties.basic.port");
        // vTM's default is disabled; a virtual server bound to chosen addresses may share a port.
        if (value("enabled") !== true || value("listen_on_any") === false || port === undefined || !isWhole(port.value, 1, 65535)) continue;
        const listener = `${transport}/${port.value}`;
        const other = taken.get(listener);
        if (other !== undefined) {
            run.error({ source: port.source, section: "virtual_servers", object: vs.name }, "properties.basic.port", `${port.value} is already used by ${other} (${listener})`, port.seq());
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

    /** `field` must be set when `when` has the value `is`; the finding goes to the document that set `when`. */
    requiredWhen(field: string, when: string, is: unknown): void {
        const condition = this.object.fields.get(when);
        if (condition === undefined || condition.value !== is) return;
        const set = this.object.fields.get(field);
        if (set !== undefined && set.value !== "") return;
        const found = set === undefined ? "no document sets it" : "found ''";
        this.run.error(this.at(condition), field, `is required when ${when} is ${is} (${found})`, condition.seq());
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
            this.run.warning(this.at(set), field, `${show(value)} is not ${target.noun} of the documents read before deploy (defined: ${target.names()}); not checked: a mounted document may define it`, set.seq());
            return;
        }
        this.run.error(this.at(set), field, `${show(value)} is not ${target.noun} (defined: ${target.names()})`, set.seq());
    }

    private at(set: Setter): Where {
        return { source: set.source, section: this.section, object: this.object.name };
    }
}

// ---------------------------------------------------------------------------------------------------
// Small helpers

function fileRefName(value: Record<string, unknown>): string | undefined {
    const from = value.valueFrom;
    const ref = isMap(from) && isMap(from.fileRef) ? from.fileRef.name : undefined;
    return typeof ref === "string" && ref !== "" ? ref : undefined;
}

function isWhole(value: unknown, min: number, max: number): boolean {
    return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}
