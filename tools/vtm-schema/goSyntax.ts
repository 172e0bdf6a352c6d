// Just enough Go to read the two sources: a tokenizer, an expression parser for the Terraform
// provider's `map[string]*schema.Schema{...}` literals, and a parser of `type X struct {...}` and
// `type X []Y` declarations with their JSON tags. No Go toolchain is needed to run it.

export type Token =
    | { readonly kind: "ident"; readonly text: string; readonly line: number }
    | { readonly kind: "number"; readonly text: string; readonly line: number }
    | { readonly kind: "string"; readonly text: string; readonly value: string; readonly line: number }
    | { readonly kind: "punct"; readonly text: string; readonly line: number };

/** The tokens of a Go file, comments dropped. Strings carry their decoded value. */
export function tokenize(source: string): Token[] {
    const tokens: Token[] = [];
    let i = 0;
    let line = 1;
    const at = (j: number) => source[j] ?? "";
    while (i < source.length) {
        const c = source[i];
        if (c === "\n") {
            line++;
            i++;
        } else if (/\s/.test(c)) {
            i++;
        } else if (c === "/" && at(i + 1) === "/") {
            while (i < source.length && source[i] !== "\n") i++;
        } else if (c === "/" && at(i + 1) === "*") {
            const end = source.indexOf("*/", i + 2);
            if (end < 0) throw new Error(`line ${line}: unterminated comment`);
            line += countLines(source.slice(i, end));
            i = end + 2;
        } else if (/[A-Za-z_]/.test(c)) {
            const start = i;
            while (/[A-Za-z0-9_]/.test(at(i))) i++;
            tokens.push({ kind: "ident", text: source.slice(start, i), line });
        } else if (/[0-9]/.test(c)) {
            const start = i;
            while (/[0-9A-Za-z_.]/.test(at(i))) i++;
            tokens.push({ kind: "number", text: source.slice(start, i), line });
        } else if (c === '"') {
            const start = i;
            i++;
            while (i < source.length && source[i] !== '"') {
                if (source[i] === "\n") throw new Error(`line ${line}: newline in string`);
                i += source[i] === "\\" ? 2 : 1;
            }
            i++;
            const text = source.slice(start, i);
            tokens.push({ kind: "string", text, value: JSON.parse(text.replace(/\\x([0-9a-fA-F]{2})/g, "\\u00$1")) as string, line });
        } else if (c === "`") {
            const end = source.indexOf("`", i + 1);
            if (end < 0) throw new Error(`line ${line}: unterminated raw string`);
            const text = source.slice(i, end + 1);
            tokens.push({ kind: "string", text, value: text.slice(1, -1), line });
            line += countLines(text);
            i = end + 1;
        } else if (c === "'") {
            const start = i;
            i++;
            while (i < source.length && source[i] !== "'") i += source[i] === "\\" ? 2 : 1;
            i++;
            tokens.push({ kind: "number", text: source.slice(start, i), line });
        } else {
            tokens.push({ kind: "punct", text: c, line });
            i++;
        }
    }
    return tokens;
}

function countLines(text: string): number {
    return text.split("\n").length - 1;
}

/** A Go expression, as far as the provider's schema literals use them. */
export type Expr =
    | { readonly kind: "number"; readonly value: number; readonly line: number }
    | { readonly kind: "string"; readonly value: string; readonly line: number }
    /** An identifier or selector: `true`, `nil`, `schema.TypeInt`, `suppressNodesTableDiffs`. */
    | { readonly kind: "name"; readonly name: string; readonly line: number }
    | { readonly kind: "call"; readonly fn: string; readonly args: readonly Expr[]; readonly line: number }
    /** A composite literal: `schema.Schema{...}`, `[]string{...}`, `map[string]*schema.Schema{...}`. */
    | { readonly kind: "literal"; readonly type: string; readonly elements: readonly Element[]; readonly line: number }
    | { readonly kind: "address"; readonly of: Expr; readonly line: number };

export interface Element {
    readonly key?: Expr;
    readonly value: Expr;
}

/** Reads tokens front to back; every method throws with the line when the input is not what it expects. */
export class Parser {
    private i: number;

    constructor(
        private readonly tokens: readonly Token[],
        start = 0,
    ) {
        this.i = start;
    }

    get position(): number {
        return this.i;
    }

    peek(offset = 0): Token | undefined {
        return this.tokens[this.i + offset];
    }

    next(): Token {
        const t = this.tokens[this.i++];
        if (t === undefined) throw new Error("unexpected end of file");
        return t;
    }

    is(text: string, offset = 0): boolean {
        const t = this.peek(offset);
        return t !== undefined && t.kind !== "string" && t.text === text;
    }

    expect(text: string): Token {
        const t = this.next();
        if (t.kind === "string" || t.text !== text) throw new Error(`line ${t.line}: expected '${text}', found '${t.text}'`);
        return t;
    }

    ident(): string {
        const t = this.next();
        if (t.kind !== "ident") throw new Error(`line ${t.line}: expected a name, found '${t.text}'`);
        return t.text;
    }

    /** `a`, `a.b`, `*a.b`, `[]a`, `map[a]b`: a type as written. */
    typeName(): string {
        if (this.is("*")) {
            this.next();
            return `*${this.typeName()}`;
        }
        if (this.is("[")) {
            this.next();
            this.expect("]");
            return `[]${this.typeName()}`;
        }
        if (this.is("map")) {
            this.next();
            this.expect("[");
            const key = this.typeName();
            this.expect("]");
            return `map[${key}]${this.typeName()}`;
        }
        let name = this.ident();
        while (this.is(".")) {
            this.next();
            name += `.${this.ident()}`;
        }
        return name;
    }

    expression(): Expr {
        const t = this.peek();
        if (t === undefined) throw new Error("unexpected end of file");
        if (t.kind === "punct" && t.text === "&") {
            this.next();
            return { kind: "address", of: this.expression(), line: t.line };
        }
        if (t.kind === "punct" && t.text === "-") {
            this.next();
            const n = this.expression();
            if (n.kind !== "number") throw new Error(`line ${t.line}: '-' before something that is not a number`);
            return { ...n, value: -n.value };
        }
        if (t.kind === "number") {
            this.next();
            const value = Number(t.text.replace(/_/g, ""));
            if (!Number.isFinite(value)) throw new Error(`line ${t.line}: cannot read the number ${t.text}`);
            return { kind: "number", value, line: t.line };
        }
        if (t.kind === "string") {
            this.next();
            return { kind: "string", value: t.value, line: t.line };
        }
        if (t.kind === "punct" && t.text !== "[" && t.text !== "*") throw new Error(`line ${t.line}: unexpected '${t.text}'`);
        const type = this.typeName();
        if (this.is("(")) return { kind: "call", fn: type, args: this.list("(", ")").map((e) => e.value), line: t.line };
        if (this.is("{")) return { kind: "literal", type, elements: this.list("{", "}"), line: t.line };
        return { kind: "name", name: type, line: t.line };
    }

    /** `( a, b )` or `{ k: v, ... }`, trailing comma allowed. */
    private list(open: string, close: string): Element[] {
        this.expect(open);
        const elements: Element[] = [];
        while (!this.is(close)) {
            const first = this.expression();
            if (this.is(":")) {
                this.next();
                elements.push({ key: first, value: this.expression() });
            } else {
                elements.push({ value: first });
            }
            if (!this.is(",")) break;
            this.next();
        }
        this.expect(close);
        return elements;
    }
}

// ---------------------------------------------------------------------------------------------------
// Type declarations

/** A field of a Go struct: its Go name, its type (a name, or an anonymous struct) and its JSON name. */
export interface GoField {
    readonly name: string;
    readonly type: GoType;
    readonly json?: string;
    readonly line: number;
}

export type GoType = { readonly kind: "named"; readonly name: string } | { readonly kind: "struct"; readonly fields: readonly GoField[] };

/** The `type` declarations of a Go file: structs by name, and slice types by name (their element type). */
export interface GoTypes {
    readonly structs: ReadonlyMap<string, readonly GoField[]>;
    readonly slices: ReadonlyMap<string, string>;
}

/** Reads every top-level `type X struct {...}` and `type X []Y`; skips everything else. */
export function goTypes(source: string): GoTypes {
    const tokens = tokenize(source);
    const structs = new Map<string, GoField[]>();
    const slices = new Map<string, string>();
    let depth = 0;
    for (let i = 0; i < tokens.length; i++) {
        const t = tokens[i];
        if (t.kind === "punct" && (t.text === "{" || t.text === "(")) depth++;
        else if (t.kind === "punct" && (t.text === "}" || t.text === ")")) depth--;
        else if (depth === 0 && t.kind === "ident" && t.text === "type") {
            const p = new Parser(tokens, i + 1);
            const name = p.ident();
            if (p.is("struct")) {
                p.next();
                structs.set(name, structFields(p));
            } else if (p.is("[")) {
                slices.set(name, p.typeName().slice(2));
            }
            i = p.position - 1;
        }
    }
    return { structs, slices };
}

/** `{ Name Type `tag` ... }` after `struct`; embedded fields have no separate name. */
function structFields(p: Parser): GoField[] {
    p.expect("{");
    const fields: GoField[] = [];
    while (!p.is("}")) {
        const start = p.peek()!;
        let name: string;
        let type: GoType;
        // `Name Type` or an embedded `Type` (followed directly by a tag or a new line's field).
        const embedded = p.peek(1)?.kind === "string" || (p.is("*") && p.peek(2)?.kind !== "ident");
        if (embedded) {
            const typeName = p.typeName();
            name = typeName.replace(/^\*/, "");
            type = { kind: "named", name: typeName };
        } else {
            name = p.ident();
            if (p.is("struct")) {
                p.next();
                type = { kind: "struct", fields: structFields(p) };
            } else {
                type = { kind: "named", name: p.typeName() };
            }
        }
        let json: string | undefined;
        const tag = p.peek();
        if (tag?.kind === "string") {
            p.next();
            json = /json:"([^",]*)/.exec(tag.value)?.[1];
        }
        fields.push({ name, type, json, line: start.line });
    }
    p.expect("}");
    return fields;
}
