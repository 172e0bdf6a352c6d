// How validation messages show values and lists of names: values quoted and cut, names sorted the
// way a reader looks for them, long lists capped, and the closest name to a misspelt one.
import { byName, closest, editDistance, sortedNames } from "../settings/names";

export { byName, closest, editDistance, sortedNames };

const LIST_CAP = 10;

/** Names sorted, the first ten then "… and N more"; "none" when empty. */
export function capped(names: Iterable<string>): string {
    const sorted = sortedNames(names);
    if (sorted.length === 0) return "none";
    const shown = sorted.slice(0, LIST_CAP).join(", ");
    return sorted.length > LIST_CAP ? `${shown}, … and ${sorted.length - LIST_CAP} more` : shown;
}

const SHOW_CAP = 80;

/** A value for a message: strings in single quotes, the rest as JSON, cut after 80 characters. */
export function show(value: unknown): string {
    if (typeof value === "string") {
        const text = value.replace(/\r/g, "\\r").replace(/\n/g, "\\n").replace(/\t/g, "\\t");
        return text.length > SHOW_CAP ? `'${text.slice(0, SHOW_CAP)}…' (${value.length} characters)` : `'${text}'`;
    }
    if (value === undefined) return "nothing";
    let text: string;
    try {
        text = typeof value === "number" || typeof value === "bigint" ? String(value) : (JSON.stringify(value) ?? String(value));
    } catch {
        text = describe(value); // cyclic (YAML aliases)
    }
    return text.length > SHOW_CAP ? `${text.slice(0, SHOW_CAP)}… (${text.length} characters)` : text;
}

export function isMap(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** What a value is, for "found …" in messages. */
export function describe(value: unknown): string {
    if (value === undefined || value === null) return "nothing";
    if (Array.isArray(value)) return "a list";
    if (isMap(value)) return "a mapping";
    if (typeof value === "string") return `the string ${show(value)}`;
    if (typeof value === "number") return `the number ${value}`;
    return `the value ${String(value)}`;
}

/**
 * "(closest: x)" when a known name is near, otherwise "(known: a, b, …)" with every name, or capped at
 * ten when `cap`; `label` shows a name as the message should (a nested section with its parent).
 */
export function knownOrClosest(name: string, known: Iterable<string>, options: { readonly cap?: boolean; readonly label?: (n: string) => string } = {}): string {
    const names = [...known];
    const label = options.label ?? ((n: string) => n);
    const near = closest(name, names);
    if (near.length > 0) return `(closest: ${near.map(label).join(" or ")})`;
    return `(known: ${options.cap ? capped(names.map(label)) : sortedNames(names).map(label).join(", ")})`;
}
