// Names for messages, in one place for settings and documents alike: sorted the way a reader looks
// for them, and the closest known name to a misspelt one.

/** Names in the order a reader looks for them: ignoring case (so 'Ping' comes before 'POP'), then by code unit, so the order never depends on the locale. */
export function byName(a: string, b: string): number {
    const [x, y] = [a.toLowerCase(), b.toLowerCase()];
    if (x !== y) return x < y ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
}

export function sortedNames(names: Iterable<string>): string[] {
    return [...names].sort(byName);
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
