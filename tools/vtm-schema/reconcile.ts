// Puts the two sources side by side, field by field: go-vtm gives each section's REST path and every
// group and field with its JSON name and type; the Terraform provider gives ranges, enums, defaults
// and required columns. The provider flattens groups into one attribute namespace (`basic` fields keep
// their name, others become `<group>_<field>`); its read function says which go-vtm field each
// attribute comes from, and that is how they are matched. Anything that does not line up is reported.
import { GoColumn, GoConfigType, GoValue } from "./goVtm";
import { TfAttribute, TfResource } from "./terraform";

export interface Field {
    readonly name: string;
    readonly go: GoValue;
    /** Absent: go-vtm has the field and the provider does not (an expert key). */
    readonly tf?: TfAttribute;
    /** Table columns, matched the same way. */
    readonly columns?: readonly Field[];
}

export interface Section {
    /** The key in a document: "pools", "ssl.server_keys", "global_settings", "appliance.nat". */
    readonly key: string;
    readonly shape: GoConfigType["shape"];
    readonly groups: readonly { readonly name: string; readonly fields: readonly Field[] }[];
    /** Raw-text types: whether the provider requires their content. */
    readonly contentRequired: boolean;
}

/** What did not line up, for the generator's report. */
export interface Mismatches {
    /** "pools: basic.lard_size (int)": in go-vtm, not in the provider. */
    readonly goOnly: string[];
    /** "traffic_managers: updaterip": provider attributes that set no go-vtm field. */
    readonly terraformOnly: string[];
    /** Matched through the read function where the naming rule would not have matched them. */
    readonly renamed: string[];
}

/** The provider's own extras: the object name and JSON twins of tables. */
function providerOnly(attribute: string, attributes: Readonly<Record<string, TfAttribute>>): boolean {
    return attribute === "name" || (attribute.endsWith("_json") && attributes[attribute.slice(0, -5)] !== undefined);
}

export function reconcile(go: GoConfigType, tf: TfResource, mismatches: Mismatches): Section {
    const key = go.path.replace("/", ".");
    if (go.shape === "text") {
        const content = tf.attributes.content;
        if (content === undefined || content.type !== "TypeString") throw new Error(`${key}: a raw-text type whose provider resource has no string content`);
        for (const attribute of Object.keys(tf.attributes)) if (attribute !== "name" && attribute !== "content") mismatches.terraformOnly.push(`${key}: ${attribute}`);
        return { key, shape: go.shape, groups: [], contentRequired: content.required };
    }
    // Go field path (Group.Field, Go names) → provider attribute.
    const byGoPath = new Map<string, string>();
    for (const [attribute, [group, field]] of tf.readFrom) byGoPath.set(`${group}.${field}`, attribute);
    const used = new Set<string>();
    const groups = go.groups.map((group) => ({
        name: group.json,
        fields: group.fields.map((field): Field => {
            const attribute = byGoPath.get(`${group.goName}.${field.goName}`);
            const tfAttribute = attribute === undefined ? undefined : tf.attributes[attribute];
            if (attribute === undefined || tfAttribute === undefined) {
                mismatches.goOnly.push(`${key}: ${group.json}.${field.json} (${field.value.kind})`);
                return { name: field.json, go: field.value };
            }
            used.add(attribute);
            const byRule = group.json === "basic" ? field.json : `${group.json}_${field.json}`;
            if (attribute !== byRule) mismatches.renamed.push(`${key}: ${group.json}.${field.json} is the provider's ${attribute}`);
            return matched(`${key}: ${group.json}.${field.json}`, field, tfAttribute);
        }),
    }));
    for (const attribute of Object.keys(tf.attributes).sort()) {
        if (!used.has(attribute) && !providerOnly(attribute, tf.attributes)) mismatches.terraformOnly.push(`${key}: ${attribute}`);
    }
    return { key, shape: go.shape, groups, contentRequired: false };
}

/** The provider's type must agree with go-vtm's; a table's columns are matched by name. */
function matched(where: string, field: GoColumn, tf: TfAttribute): Field {
    const expected: Record<GoValue["kind"], readonly string[]> = {
        string: ["TypeString"],
        int: ["TypeInt"],
        bool: ["TypeBool"],
        float: ["TypeFloat"],
        strings: ["TypeList", "TypeSet"],
        table: ["TypeList", "TypeSet"],
    };
    if (!expected[field.value.kind].includes(tf.type)) throw new Error(`${where}: go-vtm says ${field.value.kind}, the provider says ${tf.type}`);
    if (field.value.kind === "strings") {
        const element = tf.element;
        if (element?.kind !== "scalar" || element.attribute.type !== "TypeString") throw new Error(`${where}: go-vtm says a list of strings, the provider's element differs`);
        return { name: field.json, go: field.value, tf };
    }
    if (field.value.kind === "table") {
        const element = tf.element;
        if (element?.kind !== "row") throw new Error(`${where}: go-vtm says a table, the provider has no row schema`);
        const columns = field.value.columns.map((c) => {
            const column = element.columns[c.json];
            if (column === undefined) throw new Error(`${where}: the provider's rows have no column ${c.json}`);
            return matched(`${where}[].${c.json}`, c, column);
        });
        const extra = Object.keys(element.columns).filter((c) => !columns.some((m) => m.name === c));
        if (extra.length > 0) throw new Error(`${where}: the provider's rows have columns go-vtm lacks: ${extra.join(", ")}`);
        return { name: field.json, go: field.value, tf, columns };
    }
    return { name: field.json, go: field.value, tf };
}
