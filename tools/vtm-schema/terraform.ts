// Reads one resource of the vTM Terraform provider (6.2/resource_<type>.go): the attributes of its
// schema literal (type, required, default, range or enum, table columns) and, from its read function,
// which go-vtm field each attribute is set from.
import { Element, Expr, Parser, tokenize } from "./goSyntax";

export type TfType = "TypeString" | "TypeInt" | "TypeBool" | "TypeFloat" | "TypeList" | "TypeSet";

export type TfCheck =
    | { readonly kind: "between"; readonly min: number; readonly max: number }
    | { readonly kind: "atLeast"; readonly min: number }
    | { readonly kind: "oneOf"; readonly values: readonly string[] }
    | { readonly kind: "notEmpty" }
    | { readonly kind: "json" };

export interface TfAttribute {
    readonly type: TfType;
    readonly required: boolean;
    readonly default?: string | number | boolean;
    readonly check?: TfCheck;
    /** Lists and sets: a scalar element, or the columns of a table row. */
    readonly element?: { readonly kind: "scalar"; readonly attribute: TfAttribute } | { readonly kind: "row"; readonly columns: Readonly<Record<string, TfAttribute>> };
    /** The line of the attribute in the resource file. */
    readonly line: number;
}

export interface TfResource {
    readonly attributes: Readonly<Record<string, TfAttribute>>;
    /** Attribute name → the go-vtm path it is read from, e.g. "ssl_server_cert_host_mapping" → ["Ssl", "ServerCertHostMapping"]. */
    readonly readFrom: ReadonlyMap<string, readonly [string, string]>;
}

const TYPES: readonly TfType[] = ["TypeString", "TypeInt", "TypeBool", "TypeFloat", "TypeList", "TypeSet"];

/** Parses resource_<type>.go. */
export function readTerraformResource(source: string, file: string): TfResource {
    const header = /func getResource\w+Schema\(\) map\[string\]\*schema\.Schema \{\s*return /.exec(source);
    if (header === null) throw new Error(`${file}: no getResource…Schema() function`);
    const tokens = tokenize(source.slice(header.index + header[0].length));
    const offset = countLines(source.slice(0, header.index + header[0].length));
    try {
        const literal = new Parser(tokens).expression();
        return { attributes: schemaMap(literal, offset), readFrom: readMapping(source) };
    } catch (err) {
        throw new Error(`${file}: ${(err as Error).message}`);
    }
}

function countLines(text: string): number {
    return text.split("\n").length - 1;
}

/** `map[string]*schema.Schema{ "name": &schema.Schema{...}, ... }` */
function schemaMap(expr: Expr, offset: number): Record<string, TfAttribute> {
    if (expr.kind !== "literal" || expr.type !== "map[string]*schema.Schema") throw new Error(`line ${expr.line + offset}: expected a schema map`);
    const attributes: Record<string, TfAttribute> = {};
    for (const element of expr.elements) {
        if (element.key?.kind !== "string") throw new Error(`line ${element.value.line + offset}: a schema map key that is not a string`);
        attributes[element.key.value] = attribute(element.value, offset);
    }
    return attributes;
}

/** `&schema.Schema{ Type: ..., Optional: true, Default: ..., ValidateFunc: ..., Elem: ... }` */
function attribute(expr: Expr, offset: number): TfAttribute {
    const literal = expr.kind === "address" ? expr.of : expr;
    const line = expr.line + offset;
    if (literal.kind !== "literal" || literal.type !== "schema.Schema") throw new Error(`line ${line}: expected &schema.Schema{...}`);
    const fields = keyed(literal.elements, line);
    const typeName = nameOf(fields.Type, line).replace(/^schema\./, "");
    if (!(TYPES as readonly string[]).includes(typeName)) throw new Error(`line ${line}: unknown type ${typeName}`);
    const type = typeName as TfType;
    const required = fields.Required !== undefined && nameOf(fields.Required, line) === "true";
    const result: { -readonly [K in keyof TfAttribute]: TfAttribute[K] } = { type, required, line };
    if (fields.Default !== undefined) {
        const d = fields.Default;
        if (d.kind === "number" || d.kind === "string") result.default = d.value;
        else if (d.kind === "name" && (d.name === "true" || d.name === "false")) result.default = d.name === "true";
        else if (!(d.kind === "name" && d.name === "nil")) throw new Error(`line ${line}: a default that is not a constant`);
    }
    if (fields.ValidateFunc !== undefined) result.check = check(fields.ValidateFunc, line);
    if (fields.Elem !== undefined) {
        const elem = fields.Elem.kind === "address" ? fields.Elem.of : fields.Elem;
        if (elem.kind === "literal" && elem.type === "schema.Schema") {
            result.element = { kind: "scalar", attribute: attribute(fields.Elem, offset) };
        } else if (elem.kind === "literal" && elem.type === "schema.Resource") {
            const schema = keyed(elem.elements, line).Schema;
            if (schema === undefined) throw new Error(`line ${line}: a schema.Resource without Schema`);
            result.element = { kind: "row", columns: schemaMap(schema, offset) };
        } else {
            throw new Error(`line ${line}: an Elem that is neither a schema nor a resource`);
        }
    }
    return result;
}

function keyed(elements: readonly Element[], line: number): Record<string, Expr> {
    const out: Record<string, Expr> = {};
    for (const e of elements) {
        if (e.key?.kind !== "name") throw new Error(`line ${line}: a struct field without a name`);
        out[e.key.name] = e.value;
    }
    return out;
}

function nameOf(expr: Expr | undefined, line: number): string {
    if (expr?.kind !== "name") throw new Error(`line ${line}: expected a name`);
    return expr.name;
}

/** The provider's ValidateFuncs: validation.IntBetween, IntAtLeast, StringInSlice, NoZeroValues, ValidateJsonString. */
function check(expr: Expr, line: number): TfCheck {
    const numbers = (args: readonly Expr[]) =>
        args.map((a) => {
            if (a.kind !== "number") throw new Error(`line ${line}: a range bound that is not a number`);
            return a.value;
        });
    if (expr.kind === "call" && expr.fn === "validation.IntBetween") {
        const [min, max] = numbers(expr.args);
        return { kind: "between", min, max };
    }
    if (expr.kind === "call" && expr.fn === "validation.IntAtLeast") return { kind: "atLeast", min: numbers(expr.args)[0] };
    if (expr.kind === "call" && expr.fn === "validation.StringInSlice") {
        const [list, ignoreCase] = expr.args;
        if (list?.kind !== "literal" || list.type !== "[]string") throw new Error(`line ${line}: StringInSlice without a []string`);
        if (ignoreCase?.kind !== "name" || ignoreCase.name !== "false") throw new Error(`line ${line}: StringInSlice ignoring case`);
        return {
            kind: "oneOf",
            values: list.elements.map((e) => {
                if (e.value.kind !== "string") throw new Error(`line ${line}: an enum value that is not a string`);
                return e.value.value;
            }),
        };
    }
    if (expr.kind === "name" && expr.name === "validation.NoZeroValues") return { kind: "notEmpty" };
    if (expr.kind === "name" && expr.name === "validation.ValidateJsonString") return { kind: "json" };
    throw new Error(`line ${line}: unknown ValidateFunc`);
}

/**
 * The read function assigns each attribute in a block that starts `lastAssignedField = "<attribute>"`
 * and reads `*object.<Group>.<Field>`: the first such selector in the block names the go-vtm field.
 */
function readMapping(source: string): Map<string, readonly [string, string]> {
    const read = /func resource\w+Read\([^)]*\)[^{]*\{([\s\S]*?)\n\}/.exec(source);
    const mapping = new Map<string, readonly [string, string]>();
    if (read === null) return mapping;
    const blocks = read[1].split(/lastAssignedField = "/).slice(1);
    for (const block of blocks) {
        const attribute = block.slice(0, block.indexOf('"'));
        const selector = /\bobject\.(\w+)\.(\w+)/.exec(block);
        if (selector !== null) mapping.set(attribute, [selector[1], selector[2]]);
    }
    return mapping;
}
