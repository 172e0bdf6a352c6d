// Coverage generated from each API version's schema itself: for every typed field of every group of every section
// (the ones the README promises among them) and every table column, a document that is valid but for that one field, broken in
// each way that applies: a wrong type, a value outside the enum, below the minimum, above the maximum,
// a repeated item in a set, a misspelt name; and every group name misspelt. Each must be refused by
// validateDocuments with the field named and the allowed values or range in the message. The same
// documents with a valid value must pass.
//
// Every version is covered, cheaply: a case is the same test in two versions when its field (or table
// column), its group's field names and its section's required fields are the same there, so each case
// runs once, in the oldest version that has it in that form; what a later version adds or changes runs
// in that version too. Every version's validator is still run (on its own cases and on its valid twins).
import * as assert from "assert";
import * as fs from "fs";
import { DocumentInput, Finding, formatFinding, validateDocuments } from "../vtm/validation";
import { SCHEMA_DIR, schemaVersions } from "../vtm/schemaValidator";

/** The sections the issue promises every field of; the test covers every section the schema has. */
const PROMISED = ["virtual_servers", "pools", "rules", "monitors", "traffic_ip_groups", "ssl.server_keys", "ssl.client_keys", "ssl.cas", "persistence", "global_settings", "security"];

type Schema = Record<string, any>;

/** The schema being swept: one version at a time. */
let SCHEMA: Schema;
let VERSION: number;

/** Objects named 'x', the value a valid string takes, in every section a field can name: references resolve. */
const targets = (version: number): DocumentInput => ({
    source: "targets",
    document: {
        version,
        ...Object.fromEntries(["pools", "persistence", "bandwidth", "protection", "service_level_monitors", "traffic_ip_groups", "monitors"].map((s) => [s, [{ name: "x", properties: {} }]])),
        ...Object.fromEntries(["rules", "servicediscovery", "monitor_scripts"].map((s) => [s, [{ name: "x", content: "x" }]])),
        ssl: {
            server_keys: [{ name: "x", properties: { basic: { public: "P", private: "K" } } }],
            client_keys: [{ name: "x", properties: { basic: { public: "P", private: "K" } } }],
            cas: [{ name: "x", content: "PEM" }],
        },
    },
});

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
    /** What the case depends on in the schema: the same key in another version is the same test. */
    readonly key: string;
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
    return { version: VERSION, ...(child === undefined ? { [parent]: placed } : { [parent]: { [child]: placed } }) };
}

/** Every case of a section, and its valid twins. */
function casesOf(section: string): { cases: Case[]; valid: (DocumentInput & { key: string })[]; fields: number } {
    const object = deref(SCHEMA.$defs[section]);
    const cases: Case[] = [];
    const valid: (DocumentInput & { key: string })[] = [];
    let fields = 0;
    const required = JSON.stringify(SCHEMA.$defs[`merged.${section}`] ?? null);
    if (object.properties.content !== undefined) {
        fields++;
        const key = `${section}|content|${JSON.stringify(object)}`;
        valid.push({ source: `${section} content`, document: documentWith(section, object, { keys: { content: "text" } }), key });
        cases.push({ label: `${section} content type`, document: documentWith(section, object, { keys: { content: 12345 } }), field: "content", says: ["12345 is not a string"], key: `${key}|type` });
        cases.push({ label: `${section} content misspelt`, document: documentWith(section, object, { keys: { contentx: "x" } }), field: "contentx", says: [`is not a key of an object in ${section} (known: content, name)`], key: `${key}|misspelt` });
        return { cases, valid, fields };
    }
    const groups = object.properties.properties.properties as Schema;
    for (const [group, groupSchema] of Object.entries<Schema>(groups)) {
        const groupKey = `${section}|${required}|${JSON.stringify(Object.keys(groups))}|${group}|${JSON.stringify(Object.keys(groupSchema.properties))}`;
        cases.push({ label: `${section} group ${group} misspelt`, document: documentWith(section, object, { groups: { [`${group}x`]: {} } }), field: `properties.${group}x`, says: [`is not a property group of ${section} (closest:`, group], key: `${groupKey}|misspelt` });
        for (const [name, field] of Object.entries<Schema>(groupSchema.properties)) {
            fields++;
            const at = `properties.${group}.${name}`;
            const fieldKey = `${groupKey}|${name}|${JSON.stringify(field)}|${JSON.stringify(valueOf(field))}|${JSON.stringify(deref(valueOf(field).items ?? {}))}`;
            const doc = (value: unknown, key = name) => documentWith(section, object, { groups: { [group]: { [key]: value } } });
            valid.push({ source: `${section} ${group}.${name}`, document: doc(validValue(field, name)), key: fieldKey });
            for (const b of breaks(field)) cases.push({ label: `${section} ${group}.${name} ${b.kind}`, document: doc(b.value), field: b.kind === "item type" ? `${at}[0]` : at, says: b.says, key: `${fieldKey}|${b.kind}` });
            const misspelt = groupSchema.properties[`${name}x`] === undefined ? `${name}x` : `x${name}`;
            cases.push({ label: `${section} ${group}.${name} misspelt`, document: doc(validValue(field, name), misspelt), field: `properties.${group}.${misspelt}`, says: [`is not a field of ${group} (closest:`, name], key: `${fieldKey}|misspelt` });
            const value = valueOf(field);
            const row = value.type === "array" ? deref(value.items) : undefined;
            if (row?.type !== "object") continue;
            // A table: each column broken in a row that is otherwise valid; each required column left out.
            const validRow = Object.fromEntries((row.required ?? []).map((c: string) => [c, validValue(row.properties[c], c)]));
            valid.push({ source: `${section} ${group}.${name} row`, document: doc([validRow]), key: `${fieldKey}|row` });
            for (const [column, columnSchema] of Object.entries<Schema>(row.properties)) {
                fields++;
                const cell = `${at}[0].${column}`;
                for (const b of breaks(columnSchema)) {
                    cases.push({ label: `${section} ${group}.${name}[].${column} ${b.kind}`, document: doc([{ ...validRow, [column]: b.value }]), field: b.kind === "item type" ? `${cell}[0]` : cell, says: b.says, key: `${fieldKey}|${column}|${b.kind}` });
                }
                cases.push({ label: `${section} ${group}.${name}[].${column} misspelt`, document: doc([{ ...validRow, [`${column}x`]: validValue(columnSchema, column) }]), field: `${cell}x`, says: [`is not a field of ${name} rows (closest:`, column], key: `${fieldKey}|${column}|misspelt` });
                if ((row.required ?? []).includes(column)) {
                    const { [column]: _left, ...rest } = validRow;
                    cases.push({ label: `${section} ${group}.${name}[].${column} left out`, document: doc([rest]), field: cell, says: ["is required"], key: `${fieldKey}|${column}|left out` });
                }
            }
        }
    }
    return { cases, valid, fields };
}

/** One version's sweep: its sections, every case and valid twin, and those no older version ran in the same form. */
interface Sweep {
    readonly version: number;
    readonly sections: readonly string[];
    readonly perSection: readonly { readonly fields: number }[];
    readonly cases: readonly Case[];
    readonly valid: readonly DocumentInput[];
    readonly fields: number;
    /** All the cases of the version: run here or, in the same form, in an older version. */
    readonly total: number;
}

function sweeps(): Sweep[] {
    const seen = new Set<string>();
    return schemaVersions().map((version) => {
        VERSION = version;
        SCHEMA = JSON.parse(fs.readFileSync(`${SCHEMA_DIR}/vtm-${version.toFixed(1)}.schema.json`, "utf8"));
        const sections = Object.keys(SCHEMA.$defs).filter((k) => !k.startsWith("merged.") && (SCHEMA.$defs[k].properties?.properties !== undefined || SCHEMA.$defs[k].properties?.content !== undefined));
        const all = sections.map(casesOf);
        const fresh = <T extends { key: string }>(items: T[]) => items.filter((c) => !seen.has(c.key));
        const cases = fresh(all.flatMap((a) => a.cases));
        const valid = fresh(all.flatMap((a) => a.valid));
        for (const c of [...cases, ...valid]) seen.add(c.key);
        return { version, sections, perSection: all, cases, valid, fields: all.reduce((n, a) => n + a.fields, 0), total: all.reduce((n, a) => n + a.cases.length, 0) };
    });
}

describe("schema coverage: every field of every section of every API version refuses wrong values", () => {
    const versions = sweeps();

    it("covers every section, the promised ones among them, and every one has fields, in every version", () => {
        assert.deepStrictEqual(versions.map((v) => v.version), [6.0, 6.1, 6.2, 7.0, 7.1, 8.0, 8.1, 8.2, 8.3]);
        for (const v of versions) {
            assert.deepStrictEqual(PROMISED.filter((p) => !v.sections.includes(p)), [], `API ${v.version}`);
            for (const [i, section] of v.sections.entries()) assert.ok(v.perSection[i].fields > 0, `API ${v.version} ${section}`);
        }
        assert.strictEqual(versions.find((v) => v.version === 6.2)!.sections.length, 42);
        assert.ok(versions.find((v) => v.version === 8.3)!.sections.includes("ssl.admin_cas"));
    });

    for (const v of versions) {
        it(`API ${v.version.toFixed(1)}: accepts each field with a valid value, and refuses every wrong value naming the field and what is allowed`, () => {
            const context = { mountedFiles: new Set<string>(), apiVersion: v.version };
            const findings = validateDocuments([targets(v.version), ...v.valid], context).filter((f) => f.severity === "error");
            assert.deepStrictEqual(findings.map(formatFinding), []);
            const inputs = v.cases.map((c, i) => ({ source: `case-${i}`, document: c.document }));
            const bySource = new Map<string, Finding[]>();
            for (const f of validateDocuments(inputs, context)) bySource.set(f.source, [...(bySource.get(f.source) ?? []), f]);
            const missed = v.cases.filter((c, i) => {
                const found = (bySource.get(`case-${i}`) ?? []).filter((f) => f.severity === "error");
                return !found.some((f) => f.field === c.field && c.says.every((w) => f.message.includes(w)));
            });
            const refused = v.cases.length - missed.length;
            console.log(
                `      API ${v.version.toFixed(1)}: ${refused.toLocaleString("en")} of ${v.cases.length.toLocaleString("en")} wrong values refused here ` +
                    `(${(v.total - v.cases.length).toLocaleString("en")} more, the same in an older version, refused there) across ${v.fields.toLocaleString("en")} typed fields of ${v.sections.length} sections`,
            );
            assert.deepStrictEqual(missed.slice(0, 10).map((c) => c.label), []);
        });
    }
});
