// Kubernetes refuses a ConfigMap whose data passes 1 MiB. Rather than fail at apply, the program
// spreads documents and data over as many ConfigMaps as needed, all projected into one directory.

/** The most a ConfigMap's data may hold: its keys and values, in bytes (Kubernetes' own limit). */
export const MAX_CONFIGMAP_BYTES = 1024 * 1024;

/** The data of one ConfigMap, key → text. */
export type Shard = Readonly<Record<string, string>>;

/** The bytes a key and its value count against the limit. */
export function entrySize(key: string, value: string): number {
    return Buffer.byteLength(key, "utf8") + Buffer.byteLength(value, "utf8");
}

function mebibytes(bytes: number): string {
    return `${(bytes / MAX_CONFIGMAP_BYTES).toFixed(2)} MiB`;
}

/**
 * Splits entries over ConfigMaps, filling each in key order before starting the next, so the same
 * entries always land in the same ConfigMaps. Always at least one (the seed's ConfigMap exists even when empty). An entry too big for any ConfigMap is a
 * problem, named by `source`.
 */
export function shard(entries: Readonly<Record<string, string>>, source: (key: string) => string, problems: string[], limit = MAX_CONFIGMAP_BYTES): Shard[] {
    const shards: Record<string, string>[] = [{}];
    let used = 0;
    for (const key of Object.keys(entries).sort()) {
        const size = entrySize(key, entries[key]);
        if (size > limit) {
            problems.push(`${source(key)}: is ${mebibytes(size)}, more than one ConfigMap can hold (${mebibytes(limit)}); split it into smaller files`);
            continue;
        }
        if (used + size > limit) {
            shards.push({});
            used = 0;
        }
        shards[shards.length - 1][key] = entries[key];
        used += size;
    }
    return shards;
}
