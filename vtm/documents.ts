// vTM configuration documents: parsed with js-yaml, so a broken file stops `pulumi preview` with its
// name instead of showing up in the pod's log (validation.ts checks what they say).
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { ProblemsError } from "../settings/problems";

/** The directory of the base documents, the user's documents, rules and data files. */
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
        const count = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
        super(`Invalid vTM configuration (${count}; nothing was deployed or changed)`, problems);
        this.name = "DocumentError";
    }
}

function isMap(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Parses one document's text (YAML or JSON; anchors allowed, duplicate keys refused); throws
 * DocumentError naming the source. Its content is checked by the validator, with every other document.
 */
export function parseDocument(text: string, source: string): ConfigDocument {
    try {
        return yaml.load(text, { filename: source }) as ConfigDocument;
    } catch (err) {
        throw new DocumentError([`${source}: is not valid YAML or JSON: ${(err as Error).message}`]);
    }
}

/** Loads a document from a configuration directory (config/ by default), path relative to it. */
export function loadDocument(configDir: string, relativePath: string): LoadedDocument {
    const source = `${path.basename(configDir)}/${relativePath}`;
    const text = fs.readFileSync(path.join(configDir, relativePath), "utf8");
    return { source, text, document: parseDocument(text, source) };
}

/** The named objects of a section, e.g. namedObjects(doc, "virtual_servers"). */
export function namedObjects(document: ConfigDocument, section: string): Record<string, unknown>[] {
    const list = isMap(document) ? document[section] : undefined;
    return Array.isArray(list) ? (list.filter(isMap) as Record<string, unknown>[]) : [];
}

/** A property of a named object: `properties.<group>.<field>`. */
export function property(object: Record<string, unknown>, group: string, field: string): unknown {
    const properties = object.properties;
    const g = isMap(properties) ? properties[group] : undefined;
    return isMap(g) ? g[field] : undefined;
}
