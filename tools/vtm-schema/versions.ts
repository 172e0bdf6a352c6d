// The index of what differs between API versions (vtm/schema/vtm-versions.json): each section, property
// group, field and table column that not every version's schema has, with the versions that have it.
// The validator reads it to say which version has a field a document's version lacks, without loading
// the other versions' schemas.

type Schema = Record<string, any>;

/** Every place of a schema, as findings name them: "pools", "pools properties.basic", "pools properties.basic.monitors", "… nodes_table[].node". */
export function placesOf(schema: Schema): Set<string> {
    const places = new Set<string>();
    const deref = (s: Schema): Schema => (typeof s?.$ref === "string" ? deref(schema.$defs[s.$ref.replace("#/$defs/", "")]) : s);
    const valueOf = (s: Schema): Schema => {
        const node = deref(s);
        return Array.isArray(node.anyOf) ? deref(node.anyOf[0]) : node;
    };
    const object = (section: string, s: Schema) => {
        places.add(section);
        const groups = (deref(s).properties?.properties?.properties ?? {}) as Schema;
        for (const [group, g] of Object.entries(groups)) {
            places.add(`${section} properties.${group}`);
            for (const [field, f] of Object.entries((g.properties ?? {}) as Schema)) {
                places.add(`${section} properties.${group}.${field}`);
                const value = valueOf(f);
                const row = value.type === "array" ? deref(value.items ?? {}) : undefined;
                if (row?.type === "object") for (const column of Object.keys(row.properties ?? {})) places.add(`${section} properties.${group}.${field}[].${column}`);
            }
        }
    };
    for (const [key, s] of Object.entries(schema.properties as Schema)) {
        if (key === "version") continue;
        const nested = s.type === "object" && s.$ref === undefined && typeof s.properties === "object";
        const sections: [string, Schema][] = nested ? Object.entries(s.properties as Schema).map(([c, cs]) => [`${key}.${c}`, cs]) : [[key, s]];
        for (const [section, cs] of sections) object(section, cs.type === "array" ? cs.items : cs);
    }
    return places;
}

/** The index: for each place some version lacks, the versions that have it (oldest first). */
export function versionIndex(schemas: ReadonlyMap<string, Schema>, provenance: string): Schema {
    const versions = [...schemas.keys()].sort((a, b) => Number(a) - Number(b));
    const places = new Map(versions.map((v) => [v, placesOf(schemas.get(v)!)]));
    const all = [...new Set(versions.flatMap((v) => [...places.get(v)!]))].sort();
    const differences: Record<string, string[]> = {};
    for (const place of all) {
        const having = versions.filter((v) => places.get(v)!.has(place));
        if (having.length < versions.length) differences[place] = having;
    }
    return { $comment: provenance, versions, differences };
}
