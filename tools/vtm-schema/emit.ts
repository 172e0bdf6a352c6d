// Writes the reconciled sections as a JSON Schema (draft 2020-12) of configuration-importer documents.
// Per document: every section, group and field with its type, enum, range, table row shape and
// default; groups, rows and objects refuse unknown keys; any value may be a valueFrom.fileRef.
// Value types that many fields share (a string, a whole number from 1 to 65535, an enum) are named
// once under $defs, which keeps the file readable and the validator's compile short.
// Fields the sources mark required are required of an object once every document naming it is
// layered, not of each document: they sit in `$defs["merged.<section>"]`, for the validator to apply
// to merged objects.
import { Field, Section } from "./reconcile";
import { FieldAddress, Override, addressText } from "./overrides";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface EmitInput {
    readonly apiVersion: string;
    readonly sections: readonly Section[];
    readonly overrides: readonly Override[];
    /** Sentences for the top-level $comment: where the schema comes from and how to regenerate it. */
    readonly provenance: readonly string[];
}

const FILE_REF: JsonObject = {
    $comment: "The importer puts the text of this file, a path relative to its base directory, in place of the value.",
    type: "object",
    properties: {
        valueFrom: {
            type: "object",
            properties: { fileRef: { type: "object", properties: { name: { type: "string", minLength: 1 } }, required: ["name"], additionalProperties: false } },
            required: ["fileRef"],
            additionalProperties: false,
        },
    },
    required: ["valueFrom"],
    additionalProperties: false,
};

export function emitSchema(input: EmitInput): JsonObject {
    const emitter = new Emitter(input.overrides);
    const sections = [...input.sections].sort((a, b) => compare(a.key, b.key));
    const sectionDefs: JsonObject = {};
    for (const section of sections) {
        sectionDefs[section.key] = emitter.section(section);
        const merged = emitter.merged(section);
        if (merged !== undefined) sectionDefs[`merged.${section.key}`] = merged;
    }
    emitter.finish();

    const top: JsonObject = { version: { type: "number", exclusiveMinimum: 0 } };
    for (const section of sections) {
        const [parent, child] = section.key.split(".");
        const value: Json = section.shape === "singleton" ? ref(section.key) : { type: "array", items: ref(section.key) };
        if (child === undefined) {
            top[parent] = value;
        } else {
            const nested = (top[parent] ??= { type: "object", properties: {}, additionalProperties: false }) as JsonObject;
            (nested.properties as JsonObject)[child] = value;
        }
    }
    return {
        $schema: "https://json-schema.org/draft/2020-12/schema",
        title: `vTM configuration document (REST API ${input.apiVersion})`,
        $comment: [...input.provenance, ...input.overrides.map((o) => `Override, ${addressText(o)}: ${describeOverride(o)} (${o.why}).`)].join(" "),
        type: "object",
        properties: top,
        required: ["version"],
        additionalProperties: false,
        $defs: { fileRef: FILE_REF, name: { type: "string", minLength: 1 }, ...emitter.leafDefs(), ...sectionDefs },
    };
}

function ref(key: string): JsonObject {
    return { $ref: `#/$defs/${key}` };
}

/** A value, or a file reference in its place. */
function orFileRef(value: JsonObject): JsonObject {
    return { anyOf: [value, ref("fileRef")] };
}

function describeOverride(o: Override): string {
    return o.kind === "optional" ? "not required" : `set ${JSON.stringify(o.keywords)}`;
}

class Emitter {
    private readonly pending: Set<Override>;
    /** Shared value types: their schema's JSON → name under $defs, and the schemas by name. */
    private readonly leafNames = new Map<string, string>();
    private readonly leaves = new Map<string, JsonObject>();

    constructor(private readonly overrides: readonly Override[]) {
        this.pending = new Set(overrides);
    }

    section(section: Section): JsonObject {
        if (section.shape === "text") {
            return { type: "object", properties: { name: ref("name"), content: ref(this.leaf({ type: "string" }, { section: section.key, group: "", field: "content" })) }, required: ["name"], additionalProperties: false };
        }
        const groups: JsonObject = {};
        for (const group of section.groups) {
            const fields: JsonObject = {};
            for (const field of group.fields) fields[field.name] = this.field(field, { section: section.key, group: group.name, field: field.name });
            groups[group.name] = { type: "object", properties: fields, additionalProperties: false };
        }
        const properties: JsonObject = { type: "object", properties: groups, additionalProperties: false };
        if (section.shape === "singleton") return { type: "object", properties: { properties }, required: ["properties"], additionalProperties: false };
        return { type: "object", properties: { name: ref("name"), properties }, required: ["name", "properties"], additionalProperties: false };
    }

    /** Fields required once documents are layered: the provider's Required, less the overrides. */
    merged(section: Section): JsonObject | undefined {
        if (section.shape === "text") return section.contentRequired ? { type: "object", required: ["content"] } : undefined;
        const groups: JsonObject = {};
        for (const group of section.groups) {
            const required = group.fields.filter((f) => f.tf?.required && !this.optional({ section: section.key, group: group.name, field: f.name })).map((f) => f.name);
            if (required.length > 0) groups[group.name] = { type: "object", required };
        }
        const names = Object.keys(groups);
        if (names.length === 0) return undefined;
        return { type: "object", properties: { properties: { type: "object", properties: groups, required: names } }, required: ["properties"] };
    }

    /** Every override must have found its field. */
    finish(): void {
        if (this.pending.size > 0) throw new Error(`overrides that match no field: ${[...this.pending].map(addressText).join("; ")}`);
    }

    leafDefs(): JsonObject {
        return Object.fromEntries([...this.leaves.entries()].sort(([a], [b]) => compare(a, b)));
    }

    private optional(at: FieldAddress): boolean {
        const o = this.overrides.find((x) => x.kind === "optional" && sameAddress(x, at));
        if (o !== undefined) this.pending.delete(o);
        return o !== undefined;
    }

    /** A field's schema: annotations (default, readOnly, description) beside a reference to its value type. */
    private field(field: Field, at: FieldAddress): JsonObject {
        const value = this.value(field, at);
        for (const o of this.overrides) {
            if (o.kind === "keywords" && sameAddress(o, at)) {
                Object.assign(value, o.keywords);
                this.pending.delete(o);
            }
        }
        const outer: JsonObject = {};
        if (field.tf === undefined) outer.$comment = "Typed by go-vtm alone: the provider has no range, enum or default for it.";
        if (field.tf?.default !== undefined) {
            checkDefault(field.tf.default, value, at);
            outer.default = field.tf.default;
        }
        for (const keyword of ["readOnly", "description"]) {
            if (value[keyword] !== undefined) {
                outer[keyword] = value[keyword];
                delete value[keyword];
            }
        }
        if (field.go.kind === "table") return { ...outer, ...orFileRef(value) };
        return { ...outer, $ref: `#/$defs/${this.leaf(value, at)}` };
    }

    private value(field: Field, at: FieldAddress): JsonObject {
        const check = field.tf?.check;
        const where = addressText(at);
        switch (field.go.kind) {
            case "string":
                if (check?.kind === "oneOf") return { type: "string", enum: [...check.values] };
                if (check !== undefined) throw new Error(`${where}: a string with a ${check.kind} check`);
                return { type: "string" };
            case "int": {
                const schema: JsonObject = { type: "integer" };
                if (check?.kind === "between" || check?.kind === "atLeast") schema.minimum = check.min;
                if (check?.kind === "between") schema.maximum = check.max;
                if (check !== undefined && check.kind !== "between" && check.kind !== "atLeast") throw new Error(`${where}: an integer with a ${check.kind} check`);
                return schema;
            }
            case "bool":
                return { type: "boolean" };
            case "float":
                return { type: "number" };
            case "strings": {
                const element = field.tf?.element;
                const itemCheck = element?.kind === "scalar" ? element.attribute.check : undefined;
                const item: JsonObject = itemCheck?.kind === "oneOf" ? { type: "string", enum: [...itemCheck.values] } : { type: "string" };
                const schema: JsonObject = { type: "array", items: ref(this.leaf(item, at)) };
                if (field.tf?.type === "TypeSet") schema.uniqueItems = true;
                return schema;
            }
            case "table": {
                const columns: JsonObject = {};
                const required: string[] = [];
                for (const column of field.columns ?? []) {
                    columns[column.name] = this.field(column, { ...at, column: column.name });
                    if (column.tf?.required) required.push(column.name);
                }
                const row: JsonObject = { type: "object", properties: columns, additionalProperties: false };
                if (required.length > 0) row.required = required;
                return { type: "array", items: row };
            }
            default: {
                const never: never = field.go;
                throw new Error(`unknown go value ${JSON.stringify(never)}`);
            }
        }
    }

    /** The $defs name of a value type (with its file-reference alternative), added on first use. */
    private leaf(value: JsonObject, at: FieldAddress): string {
        const key = JSON.stringify(value);
        const known = this.leafNames.get(key);
        if (known !== undefined) return known;
        const name = leafName(value, at);
        if (this.leaves.has(name)) throw new Error(`${addressText(at)}: two value types named ${name}`);
        this.leafNames.set(key, name);
        this.leaves.set(name, orFileRef(value));
        return name;
    }
}

/**
 * "string", "boolean", "integer.1-65535", "integer.0-", "strings", "string-set"; an enum or a value
 * an override shaped is named after its first field: "enum.virtual_servers.basic.protocol".
 */
function leafName(value: JsonObject, at: FieldAddress): string {
    const keys = Object.keys(value).sort().join(",");
    const field = [at.section, at.group, at.field, at.column].filter((p) => p !== undefined && p !== "").join(".");
    if (value.enum !== undefined) return `enum.${field}`;
    if (keys === "type" && typeof value.type === "string") return value.type;
    if (value.type === "integer" && (keys === "minimum,type" || keys === "maximum,minimum,type")) return `integer.${value.minimum}-${value.maximum ?? ""}`;
    if (value.type === "array" && JSON.stringify(value.items) === JSON.stringify(ref("string"))) return value.uniqueItems === true ? "string-set" : "strings";
    return `value.${field}`;
}

/** A default must itself be a valid value: the sources disagreeing with themselves would stop the generator. */
function checkDefault(value: string | number | boolean, schema: JsonObject, at: FieldAddress): void {
    const types = ([] as Json[]).concat(schema.type ?? []);
    const fits =
        (typeof value === "string" && types.includes("string")) ||
        (typeof value === "boolean" && types.includes("boolean")) ||
        (typeof value === "number" && (types.includes("number") || (types.includes("integer") && Number.isInteger(value))));
    const inEnum = !Array.isArray(schema.enum) || schema.enum.includes(value);
    const inRange = typeof value !== "number" || ((typeof schema.minimum !== "number" || value >= schema.minimum) && (typeof schema.maximum !== "number" || value <= schema.maximum));
    if (!fits || !inEnum || !inRange) throw new Error(`${addressText(at)}: the default ${JSON.stringify(value)} does not fit ${JSON.stringify(schema)}`);
}

function sameAddress(a: FieldAddress, b: FieldAddress): boolean {
    return a.section === b.section && a.group === b.group && a.field === b.field && a.column === b.column;
}

/** Code-unit order, so the output never depends on the locale. */
function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** JSON with two-space indents; an object or array that fits in 120 characters stays on one line. */
export function formatJson(value: Json, indent = ""): string {
    const flat = JSON.stringify(value);
    if (flat.length + indent.length <= 120 || typeof value !== "object" || value === null) return flat;
    const inner = `${indent}  `;
    if (Array.isArray(value)) return `[\n${value.map((v) => inner + formatJson(v, inner)).join(",\n")}\n${indent}]`;
    const entries = Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, inner)}`);
    return `{\n${entries.join(",\n")}\n${indent}}`;
}
