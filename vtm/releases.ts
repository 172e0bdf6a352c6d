// The image's configuration API version: from its tag where the tag names a vTM release of the table in
// releases.yaml (data, with its sources), else from the apiVersion setting. Worked out before any
// resource is registered; an image the table does not know, without apiVersion, is refused by name.
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { imageTag } from "../settings/advisories";
import { DEFAULTS } from "../settings/defaults";
import { show } from "./text";

/** One row of releases.yaml: a vTM release ("19.1", or "22.x" for every 22 release) and its API version. */
export interface Release {
    readonly release: string;
    readonly api: string;
    readonly source: string;
}

const RELEASES_FILE = path.resolve(__dirname, "releases.yaml");

let table: readonly Release[] | undefined;

/** The table, read once. */
export function releases(): readonly Release[] {
    table ??= (yaml.load(fs.readFileSync(RELEASES_FILE, "utf8")) as { releases: Release[] }).releases;
    return table;
}

/** The release an image reference's tag names ("22.7" for pulsesecure/vtm:22.7R2); undefined for a digest, latest or any other tag. */
export function releaseOfImage(image: string): string | undefined {
    const tag = imageTag(image);
    // 19.1, 21.4r1, 22.7R2, 22.7R2-fips, 19.1.2: the release is the first two numbers.
    return tag === undefined ? undefined : /^(\d+)\.(\d+)(?:[rR]\d+)?(?:[-_.][\w.-]*)?$/.exec(tag)?.slice(1, 3).join(".");
}

/** The table's row for a release: its own, or its major line's ("22.x"). */
export function releaseRow(release: string): Release | undefined {
    const major = release.split(".")[0];
    return releases().find((r) => r.release === release) ?? releases().find((r) => r.release === `${major}.x`);
}

/** The API version an image's tag gives, if the table knows its release. */
export function apiVersionOfImage(image: string): number | undefined {
    const release = releaseOfImage(image);
    const row = release === undefined ? undefined : releaseRow(release);
    return row === undefined ? undefined : Number(row.api);
}

/** The table as one line for messages: "18.2 → 6.0, 18.3 → 6.1, …". */
export function knownReleases(): string {
    return releases()
        .map((r) => `${r.release} → ${r.api}`)
        .join(", ");
}

/** "7.0" for 7: as REST paths and documents spell versions. */
export function versionText(version: number): string {
    return Number.isInteger(version) ? version.toFixed(1) : String(version);
}

/**
 * The image's API version, or the problem that stops the program: the apiVersion setting wins (it may
 * not be newer than what a known tag serves); otherwise the tag's release from the table.
 */
export function imageApiVersion(image: string, apiVersion: number | undefined): { apiVersion: number } | { problem: string } {
    const fromTag = apiVersionOfImage(image);
    const release = releaseOfImage(image);
    if (apiVersion !== undefined) {
        if (fromTag !== undefined && apiVersion > fromTag) {
            return { problem: `apiVersion: ${versionText(apiVersion)} is newer than ${versionText(fromTag)}, the configuration API of image ${show(image)} (vTM ${release}); set ${versionText(fromTag)} or lower, or remove it (npm run pulumi -- config rm apiVersion)` };
        }
        return { apiVersion };
    }
    if (fromTag !== undefined) return { apiVersion: fromTag };
    const newest = releases()[releases().length - 1].api;
    const why = release === undefined ? "its tag names no vTM release" : `vTM ${release} is not in the table of releases`;
    return {
        problem:
            `image: ${show(image)}: ${why}, so its configuration API version is unknown (known: ${knownReleases()}); ` +
            `set it with: npm run pulumi -- config set apiVersion ${newest} (the version the image's REST API serves at /api/tm/<version>)`,
    };
}

/** The default image's API version (pulsesecure/vtm:19.1 → 6.2): what examples and messages show. */
export function defaultApiVersion(): number {
    const version = apiVersionOfImage(DEFAULTS.image);
    if (version === undefined) throw new Error(`the default image ${DEFAULTS.image} is not in vtm/releases.yaml`);
    return version;
}
