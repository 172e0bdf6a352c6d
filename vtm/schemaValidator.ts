// The vTM configuration schema (vtm/schema/vtm-<api>.schema.json, generated from the REST API's public
// sources) applied with ajv, and ajv's errors turned into messages that name the section, object,
// field, value and what is allowed. The schema is compiled once per process; the compiled code is
// kept under node_modules/.cache so that later runs only load it.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020";
import { describe, isMap, knownOrClosest, show, sortedNames } from "./text";

export const SCHEMA_DIR = path.resolve(__dirname, "schema");
const CACHE_DIR = path.resolve(__dirname, "..", "node_modules", ".cache", "vtm-kubernetes");
// strictRequired off: the merged.<section> schemas name required fields without restating their types.
// inlineRefs and optimize off: the compile is three times shorter, and validating no slower to notice.
const AJV_OPTIONS = { allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, inlineRefs: false, code: { optimize: false } } as const;

type Schema = Record<string, any>;
type Pointer = readonly (string | number)[];

/** What is wrong at one place of a document. */
export interface SchemaProblem {
    /** Where, as keys and indexes from the document's top. */
    readonly pointer: Pointer;
    /**
     * invalid: a value the schema refuses; unknown: a key it does not have inside a section;
     * unknownSection: a top-level key that is no section; readOnly: a field the traffic manager sets.
     */
    readonly kind: "invalid" | "unknown" | "unknownSection" | "readOnly";
    readonly message: string;
}

/** Where a problem is, as findings name it. */
export interface Location {
    /** "pools", "ssl.server_keys", "global_settings"; absent for the document itself. */
    readonly section?: string;
    /** The object's name, when it has one. */
    readonly object?: string;
    /** "properties.basic.port", "[2].name" (an object without a name, by index), "content". */
    readonly field?: string;
}

/** The schema files there are, by API version. */
export function schemaVersions(dir = SCHEMA_DIR): number[] {
    if (dir === SCHEMA_DIR && versionList !== undefined) return versionList;
    const versions = fs
        .readdirSync(dir)
        .map((f) => /^vtm-(\d+\.\d+)\.schema\.json$/.exec(f)?.[1])
        .filter((v): v is string => v !== undefined)
        .map(Number)
        .sort((a, b) => a - b);
    if (dir === SCHEMA_DIR) versionList = versions;
    return versions;
}

const loaded = new Map<number, VtmSchema>();
const chosen = new Map<number, VtmSchema>();
let versionList: number[] | undefined;

/** The API versions whose schema this process has loaded, oldest first: only those its documents use. */
export function loadedSchemaVersions(): number[] {
    return [...loaded.keys()].sort((a, b) => a - b);
}

/** The index of what differs between versions (vtm-versions.json, generated with the schemas), read on first use. */
let differences: Readonly<Record<string, readonly string[]>> | undefined;

/**
 * The API versions whose schema has a section ("ssl.admin_cas") or a field of it ("properties.ssl.ca_sites",
 * a table column as "properties.basic.nodes_table[].node"); empty when every version has it or none does.
 */
export function versionsHaving(section: string, field?: string): number[] {
    differences ??= (JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, VERSIONS_FILE), "utf8")) as { differences: Record<string, string[]> }).differences;
    return (differences[field === undefined ? section : `${section} ${field}`] ?? []).map(Number);
}

/** The generated index of the sections and fields that not every version has. */
export const VERSIONS_FILE = "vtm-versions.json";

/** The schema for an image's API version: its own, else the newest older one (or the oldest), compiled once per process. */
export function schemaFor(apiVersion: number): VtmSchema {
    const known = chosen.get(apiVersion);
    if (known !== undefined) return known;
    const versions = schemaVersions();
    const version = [...versions].reverse().find((v) => v <= apiVersion) ?? versions[0];
    let schema = loaded.get(version);
    if (schema === undefined) {
        schema = new VtmSchema(version, path.join(SCHEMA_DIR, `vtm-${version.toFixed(1)}.schema.json`));
        loaded.set(version, schema);
    }
    chosen.set(apiVersion, schema);
    return schema;
}

interface Compiled {
    readonly document: ValidateFunction;
    readonly merged: Readonly<Record<string, ValidateFunction>>;
}

export class VtmSchema {
    readonly json: Schema;
    /** Every section key: "pools", "ssl.server_keys", "global_settings"… */
    readonly sections: readonly string[];
    /** The sections that are lists of named objects (with properties, or raw text in content). */
    readonly listSections: ReadonlySet<string>;
    /** Per section, the fields ("group.field") the traffic manager sets itself (readOnly in the schema). */
    private readonly readOnly: ReadonlyMap<string, ReadonlySet<string>>;
    private compiled?: Compiled;

    constructor(
        readonly version: number,
        private readonly file: string,
    ) {
        this.json = JSON.parse(fs.readFileSync(file, "utf8"));
        const top = this.json.properties as Schema;
        this.sections = Object.entries(top).flatMap(([key, s]) => (key === "version" ? [] : isNested(s) ? Object.keys(s.properties).map((c) => `${key}.${c}`) : [key]));
        this.listSections = new Set(this.sections.filter((key) => this.place(key.split("."))?.role === "section"));
        this.readOnly = new Map(
            this.sections.flatMap((key) => {
                const object = this.place([...key.split("."), ...(this.listSections.has(key) ? [0] : [])]);
                const groups = (object?.schema.properties?.properties?.properties ?? {}) as Schema;
                const fields = Object.entries(groups).flatMap(([g, gs]) => Object.entries(gs.properties as Schema).filter(([, f]) => f.readOnly === true).map(([f]) => `${g}.${f}`));
                return fields.length > 0 ? [[key, new Set(fields)] as const] : [];
            }),
        );
    }

    /** Every problem the schema finds in one document (DocumentOrder sorts them); `version` is left to the caller. */
    validate(document: unknown): SchemaProblem[] {
        const validate = this.validators().document;
        const problems = validate(document) ? [] : translate(this, document, validate.errors ?? []);
        problems.push(...this.readOnlyFields(document));
        return problems;
    }

    /** Whether the sources require fields of the section's objects, to be checked once documents are layered. */
    requiresAfterLayering(section: string): boolean {
        return this.json.$defs[`merged.${section}`] !== undefined;
    }

    /** The fields the sources require that an object merged from every document lacks, e.g. ["properties", "basic", "port"]. */
    missingAfterLayering(section: string, merged: unknown): Pointer[] {
        const validate = this.validators().merged[section];
        if (validate === undefined || validate(merged)) return [];
        return (validate.errors ?? []).filter((e) => e.keyword === "required").map((e) => [...pointerOf(e.instancePath), (e.params as { missingProperty: string }).missingProperty]);
    }

    /** Turns a pointer into the section, object and field a finding names. */
    locate(document: unknown, pointer: Pointer): Location {
        const [first, ...rest] = pointer;
        if (first === undefined) return {};
        let section = String(first);
        let at = rest;
        const top = (this.json.properties as Schema)[section];
        if (top !== undefined && isNested(top) && at.length > 0) {
            section = `${section}.${at[0]}`;
            at = at.slice(1);
        }
        const value = valueAt(document, pointer.slice(0, pointer.length - at.length));
        if (!Array.isArray(value) || at.length === 0) return { section, ...(at.length > 0 ? { field: fieldPath(at) } : {}) };
        const [index, ...inObject] = at;
        const item = value[index as number];
        const name = isMap(item) && typeof item.name === "string" && item.name !== "" ? item.name : undefined;
        if (name === undefined) return { section, field: fieldPath(at) };
        return { section, object: name, ...(inObject.length > 0 ? { field: fieldPath(inObject) } : {}) };
    }

    /** The compiled validators: from this process, from the cache of compiled code, or compiled now. */
    private validators(): Compiled {
        if (this.compiled !== undefined) return this.compiled;
        const merged = Object.keys(this.json.$defs).filter((k) => k.startsWith("merged."));
        const refs: Record<string, string> = Object.fromEntries([["document", "vtm"], ...merged.map((k) => [k.slice("merged.".length), `vtm#/$defs/${k}`])]);
        const key = crypto.createHash("sha256").update(JSON.stringify([fs.readFileSync(this.file, "utf8"), ajvVersion(), AJV_OPTIONS])).digest("hex").slice(0, 16);
        const cached = path.join(CACHE_DIR, `vtm-${this.version.toFixed(1)}-${key}.js`);
        const fromCache = loadCached(cached);
        if (fromCache !== undefined) {
            const { document, ...rest } = fromCache;
            this.compiled = { document, merged: rest };
            return this.compiled;
        }
        // ajv itself is loaded only to compile: the cached code needs only its small runtime.
        const { default: Ajv2020 } = require("ajv/dist/2020") as typeof import("ajv/dist/2020");
        const { default: standaloneCode } = require("ajv/dist/standalone") as typeof import("ajv/dist/standalone");
        const ajv = new Ajv2020({ ...AJV_OPTIONS, code: { ...AJV_OPTIONS.code, source: true } });
        ajv.addSchema(this.json, "vtm");
        const get = (ref: string) => ajv.getSchema(ref)!;
        this.compiled = { document: get("vtm"), merged: Object.fromEntries(Object.entries(refs).filter(([k]) => k !== "document").map(([k, ref]) => [k, get(ref)])) };
        saveCached(cached, () => standaloneCode(ajv, refs));
        return this.compiled;
    }

    /** Fields the schema marks readOnly that a document sets. */
    private readOnlyFields(document: unknown): SchemaProblem[] {
        const problems: SchemaProblem[] = [];
        for (const [section, fields] of this.readOnly) {
            const at = section.split(".");
            const value = valueAt(document, at);
            const objects = this.listSections.has(section) ? (Array.isArray(value) ? value.map((o, i) => [[...at, i], o] as const) : []) : [[at, value] as const];
            for (const [pointer, object] of objects) {
                const groups = isMap(object) && isMap(object.properties) ? object.properties : {};
                for (const [group, values] of Object.entries(groups)) {
                    if (!isMap(values)) continue;
                    for (const field of Object.keys(values)) {
                        if (fields.has(`${group}.${field}`)) problems.push({ pointer: [...pointer, "properties", group, field], kind: "readOnly", message: "is read-only: the traffic manager sets it" });
                    }
                }
            }
        }
        return problems;
    }

    /** The schema at a pointer, and what role that place plays; undefined where the schema has nothing. */
    place(pointer: Pointer): Place | undefined {
        let place: Place = { role: "document", schema: this.json };
        for (const key of pointer) {
            const next = this.step(place, key);
            if (next === undefined) return undefined;
            place = next;
        }
        return place;
    }

    private step(place: Place, key: string | number): Place | undefined {
        const s = place.schema;
        const child = typeof key === "string" ? (s.properties as Schema | undefined)?.[key] : undefined;
        switch (place.role) {
            case "document":
            case "nested": {
                if (child === undefined) return undefined;
                const section = place.role === "nested" ? `${place.section}.${key}` : String(key);
                if (isNested(child)) return { role: "nested", schema: child, section };
                if (child.type === "array") return { role: "section", schema: child, section };
                return { role: "object", schema: this.deref(child), section, singleton: true };
            }
            case "section":
                return typeof key === "number" ? { role: "object", schema: this.deref(s.items), section: place.section } : undefined;
            case "object":
                if (key === "properties") return { role: "properties", schema: child!, section: place.section };
                return child === undefined ? undefined : { role: "field", schema: this.value(child), outer: child, section: place.section, field: String(key) };
            case "properties":
                return child === undefined ? undefined : { role: "group", schema: child, section: place.section, group: String(key) };
            case "group":
            case "row":
                return child === undefined ? undefined : { role: "field", schema: this.value(child), outer: child, section: place.section, group: place.group, field: String(key) };
            case "field": {
                if (typeof key !== "number" || s.type !== "array") return undefined;
                const items = this.deref(s.items);
                if (items.type === "object") return { role: "row", schema: items, section: place.section, group: place.group, table: place.field };
                return { role: "field", schema: this.value(s.items), outer: s.items, section: place.section, group: place.group, field: place.field };
            }
            default:
                return undefined;
        }
    }

    private deref(s: Schema): Schema {
        let node = s;
        while (typeof node.$ref === "string") node = this.json.$defs[node.$ref.replace("#/$defs/", "")];
        return node;
    }

    /** A field's value schema: its reference followed, the file-reference alternative dropped. */
    private value(outer: Schema): Schema {
        const node = this.deref(outer);
        return Array.isArray(node.anyOf) ? this.deref(node.anyOf[0]) : node;
    }
}

/** A place in a document, seen from the schema. */
export interface Place {
    readonly role: "document" | "nested" | "section" | "object" | "properties" | "group" | "row" | "field";
    /** The schema of the value there (references followed; for a field, without the file-reference branch). */
    readonly schema: Schema;
    /** For a field: its own schema, with annotations such as default and readOnly. */
    readonly outer?: Schema;
    readonly section?: string;
    readonly singleton?: boolean;
    readonly group?: string;
    readonly field?: string;
    readonly table?: string;
}

function isNested(s: Schema): boolean {
    return s.type === "object" && isMap(s.properties) && s.$ref === undefined;
}

// ---------------------------------------------------------------------------------------------------
// ajv's errors → messages

/** The one place ajv's errors become messages. A file reference may stand in for any value: its branch speaks only when the value is one. */
export function translate(schema: VtmSchema, document: unknown, errors: readonly ErrorObject[]): SchemaProblem[] {
    // Every anyOf in the schema is [value, file reference]. Where the value is a valueFrom mapping only
    // the file-reference branch matters, and it says one thing; elsewhere only the value branch does:
    // its errors there name anyOf/0 in their schema path, the file-reference branch's never do.
    const anyOfPlaces = new Set(errors.filter((e) => e.keyword === "anyOf").map((e) => e.instancePath));
    const refPlaces = new Set([...anyOfPlaces].filter((p) => isValueFrom(valueAt(document, pointerOf(p)))));
    const problems: SchemaProblem[] = [];
    for (const place of refPlaces) {
        const value = valueAt(document, pointerOf(place));
        problems.push({ pointer: pointerOf(place), kind: "invalid", message: `${show(value)} is not a file reference: expected {valueFrom: {fileRef: {name: <path under /import>}}}` });
    }
    const underRef = (p: string) => [...refPlaces].some((r) => p === r || p.startsWith(`${r}/`));
    const seen = new Set<string>();
    for (const e of errors) {
        if (e.keyword === "anyOf" || underRef(e.instancePath)) continue;
        if (anyOfPlaces.has(e.instancePath) && !e.schemaPath.includes("/anyOf/0/")) continue;
        const problem = message(schema, document, e);
        if (problem === undefined) continue;
        // A value that fails two keywords (type and range) is one problem.
        const key = `${problem.pointer.join("/")}\u0000${problem.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        problems.push(problem);
    }
    return problems;
}

function message(schema: VtmSchema, document: unknown, e: ErrorObject): SchemaProblem | undefined {
    const pointer = pointerOf(e.instancePath);
    if (pointer[0] === "version") return undefined; // the caller checks the version against the image's
    const place = schema.place(pointer);
    if (place === undefined) return undefined;
    const value = valueAt(document, pointer);
    if (e.keyword === "required") {
        const missing = (e.params as { missingProperty: string }).missingProperty;
        if (place.role === "document") return undefined; // version
        return { pointer: [...pointer, missing], kind: "invalid", message: missingMessage(place, missing) };
    }
    if (e.keyword === "additionalProperties") {
        const extra = (e.params as { additionalProperty: string }).additionalProperty;
        return { pointer: [...pointer, extra], kind: place.role === "document" ? "unknownSection" : "unknown", message: unknownMessage(place, extra) };
    }
    if (e.keyword === "uniqueItems") {
        const { i, j } = e.params as { i: number; j: number };
        return { pointer, kind: "invalid", message: `lists ${show((value as unknown[])[i])} twice ([${j}] and [${i}]): each value may appear once` };
    }
    return { pointer, kind: "invalid", message: wrongValue(place, value) };
}

function missingMessage(place: Place, missing: string): string {
    if (place.role === "object" && missing === "name") return "is missing: every object needs a non-empty string name";
    if (place.role === "object" && missing === "properties") return "is missing: expected a mapping of property groups";
    return "is required";
}

function unknownMessage(place: Place, key: string): string {
    const known = Object.keys(place.schema.properties ?? {});
    switch (place.role) {
        case "document":
            return `is not a configuration section ${knownOrClosest(key, known.filter((k) => k !== "version"), { cap: true })}`;
        case "nested":
            return `is not a configuration section ${knownOrClosest(key, known, { label: (k) => `${place.section}.${k}` })}`;
        case "object":
            return `is not a key of ${place.singleton ? place.section : `an object in ${place.section}`} (known: ${sortedNames(known).join(", ")})`;
        case "properties":
            return `is not a property group of ${place.section} ${knownOrClosest(key, known)}`;
        case "group":
            return `is not a field of ${place.group} ${knownOrClosest(key, known)}`;
        case "row":
            return `is not a field of ${place.table} rows ${knownOrClosest(key, known)}`;
        default:
            return `is not expected here ${knownOrClosest(key, known)}`;
    }
}

/** "X is not …": what the place holds, in words. */
function wrongValue(place: Place, value: unknown): string {
    switch (place.role) {
        case "section":
            return `is not a list of objects (found ${describe(value)})`;
        case "nested":
            return `is not a mapping of ${place.section} sections (${Object.keys(place.schema.properties).join(", ")}) (found ${describe(value)})`;
        case "object":
            return place.singleton ? `is not a mapping with properties (found ${describe(value)})` : `is not a mapping with a name (found ${describe(value)})`;
        case "properties":
            return `is not a mapping of property groups (found ${describe(value)})`;
        case "group":
            return `is not a mapping of fields (found ${describe(value)})`;
        case "row":
            return `${show(value)} is not a row (a mapping of fields)`;
        default:
            return `${show(value)} is not ${expected(place.schema, place.outer)}`;
    }
}

/** What a value schema allows, in words: "one of a, b", "a whole number from 1 to 65535", "a list of strings"… */
export function expected(s: Schema, outer?: Schema): string {
    if (typeof outer?.description === "string") return outer.description;
    if (Array.isArray(s.enum)) return `one of ${s.enum.join(", ")}`;
    const types: string[] = [].concat(s.type ?? []);
    return types
        .map((type) => {
            switch (type) {
                case "integer":
                    return wholeNumber(s.minimum, s.maximum);
                case "number":
                    return "a number";
                case "boolean":
                    return "true or false";
                case "string":
                    return s.minLength > 0 ? "a non-empty string" : "a string";
                case "array":
                    return s.items?.type === "object" ? "a table (a list of rows)" : "a list of strings";
                default:
                    return `a ${type}`;
            }
        })
        .join(" or ");
}

function wholeNumber(min: number | undefined, max: number | undefined): string {
    if (min !== undefined && max !== undefined) return `a whole number from ${min} to ${max}`;
    if (min !== undefined) return `a whole number of ${min} or more`;
    return "a whole number";
}

// ---------------------------------------------------------------------------------------------------
// Pointers and order

function pointerOf(instancePath: string): (string | number)[] {
    if (instancePath === "") return [];
    return instancePath
        .slice(1)
        .split("/")
        .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
        .map((p) => (/^(0|[1-9][0-9]*)$/.test(p) ? Number(p) : p));
}

export function valueAt(document: unknown, pointer: Pointer): unknown {
    let value = document;
    for (const key of pointer) {
        if (Array.isArray(value) && typeof key === "number") value = value[key];
        else if (isMap(value) && typeof key === "string" && Object.hasOwn(value, key)) value = value[key];
        else return undefined;
    }
    return value;
}

function isValueFrom(v: unknown): boolean {
    return isMap(v) && Object.hasOwn(v, "valueFrom");
}

/** "properties.basic.nodes_table[0].node" from ["properties", "basic", "nodes_table", 0, "node"]. */
export function fieldPath(pointer: Pointer): string {
    return pointer.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`)).join("");
}

/**
 * Positions in a document as a reader meets them: every key and index in the document's own order,
 * with a position on entering it and one after everything it holds.
 */
export class DocumentOrder {
    private readonly enter = new Map<string, number>();
    private readonly exit = new Map<string, number>();
    /** Positions used: 0 to size - 1. */
    readonly size: number;

    constructor(document: unknown) {
        let n = 0;
        const walk = (value: unknown, key: string, ancestors: Set<object>) => {
            this.enter.set(key, n++);
            if (typeof value === "object" && value !== null && !ancestors.has(value)) {
                ancestors.add(value); // YAML aliases can make cycles
                const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
                for (const [k, v] of entries) walk(v, `${key}/${k}`, ancestors);
                ancestors.delete(value);
            }
            this.exit.set(key, n++);
        };
        walk(document, "", new Set());
        this.size = n;
    }

    /** Where a place is met; a key the document lacks comes after everything its parent holds. */
    of(pointer: Pointer): number {
        const at = this.enter.get(key(pointer));
        return at ?? this.end(pointer.slice(0, -1));
    }

    /** After everything a place holds. */
    end(pointer: Pointer): number {
        return this.exit.get(key(pointer)) ?? this.size;
    }
}

function key(pointer: Pointer): string {
    return pointer.map((k) => `/${k}`).join("");
}

// ---------------------------------------------------------------------------------------------------
// Compiled-code cache

function ajvVersion(): string {
    return (JSON.parse(fs.readFileSync(require.resolve("ajv/package.json"), "utf8")) as { version: string }).version;
}

function loadCached(file: string): Record<string, ValidateFunction> | undefined {
    if (process.env.VTM_SCHEMA_CACHE === "off" || !fs.existsSync(file)) return undefined;
    try {
        return require(file);
    } catch {
        return undefined; // a broken cache file is compiled again and replaced
    }
}

/** Writes the compiled code for later runs; a read-only or missing node_modules only costs the next run a compile. */
function saveCached(file: string, code: () => string): void {
    if (process.env.VTM_SCHEMA_CACHE === "off") return;
    try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const temporary = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, code());
        fs.renameSync(temporary, file);
        // Code compiled from an older schema or ajv is of no more use.
        const stale = path.basename(file).replace(/-[0-9a-f]+\.js$/, "-");
        for (const other of fs.readdirSync(path.dirname(file))) {
            if (other.startsWith(stale) && other.endsWith(".js") && other !== path.basename(file)) fs.rmSync(path.join(path.dirname(file), other), { force: true });
        }
    } catch {
        // not cached
    }
}

