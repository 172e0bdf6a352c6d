// How validation messages show values and lists of names: values quoted and cut, names sorted the
// way a reader looks for them, long lists capped, and the closest name to a misspelt one.

/** Names in the order a reader looks for them: ignoring case (so 'Ping' comes before 'POP'), then by code unit, so the order never depends on the locale. */
export function byName(a: string, b: string): number {
    const [x, y] = [a.toLowerCase(), b.toLowerCase()];
    if (x !== y) return x < y ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
}

export function sortedNames(names: Iterable<string>): string[] {
    return [...names].sort(byName);
}

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

/** Edits between two names, a swap of neighbours counting as one (optimal string alignment). */
export function editDistance(a: string, b: string): number {
    const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.length][b.length];
}

/** The known names nearest a misspelt one (ignoring case), if any is near enough to be a likely meaning: a third of its letters. */
export function closest(name: string, known: Iterable<string>): string[] {
    const limit = Math.max(1, Math.floor(name.length / 3));
    let best = Infinity;
    let found: string[] = [];
    for (const candidate of known) {
        const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
        if (d > limit || d > best) continue;
        if (d < best) found = [];
        best = d;
        found.push(candidate);
    }
    return sortedNames(found);
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
