// Which vTM release an image is, from its tag, and the known critical advisories against it: the table
// is data (vtm-advisories.json, each advisory with its CVE record), this file only reads and matches it.
import * as fs from "fs";
import * as path from "path";

export interface Advisory {
    readonly id: string;
    readonly cvss: number;
    /** In CISA's Known Exploited Vulnerabilities catalogue. */
    readonly kev: boolean;
    /** What an attacker can do, in a few words, for messages. */
    readonly summary: string;
    /** The releases the CVE record lists as unaffected; every other release is affected. */
    readonly unaffected: readonly string[];
    /** The CVE record, the source of `unaffected`. */
    readonly record: string;
    readonly advisory: string;
}

interface AdvisoryTable {
    /** Releases after this one came after the table was checked: their status is unknown. */
    readonly newestKnownRelease: string;
    readonly advisories: readonly Advisory[];
}

export const ADVISORY_TABLE: AdvisoryTable = JSON.parse(fs.readFileSync(path.join(__dirname, "vtm-advisories.json"), "utf8"));

/** A vTM release as Ivanti numbers them: 19.1, 22.2R1, 22.7R2. */
interface Release {
    readonly text: string;
    readonly parts: readonly [number, number, number];
}

const RELEASE = /^(\d{2})\.(\d{1,2})(?:[rR](\d{1,2}))?$/;

function release(text: string): Release | undefined {
    const m = RELEASE.exec(text);
    return m ? { text, parts: [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] } : undefined;
}

function compare(a: Release, b: Release): number {
    for (let i = 0; i < 3; i++) if (a.parts[i] !== b.parts[i]) return a.parts[i] - b.parts[i];
    return 0;
}

/** The tag of an image reference: after the last ':' of the last path part, before any digest. */
export function imageTag(image: string): string | undefined {
    const name = image.split("@")[0];
    const last = name.slice(name.lastIndexOf("/") + 1);
    const colon = last.indexOf(":");
    return colon < 0 ? undefined : last.slice(colon + 1);
}

/** What the table says of an image: its release, and the advisories against it (all of them when the release is unknown). */
export interface ImageAdvisories {
    /** The release its tag names; undefined when unknown (no tag, a tag that is not a release, or newer than the table). */
    readonly release?: string;
    /** Why the release is unknown, for messages. */
    readonly unknownBecause?: string;
    /** The advisories that affect it, or may (every one when the release is unknown). */
    readonly advisories: readonly Advisory[];
}

export function imageAdvisories(image: string, table: AdvisoryTable = ADVISORY_TABLE): ImageAdvisories {
    const tag = imageTag(image);
    const found = tag === undefined ? undefined : release(tag);
    const newest = release(table.newestKnownRelease)!;
    let unknownBecause: string | undefined;
    if (tag === undefined) unknownBecause = image.includes("@") ? "it names a digest and no tag" : "it has no tag";
    else if (found === undefined) unknownBecause = `its tag '${tag}' is not a vTM release number such as 22.7R2`;
    else if (compare(found, newest) > 0) unknownBecause = `${tag} is newer than the newest release the advisory table knows (${table.newestKnownRelease})`;
    if (unknownBecause !== undefined) return { unknownBecause, advisories: table.advisories };
    // The tag's spelling (22.7r2) does not matter: releases are compared by number.
    const affects = (a: Advisory) => !a.unaffected.some((u) => compare(release(u)!, found!) === 0);
    return { release: found!.text, advisories: table.advisories.filter(affects) };
}

/** "CVE-2024-7593 (CVSS 9.8, in CISA's KEV catalogue: …)": an advisory as messages name it. */
export function describeAdvisory(a: Advisory): string {
    return `${a.id} (CVSS ${a.cvss}${a.kev ? ", in CISA's Known Exploited Vulnerabilities catalogue" : ""}: ${a.summary})`;
}

/** The releases that no advisory of the table affects: what to pick instead. */
export function fixedReleases(table: AdvisoryTable = ADVISORY_TABLE): string[] {
    const [first, ...rest] = table.advisories;
    if (first === undefined) return [];
    return first.unaffected.filter((r) => rest.every((a) => a.unaffected.includes(r)));
}
