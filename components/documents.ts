// vTM configuration documents and data files under config/: loaded with js-yaml and checked when
// loaded, so a broken document stops `pulumi preview` instead of showing up in the pod's log.
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { ProblemsError } from "./problems";

/** The directory of the base documents, the example service document and data files. */
export const CONFIG_DIR = path.resolve(__dirname, "..", "config");

/** Where the traffic manager's importer finds documents and data (ZEUS_WATCHED_CONFIG). */
export const IMPORT_DIR = "/import";

/** A configuration document: `version` plus sections named after the REST collections. */
export interface ConfigDocument {
    readonly version: number;
    readonly [section: string]: unknown;
}

/** A document as loaded: its text (what goes into a ConfigMap) and its parsed content. */
export interface LoadedDocument {
    readonly source: string;
    readonly text: string;
    readonly document: ConfigDocument;
}

/** Broken documents: every problem, each naming the file, the object and the field. */
export class DocumentError extends ProblemsError {
    constructor(problems: readonly string[]) {
        super("Invalid vTM configuration document", problems);
        this.name = "DocumentError";
    }
}

// Sections that are lists of named objects, and those among them that hold raw text (`content`).
const NAMED_SECTIONS = ["virtual_servers", "pools", "rules", "monitors", "traffic_ip_groups"] as const;
const TEXT_SECTIONS: readonly string[] = ["rules"];

function isMap(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The problems of one document's shape; empty when it is well-formed. */
export function checkDocument(document: unknown, source: string): string[] {
    if (!isMap(document)) {
        return [`${source}: is not a mapping of sections (found ${Array.isArray(document) ? "a list" : typeof document})`];
    }
    const problems: string[] = [];
    if (typeof document.version !== "number") {
        problems.push(`${source}: version: ${JSON.stringify(document.version)} is not an API version number such as 6.2`);
    }
    for (const section of NAMED_SECTIONS) {
        const list = document[section];
        if (list === undefined) continue;
        if (!Array.isArray(list)) {
            problems.push(`${source}: ${section}: is not a list of objects`);
            continue;
        }
        const seen = new Set<string>();
        list.forEach((item, i) => {
            const where = `${source}: ${section}[${i}]`;
            if (!isMap(item) || typeof item.name !== "string" || item.name === "") {
                problems.push(`${where}: has no name`);
                return;
            }
            if (seen.has(item.name)) problems.push(`${where}: '${item.name}' is defined twice`);
            seen.add(item.name);
            if (TEXT_SECTIONS.includes(section)) {
                if (typeof item.content !== "string" && fileRefName(item.content) === undefined) {
                    problems.push(`${where} '${item.name}': content is neither text nor valueFrom.fileRef.name`);
                }
            } else if (!isMap(item.properties)) {
                problems.push(`${where} '${item.name}': properties is not a mapping of property groups`);
            }
        });
    }
    if (document.global_settings !== undefined && !isMap(isMap(document.global_settings) ? document.global_settings.properties : undefined)) {
        problems.push(`${source}: global_settings: has no properties mapping`);
    }
    return problems;
}

/** Parses and checks one document's text; throws DocumentError naming the source. */
export function parseDocument(text: string, source: string): ConfigDocument {
    let document: unknown;
    try {
        document = yaml.load(text, { filename: source });
    } catch (err) {
        throw new DocumentError([`${source}: is not valid YAML or JSON: ${(err as Error).message}`]);
    }
    const problems = checkDocument(document, source);
    if (problems.length > 0) throw new DocumentError(problems);
    return document as ConfigDocument;
}

/** Loads a document from a configuration directory (config/ by default), path relative to it. */
export function loadDocument(configDir: string, relativePath: string): LoadedDocument {
    const source = `${path.basename(configDir)}/${relativePath}`;
    const text = fs.readFileSync(path.join(configDir, relativePath), "utf8");
    return { source, text, document: parseDocument(text, source) };
}

/** Runs every loader and reports the problems of all of them in one DocumentError. */
export function loadTogether<A, B>(a: () => A, b: () => B): [A, B] {
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
    const results = [attempt(a), attempt(b)] as const;
    if (problems.length > 0) throw new DocumentError(problems);
    return results as [A, B];
}

/** Writes a document as YAML, for documents the program completes. */
export function dumpDocument(document: ConfigDocument): string {
    return yaml.dump(document, { lineWidth: -1, noRefs: true });
}

/** The `valueFrom.fileRef.name` of a value, if it is a file reference. */
export function fileRefName(value: unknown): string | undefined {
    const ref = isMap(value) && isMap(value.valueFrom) && isMap(value.valueFrom.fileRef) ? value.valueFrom.fileRef.name : undefined;
    return typeof ref === "string" ? ref : undefined;
}

/** Every file reference in a document, as the importer resolves them: relative to IMPORT_DIR. */
export function fileRefs(value: unknown): string[] {
    const ref = fileRefName(value);
    if (ref !== undefined) return [ref];
    if (Array.isArray(value)) return value.flatMap(fileRefs);
    if (isMap(value)) return Object.values(value).flatMap(fileRefs);
    return [];
}

/** The named objects of a section, e.g. namedObjects(doc, "virtual_servers"). */
export function namedObjects(document: ConfigDocument, section: (typeof NAMED_SECTIONS)[number]): Record<string, unknown>[] {
    const list = document[section];
    return Array.isArray(list) ? (list as Record<string, unknown>[]) : [];
}

/** A property of a named object: `properties.<group>.<field>`. */
export function property(object: Record<string, unknown>, group: string, field: string): unknown {
    const properties = object.properties;
    const g = isMap(properties) ? properties[group] : undefined;
    return isMap(g) ? g[field] : undefined;
}
