// Reads one configuration type of go-vtm (6.2/config_<type>.go): its REST path, whether it is a named
// collection, a singleton or a raw-text type, and its property groups with each field's JSON name
// and Go type.
import { GoField, GoTypes, goTypes } from "./goSyntax";

export type GoValue =
    | { readonly kind: "string" | "int" | "bool" | "float" | "strings" }
    | { readonly kind: "table"; readonly columns: readonly GoColumn[] };

export interface GoColumn {
    readonly json: string;
    readonly goName: string;
    readonly value: GoValue;
}

export interface GoGroup {
    readonly json: string;
    readonly goName: string;
    readonly fields: readonly GoColumn[];
}

export interface GoConfigType {
    /** The REST path under config/active, e.g. "pools", "ssl/server_keys", "global_settings". */
    readonly path: string;
    /** named: a list of {name, properties}; singleton: one {properties}; text: a list of {name, content}. */
    readonly shape: "named" | "singleton" | "text";
    readonly groups: readonly GoGroup[];
}

const SCALARS: Readonly<Record<string, GoValue>> = {
    "*string": { kind: "string" },
    "*int": { kind: "int" },
    "*bool": { kind: "bool" },
    "*float64": { kind: "float" },
    "*[]string": { kind: "strings" },
};

/** Parses config_<type>.go of the given API version. */
export function readGoConfigType(source: string, file: string, version: string): GoConfigType {
    const prefix = `/tm/${version}/config/active/`;
    const paths = [...source.matchAll(/"(\/tm\/[^"?]*)/g)].map((m) => m[1]);
    if (paths.length === 0) throw new Error(`${file}: no REST path`);
    const collection = paths.find((p) => source.includes(`"${p}/" + name`));
    const path = (collection ?? paths[0]).slice(prefix.length);
    if (!paths.every((p) => p.startsWith(prefix))) throw new Error(`${file}: a REST path outside ${prefix}`);
    if (source.includes("TEXT_ONLY_OBJ")) {
        if (collection === undefined) throw new Error(`${file}: a raw-text type that is not a collection`);
        return { path, shape: "text", groups: [] };
    }
    const types = goTypes(source);
    const properties = propertiesStruct(types, file);
    const groups = properties.map((g): GoGroup => {
        if (g.type.kind !== "struct" || g.json === undefined) throw new Error(`${file}:${g.line}: property group ${g.name} is not a tagged struct`);
        return { json: g.json, goName: g.name, fields: g.type.fields.map((f) => column(f, types, file)) };
    });
    return { path, shape: collection === undefined ? "singleton" : "named", groups };
}

/** The struct embedded under the JSON tag "properties" of the file's object type. */
function propertiesStruct(types: GoTypes, file: string): readonly GoField[] {
    for (const fields of types.structs.values()) {
        const embedded = fields.find((f) => f.json === "properties" && f.type.kind === "named");
        if (embedded === undefined || embedded.type.kind !== "named") continue;
        const properties = types.structs.get(embedded.type.name);
        if (properties === undefined) throw new Error(`${file}: no struct ${embedded.type.name}`);
        return properties;
    }
    throw new Error(`${file}: no type with embedded properties`);
}

function column(field: GoField, types: GoTypes, file: string): GoColumn {
    if (field.json === undefined) throw new Error(`${file}:${field.line}: field ${field.name} has no JSON name`);
    if (field.type.kind !== "named") throw new Error(`${file}:${field.line}: field ${field.name} is an anonymous struct`);
    const scalar = SCALARS[field.type.name];
    if (scalar !== undefined) return { json: field.json, goName: field.name, value: scalar };
    const row = types.slices.get(field.type.name.replace(/^\*/, ""));
    const columns = row === undefined ? undefined : types.structs.get(row);
    if (columns === undefined) throw new Error(`${file}:${field.line}: field ${field.name} has type ${field.type.name}, which is neither a scalar nor a table`);
    return { json: field.json, goName: field.name, value: { kind: "table", columns: columns.map((c) => column(c, types, file)) } };
}
