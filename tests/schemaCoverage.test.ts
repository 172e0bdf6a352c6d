// Coverage generated from the schema itself: for every typed field of every group of every section
// (the ones the README promises among them) and every table column, a document that is valid but for that one field, broken in
// each way that applies: a wrong type, a value outside the enum, below the minimum, above the maximum,
// a repeated item in a set, a misspelt name; and every group name misspelt. Each must be refused by
// validateDocuments with the field named and the allowed values or range in the message. The same
// documents with a valid value must pass.
import * as assert from "assert";
import * as fs from "fs";
import { DocumentInput, Finding, formatFinding, validateDocuments } from "../vtm/validation";
import { SCHEMA_DIR } from "../vtm/schemaValidator";

const SCHEMA = JSON.parse(fs.readFileSync(`${SCHEMA_DIR}/vtm-6.2.schema.json`, "utf8"));
/** The sections the issue promises every field of; the test covers every section the schema has. */
const PROMISED = ["virtual_servers", "pools", "rules", "monitors", "traffic_ip_groups", "ssl.server_keys", "ssl.client_keys", "ssl.cas", "persistence", "global_settings", "security"];
const SECTIONS = Object.keys(SCHEMA.$defs).filter((k) => !k.startsWith("merged.") && (SCHEMA.$defs[k].properties?.properties !== undefined || SCHEMA.$defs[k].properties?.content !== undefined));
const CONTEXT = { mountedFiles: new Set<string>() };

type Schema = Record<string, any>;

/** Objects named 'x', the value a valid string takes, in every section a field can name: references resolve. */
const TARGETS: DocumentInput = {
    source: "targets",
    document: {
        version: 6.2,
        ...Object.fromEntries(["pools", "persistence", "bandwidth", "protection", "service_level_monitors", "traffic_ip_groups", "monitors"].map((s) => [s, [{ name: "x", properties: {} }]])),
        ...Object.fromEntries(["rules", "servicediscovery", "monitor_scripts"].map((s) => [s, [{ name: "x", content: "x" }]])),
        ssl: {
            server_keys: [{ name: "x", properties: { basic: { public: "P", private: "K" } } }],
            client_keys: [{ name: "x", properties: { basic: { public: "P", private: "K" } } }],
            cas: [{ name: "x", content: "PEM" }],
        },
    },
};

function deref(s: Schema): Schema {
    let node = s;
    while (node.$ref !== undefined) node = SCHEMA.$defs[node.$ref.replace("#/$defs/", "")];
    return node;
}

/** A field's value schema, without the file-reference alternative. */
function valueOf(field: Schema): Schema {
    const node = deref(field);
    return node.anyOf !== undefined ? deref(node.anyOf[0]) : node;
}

/** A value the schema accepts (and, for names other objects must define, one that is built in). */
function validValue(field: Schema, name: string): unknown {
    const s = valueOf(field);
    if (name === "pool") return "discard";
    if (field.default !== undefined) return field.default;
    if (s.enum !== undefined) return s.enum[0];
    if (s.pattern !== undefined) return "10.0.0.1:80";
    switch ([].concat(s.type)[0]) {
        case "integer":
        case "number":
            return s.minimum ?? 0;
        case "boolean":
            return false;
        case "array":
            return [];
        default:
            return "x";
    }
}

/** One way to break a field: the bad value, and words the message must hold. */
interface Break {
    readonly kind: string;
    readonly value: unknown;
    readonly says: readonly string[];
}

/** A value of none of the types a schema allows. */
function wrongType(types: readonly string[]): unknown {
    const accepts = (v: unknown) =>
        types.some((t) => (t === "integer" ? Number.isInteger(v) : t === "number" ? typeof v === "number" : t === "array" ? Array.isArray(v) : typeof v === t));
    return [12345, "12", "yes", "1.5", "x", true].find((v) => !accepts(v));
}

function breaks(field: Schema): Break[] {
    const s = valueOf(field);
    const types: string[] = [].concat(s.type);
    const type = types.length > 1 ? "union" : types[0];
    const out: Break[] = [];
    const range = s.maximum !== undefined ? `from ${s.minimum} to ${s.maximum}` : s.minimum !== undefined ? `of ${s.minimum} or more` : "a whole number";
    switch (type) {
        case "string":
            out.push({ kind: "type", value: 12345, says: ["12345 is not"] });
            if (s.enum !== undefined) out.push({ kind: "enum", value: "no-such-value", says: [`'no-such-value' is not one of ${s.enum.join(", ")}`] });
            if (s.pattern !== undefined) out.push({ kind: "pattern", value: "no-port", says: ["'no-port' is not", field.description] });
            break;
        case "integer":
            out.push({ kind: "type", value: "12", says: [`'12' is not a whole number`] });
            if (s.minimum !== undefined) out.push({ kind: "minimum", value: s.minimum - 1, says: [`${s.minimum - 1} is not`, range] });
            if (s.maximum !== undefined) out.push({ kind: "maximum", value: s.maximum + 1, says: [`${s.maximum + 1} is not`, range] });
            break;
        case "number":
            out.push({ kind: "type", value: "1.5", says: ["'1.5' is not a number"] });
            break;
        case "boolean":
            out.push({ kind: "type", value: "yes", says: ["'yes' is not true or false"] });
            break;
        case "union":
            out.push({ kind: "type", value: wrongType(types), says: [`${JSON.stringify(wrongType(types))} is not ${types.includes("string") ? "a string or" : ""}`] });
            break;
        case "array": {
            out.push({ kind: "type", value: "x", says: ["'x' is not a"] });
            if (deref(s.items).type !== "object") {
                out.push({ kind: "item type", value: [7], says: ["7 is not"] });
                if (s.uniqueItems) out.push({ kind: "repeated item", value: ["a", "a"], says: ["lists 'a' twice"] });
            }
            break;
        }
        default:
            throw new Error(`a field type the coverage test does not know: ${JSON.stringify(s)}`);
    }
    return out;
}

interface Case {
    readonly label: string;
    readonly document: unknown;
    /** The field path the finding must name, and words its message must hold. */
    readonly field: string;
    readonly says: readonly string[];
}

/** The fields a section requires once documents are layered, with valid values: every object here has them. */
function requiredFields(section: string, object: Schema): Record<string, Record<string, unknown>> {
    const merged = SCHEMA.$defs[`merged.${section}`]?.properties?.properties?.properties ?? {};
    const groups: Record<string, Record<string, unknown>> = {};
    for (const [group, spec] of Object.entries<Schema>(merged)) {
        for (const field of spec.required) groups[group] = { ...groups[group], [field]: validValue(object.properties.properties.properties[group].properties[field], field) };
    }
    return groups;
}

/** A document with one object of the section: raw text with `keys`, or property groups (the required ones, then `groups`). */
function documentWith(section: string, object: Schema, parts: { readonly keys?: Record<string, unknown>; readonly groups?: Record<string, Record<string, unknown>> }): unknown {
    const [parent, child] = section.split(".");
    let value: Record<string, unknown>;
    if (object.properties.content !== undefined) {
        value = { name: "o", content: "x", ...parts.keys };
    } else {
        const properties = requiredFields(section, object);
        for (const [group, fields] of Object.entries(parts.groups ?? {})) properties[group] = { ...properties[group], ...fields };
        value = object.properties.name === undefined ? { properties } : { name: "o", properties };
    }
    const placed = object.properties.name === undefined ? value : [value];
    return { version: 6.2, ...(child === undefined ? { [parent]: placed } : { [parent]: { [child]: placed } }) };
}

/** Every case of a section, and its valid twins. */
function casesOf(section: string): { cases: Case[]; valid: DocumentInput[]; fields: number } {
    const object = deref(SCHEMA.$defs[section]);
    const cases: Case[] = [];
    const valid: DocumentInput[] = [];
    let fields = 0;
    if (object.properties.content !== undefined) {
        fields++;
        valid.push({ source: `${section} content`, document: documentWith(section, object, { keys: { content: "text" } }) });
        cases.push({ label: `${section} content type`, document: documentWith(section, object, { keys: { content: 12345 } }), field: "content", says: ["12345 is not a string"] });
        cases.push({ label: `${section} content misspelt`, document: documentWith(section, object, { keys: { contentx: "x" } }), field: "contentx", says: [`is not a key of an object in ${section} (known: content, name)`] });
        return { cases, valid, fields };
    }
    for (const [group, groupSchema] of Object.entries<Schema>(object.properties.properties.properties)) {
        cases.push({ label: `${section} group ${group} misspelt`, document: documentWith(section, object, { groups: { [`${group}x`]: {} } }), field: `properties.${group}x`, says: [`is not a property group of ${section} (closest:`, group] });
        for (const [name, field] of Object.entries<Schema>(groupSchema.properties)) {
            fields++;
            const at = `properties.${group}.${name}`;
            const doc = (value: unknown, key = name) => documentWith(section, object, { groups: { [group]: { [key]: value } } });
            valid.push({ source: `${section} ${group}.${name}`, document: doc(validValue(field, name)) });
            for (const b of breaks(field)) cases.push({ label: `${section} ${group}.${name} ${b.kind}`, document: doc(b.value), field: b.kind === "item type" ? `${at}[0]` : at, says: b.says });
            const misspelt = groupSchema.properties[`${name}x`] === undefined ? `${name}x` : `x${name}`;
            cases.push({ label: `${section} ${group}.${name} misspelt`, document: doc(validValue(field, name), misspelt), field: `properties.${group}.${misspelt}`, says: [`is not a field of ${group} (closest:`, name] });
            const value = valueOf(field);
            const row = value.type === "array" ? deref(value.items) : undefined;
            if (row?.type !== "object") continue;
            // A table: each column broken in a row that is otherwise valid; each required column left out.
            const validRow = Object.fromEntries((row.required ?? []).map((c: string) => [c, validValue(row.properties[c], c)]));
            valid.push({ source: `${section} ${group}.${name} row`, document: doc([validRow]) });
            for (const [column, columnSchema] of Object.entries<Schema>(row.properties)) {
                fields++;
                const cell = `${at}[0].${column}`;
                for (const b of breaks(columnSchema)) {
                    cases.push({ label: `${section} ${group}.${name}[].${column} ${b.kind}`, document: doc([{ ...validRow, [column]: b.value }]), field: b.kind === "item type" ? `${cell}[0]` : cell, says: b.says });
                }
                cases.push({ label: `${section} ${group}.${name}[].${column} misspelt`, document: doc([{ ...validRow, [`${column}x`]: validValue(columnSchema, column) }]), field: `${cell}x`, says: [`is not a field of ${name} rows (closest:`, column] });
                if ((row.required ?? []).includes(column)) {
                    const { [column]: _left, ...rest } = validRow;
                    cases.push({ label: `${section} ${group}.${name}[].${column} left out`, document: doc([rest]), field: cell, says: ["is required"] });
                }
            }
        }
    }
    return { cases, valid, fields };
}

describe("schema coverage: every field of every section refuses wrong values", () => {
    const all = SECTIONS.map(casesOf);
    const cases = all.flatMap((a) => a.cases);
    const valid = all.flatMap((a) => a.valid);
    const fields = all.reduce((n, a) => n + a.fields, 0);

    it("covers every section, the promised ones among them, and every one has fields", () => {
        assert.deepStrictEqual(PROMISED.filter((p) => !SECTIONS.includes(p)), []);
        assert.strictEqual(SECTIONS.length, 42);
        for (const [i, section] of SECTIONS.entries()) assert.ok(all[i].fields > 0, section);
    });

    it("accepts each field with a valid value, in an otherwise minimal object", () => {
        const findings = validateDocuments([TARGETS, ...valid], CONTEXT).filter((f) => f.severity === "error");
        assert.deepStrictEqual(findings.map(formatFinding), []);
    });

    it("refuses every wrong value, naming the field and what is allowed", () => {
        const inputs = cases.map((c, i) => ({ source: `case-${i}`, document: c.document }));
        const bySource = new Map<string, Finding[]>();
        for (const f of validateDocuments(inputs, CONTEXT)) bySource.set(f.source, [...(bySource.get(f.source) ?? []), f]);
        const missed = cases.filter((c, i) => {
            const findings = (bySource.get(`case-${i}`) ?? []).filter((f) => f.severity === "error");
            return !findings.some((f) => f.field === c.field && c.says.every((w) => f.message.includes(w)));
        });
        const refused = cases.length - missed.length;
        console.log(`      schema coverage: ${refused.toLocaleString("en")} of ${cases.length.toLocaleString("en")} wrong values refused across ${fields.toLocaleString("en")} typed fields of ${SECTIONS.length} sections`);
        assert.deepStrictEqual(missed.slice(0, 10).map((c) => c.label), []);
    });
});
