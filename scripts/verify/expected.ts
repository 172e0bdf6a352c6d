// What a traffic manager pod should be running: the configuration documents its volumes really
// project (read back from the ConfigMaps and Secrets in the cluster, not from this checkout), layered
// in file-name order, and how each object's REST answer compares with what the documents set.
import * as path from "path";
import type { V1Pod, V1Volume, V1VolumeProjection } from "@kubernetes/client-node";
import { DocumentError, IMPORT_DIR, parseDocument } from "../../vtm/documents";
import { DATA_DIR } from "../../vtm/configuration";
import { SectionKinds, sectionKinds } from "../../vtm/validation";
import { Cluster } from "./types";

/** Object types the REST API stores as plain text bodies, not JSON (go-vtm 6.2 sends them TEXT_ONLY_OBJ; facts §1.3). */
export const RAW_TEXT_SECTIONS: ReadonlySet<string> = new Set([
    "rules", "servicediscovery", "monitor_scripts", "action_programs", "extra_files", "license_keys",
    "dns_server/zone_files", "kerberos/keytabs", "kerberos/krb5confs", "ssl/cas",
]);

/** One file in the importer's directories, with where it came from. */
export interface DeployedFile {
    /** Path relative to the importer's base directory: `config/30-service-web.yaml`, `data/x.trafficscript`. */
    readonly path: string;
    readonly text: string;
    /** `ConfigMap vtm-config` or `Secret my-docs`. */
    readonly origin: string;
}

export interface DeployedFiles {
    readonly documents: readonly DeployedFile[];
    /** Data files by path (`data/...`); Secrets are not read, so TLS keys never leave the cluster. */
    readonly data: ReadonlyMap<string, string>;
    /** ConfigMaps or Secrets the pod projects that are not there. */
    readonly problems: readonly string[];
}

/** A value one document sets, and the document that set it last. */
export interface SetValue {
    readonly value: unknown;
    readonly source: string;
}

/** One object as the documents define it, layered across them. */
export interface ExpectedObject {
    /** The REST collection: `pools`, `ssl/server_keys`, `global_settings`. */
    readonly section: string;
    /** Absent for singletons (global_settings). */
    readonly name?: string;
    /** The document version of its last definition: the REST API version to read it with. */
    version: string;
    /** Stored as text (rules and the like): `content` is compared, not properties. */
    readonly raw: boolean;
    /** `group.field` → the value the documents set. */
    readonly fields: Map<string, SetValue>;
    content?: SetValue;
    /** The documents that define it, for the report. */
    readonly sources: string[];
}

export interface Expected {
    readonly objects: readonly ExpectedObject[];
    /** Every version the documents are written for. */
    readonly versions: readonly string[];
    /** Documents that cannot be read. */
    readonly problems: readonly string[];
}

/** `6.2` → "6.2", `7` (YAML's 7.0) → "7.0", as the REST paths spell versions. */
export function versionText(version: unknown, fallback: string): string {
    if (typeof version === "number" && Number.isFinite(version)) return Number.isInteger(version) ? version.toFixed(1) : String(version);
    if (typeof version === "string" && version.trim() !== "") return version.trim();
    return fallback;
}

/** `/api/tm/<version>/config/active/<section>[/<name>]`, the name URL-encoded (`Simple HTTP` → `Simple%20HTTP`). */
export function objectPath(object: Pick<ExpectedObject, "section" | "name" | "version">): string {
    const name = object.name === undefined ? "" : `/${encodeURIComponent(object.name)}`;
    return `/api/tm/${object.version}/config/active/${object.section}${name}`;
}

/** How the report names an object: `pools 'example-pool'`, `global_settings`. */
export function objectLabel(object: Pick<ExpectedObject, "section" | "name">): string {
    return object.name === undefined ? object.section : `${object.section} '${object.name}'`;
}

function isMap(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The volume mounted at a path in the pod's traffic manager container. */
function volumeAt(pod: V1Pod, container: string, mountPath: string): V1Volume | undefined {
    const spec = pod.spec;
    const mount = spec?.containers.find((c) => c.name === container)?.volumeMounts?.find((m) => m.mountPath === mountPath);
    return mount && spec?.volumes?.find((v) => v.name === mount.name);
}

function sourcesOf(volume: V1Volume | undefined): V1VolumeProjection[] {
    if (volume === undefined) return [];
    if (volume.projected) return volume.projected.sources ?? [];
    if (volume.configMap) return [{ configMap: volume.configMap }];
    if (volume.secret) return [{ secret: { name: volume.secret.secretName, items: volume.secret.items, optional: volume.secret.optional } }];
    return [];
}

/** The files a projected source puts in a directory: all its keys, or its items at their paths. */
function filesOf(data: Record<string, string>, items: readonly { key: string; path: string }[] | undefined): [string, string][] {
    if (items === undefined || items.length === 0) return Object.entries(data);
    return items.filter((i) => i.key in data).map((i) => [i.path, data[i.key]]);
}

/** Reads what one directory's sources hold; Secrets only when asked (documents yes, data no). */
async function readDirectory(cluster: Cluster, namespace: string, dir: string, sources: V1VolumeProjection[], readSecrets: boolean, problems: string[]): Promise<DeployedFile[]> {
    const files: DeployedFile[] = [];
    for (const source of sources) {
        if (source.configMap?.name) {
            const cm = await cluster.configMap(namespace, source.configMap.name);
            if (cm === undefined) {
                if (!source.configMap.optional) problems.push(`ConfigMap ${namespace}/${source.configMap.name}, which the pod projects into ${IMPORT_DIR}/${dir}, does not exist`);
                continue;
            }
            for (const [file, text] of filesOf(cm.data ?? {}, source.configMap.items)) files.push({ path: `${dir}/${file}`, text, origin: `ConfigMap ${source.configMap.name}` });
        } else if (source.secret?.name && readSecrets) {
            const secret = await cluster.secret(namespace, source.secret.name);
            if (secret === undefined) {
                if (!source.secret.optional) problems.push(`Secret ${namespace}/${source.secret.name}, which the pod projects into ${IMPORT_DIR}/${dir}, does not exist`);
                continue;
            }
            const decoded = Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]));
            for (const [file, text] of filesOf(decoded, source.secret.items)) files.push({ path: `${dir}/${file}`, text, origin: `Secret ${source.secret.name}` });
        }
    }
    return files;
}

/** The documents and data a pod's importer reads, from the ConfigMaps (and document Secrets) its volumes project. */
export async function deployedFiles(cluster: Cluster, pod: V1Pod, container: string): Promise<DeployedFiles> {
    const namespace = pod.metadata?.namespace ?? "default";
    const problems: string[] = [];
    const configVolume = volumeAt(pod, container, `${IMPORT_DIR}/config`);
    if (configVolume === undefined) problems.push(`the pod mounts nothing at ${IMPORT_DIR}/config, where the importer reads its documents`);
    const documents = await readDirectory(cluster, namespace, "config", sourcesOf(configVolume), true, problems);
    const data = await readDirectory(cluster, namespace, DATA_DIR, sourcesOf(volumeAt(pod, container, `${IMPORT_DIR}/${DATA_DIR}`)), false, problems);
    documents.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { documents, data: new Map(data.map((f) => [f.path, f.text])), problems };
}

/** The named objects of a document, each with its REST collection. */
function sectionsOf(document: Record<string, unknown>, kinds: SectionKinds): { section: string; objects: unknown }[] {
    const found: { section: string; objects: unknown }[] = [];
    for (const [key, value] of Object.entries(document)) {
        if (kinds.flat.includes(key) || kinds.singletons.includes(key)) {
            found.push({ section: key, objects: value });
        } else if (key in kinds.nested && isMap(value)) {
            for (const child of kinds.nested[key]) if (child in value) found.push({ section: `${key}/${child}`, objects: value[child] });
        }
    }
    return found;
}

/** The file a `valueFrom.fileRef` names, if the data ConfigMaps hold it. */
function fileRefName(value: unknown): string | undefined {
    if (!isMap(value) || !isMap(value.valueFrom) || !isMap(value.valueFrom.fileRef)) return undefined;
    const name = value.valueFrom.fileRef.name;
    return typeof name === "string" ? path.posix.normalize(name) : undefined;
}

/** Layers every document, in file-name order, into the objects the traffic manager should hold; fallbackVersion is the stack's API version. */
export function expectedObjects(files: DeployedFiles, fallbackVersion: string): Expected {
    // The stack's API version has every section its documents may use (none is newer).
    const kinds = sectionKinds(Number(fallbackVersion));
    const SINGLETON_SECTIONS = kinds.singletons;
    const problems: string[] = [];
    const objects = new Map<string, ExpectedObject>();
    const versions = new Set<string>();
    for (const file of files.documents) {
        const source = `${file.path} (${file.origin})`;
        let document: unknown;
        try {
            document = parseDocument(file.text, source);
        } catch (err) {
            if (!(err instanceof DocumentError)) throw err;
            problems.push(...err.problems);
            continue;
        }
        if (!isMap(document)) continue;
        const version = versionText(document.version, fallbackVersion);
        for (const { section, objects: list } of sectionsOf(document, kinds)) {
            const entries = SINGLETON_SECTIONS.includes(section) ? [list] : Array.isArray(list) ? list : [];
            for (const entry of entries) {
                if (!isMap(entry)) continue;
                const name = SINGLETON_SECTIONS.includes(section) ? undefined : typeof entry.name === "string" ? entry.name : undefined;
                if (name === undefined && !SINGLETON_SECTIONS.includes(section)) continue;
                versions.add(version);
                const key = `${section}\u0000${name ?? ""}`;
                const current: ExpectedObject = objects.get(key) ?? { section, name, version, raw: RAW_TEXT_SECTIONS.has(section), fields: new Map(), sources: [] };
                objects.set(key, current);
                current.version = version; // the last definition's version is the one to read it with
                current.sources.push(source);
                if ("content" in entry) current.content = { value: resolveContent(entry.content, files.data), source };
                if (isMap(entry.properties)) {
                    for (const [group, fields] of Object.entries(entry.properties)) {
                        if (!isMap(fields)) continue;
                        for (const [field, value] of Object.entries(fields)) current.fields.set(`${group}.${field}`, { value, source });
                    }
                }
            }
        }
    }
    return { objects: [...objects.values()], versions: [...versions].sort(), problems };
}

/** Raw content as the importer puts it in: the text itself, or the data file a fileRef names. */
function resolveContent(content: unknown, data: ReadonlyMap<string, string>): unknown {
    const ref = fileRefName(content);
    if (ref === undefined) return content;
    return data.get(ref) ?? content;
}

// ---------------------------------------------------------------------------------------------------
// Comparing an object's REST answer with what the documents set

/** Lists the traffic manager keeps in order; every other list of names is a set (monitors, hosts). */
const ORDERED_LISTS = /_rules$/;

function show(value: unknown): string {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Scalars compare as the importer coerces them: 0 and "0" are one value (web_cache.size). */
function sameScalar(expected: unknown, actual: unknown): boolean {
    if (typeof expected === "boolean" || typeof actual === "boolean") return expected === actual;
    if (expected === null || actual === null) return expected === actual;
    return String(expected) === String(actual);
}

/** Whether the running value holds what the document set: maps and table rows may carry more (defaults). */
export function holds(expected: unknown, actual: unknown, field: string): boolean {
    if (Array.isArray(expected)) {
        if (!Array.isArray(actual)) return false;
        if (expected.every(isMap)) {
            // A table: each row the document gives is a row of the running value.
            return expected.length <= actual.length && expected.every((row) => actual.some((r) => holds(row, r, field)));
        }
        if (expected.length !== actual.length) return false;
        if (ORDERED_LISTS.test(field)) return expected.every((v, i) => holds(v, actual[i], field));
        const rest = [...actual];
        return expected.every((v) => {
            const i = rest.findIndex((a) => holds(v, a, field));
            return i >= 0 && rest.splice(i, 1).length === 1;
        });
    }
    if (isMap(expected)) {
        return isMap(actual) && Object.entries(expected).every(([k, v]) => holds(v, actual[k], `${field}.${k}`));
    }
    return actual !== undefined && sameScalar(expected, actual);
}

/** A field the traffic manager fills itself, so the document's value cannot be compared. */
function notComparable(object: ExpectedObject, field: string, value: unknown): boolean {
    if (fileRefName(value) !== undefined) return true; // read from a file at import: certificates, keys
    // With service discovery on, the plugin fills the node list the document leaves empty.
    const discovery = object.fields.get("service_discovery.enabled")?.value === true;
    return discovery && object.section === "pools" && field === "basic.nodes_table";
}

/** Differences between what the documents set and what the REST API answered; empty when it holds. */
export function differences(object: ExpectedObject, body: string): string[] {
    if (object.raw) {
        const content = object.content?.value;
        if (typeof content !== "string") return []; // a file the data ConfigMaps do not hold: only existence is checked
        return body.trimEnd() === content.trimEnd()
            ? []
            : [`content differs from ${object.content!.source} (running: ${show(body.trimEnd())}, document: ${show(content.trimEnd())})`];
    }
    let properties: unknown;
    try {
        properties = (JSON.parse(body) as { properties?: unknown }).properties;
    } catch {
        return [`the REST API answered something that is not JSON: ${show(body)}`];
    }
    if (!isMap(properties)) return [`the REST API answer has no properties: ${show(body)}`];
    const found: string[] = [];
    for (const [field, set] of object.fields) {
        if (notComparable(object, field, set.value)) continue;
        const [group, key] = field.split(".");
        const running = isMap(properties[group]) ? (properties[group] as Record<string, unknown>)[key] : undefined;
        if (!holds(set.value, running, field)) {
            const seen = running === undefined ? "not set" : show(running);
            found.push(`${field} is ${seen} in the running configuration; ${set.source} sets ${show(set.value)}`);
        }
    }
    return found;
}
