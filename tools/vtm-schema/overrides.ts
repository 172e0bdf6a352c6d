// The few places where the generated schema departs from what the sources say, each with its reason.
// They are applied mechanically, the generator fails if one no longer finds its field, and the
// generated file lists them in its $comment.

/** A field (or a table column) of a section. */
export interface FieldAddress {
    readonly section: string;
    readonly group: string;
    readonly field: string;
    readonly column?: string;
}

export type Override =
    /** Keywords merged into the field's schema (replacing any of the same name). */
    | (FieldAddress & { readonly kind: "keywords"; readonly keywords: Readonly<Record<string, unknown>>; readonly why: string })
    /** A field the provider marks Required that documents may leave out. */
    | (FieldAddress & { readonly kind: "optional"; readonly why: string });

const UPSTREAM_KEYS_WITHOUT_REQUEST = "the upstream Kubernetes documents (kubernetes-vtm deploy/README.md, helm config-generated.yaml) give only public and private";

export const OVERRIDES: readonly Override[] = [
    {
        kind: "keywords",
        section: "global_settings",
        group: "web_cache",
        field: "size",
        keywords: { type: ["string", "integer"], minimum: 0 },
        why: "a string such as '20%' in both sources, but the upstream Helm chart's base document writes the number 0 and the importer takes it",
    },
    {
        kind: "keywords",
        section: "pools",
        group: "basic",
        field: "nodes_table",
        column: "node",
        // A port from 1 to 65535 after the last colon; IPv6 hosts are bracketed, so the last colon splits.
        keywords: {
            pattern: "^.+:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$",
            description: "host:port with a port from 1 to 65535",
        },
        why: "both sources describe a node as an IP address and a port, as a plain string",
    },
    ...["factory", "can_use_ssl", "can_edit_ssl", "editable_keys"].map(
        (field): Override => ({
            kind: "keywords",
            section: "monitors",
            group: "basic",
            field,
            keywords: { readOnly: true },
            why: "go-vtm describes it as a property of the monitors that ship with the traffic manager, which sets it",
        }),
    ),
    ...["server_keys", "client_keys"].flatMap((keys) =>
        ["request", "note"].map((field): Override => ({ kind: "optional", section: `ssl.${keys}`, group: "basic", field, why: UPSTREAM_KEYS_WITHOUT_REQUEST })),
    ),
];

export function addressText(a: FieldAddress): string {
    return `${a.section}: ${a.group}.${a.field}${a.column === undefined ? "" : `[].${a.column}`}`;
}
