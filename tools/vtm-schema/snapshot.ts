// A source snapshot: a local git clone (bare or checked out) that must contain the pinned commit.
// Files are read from that commit, never from the work tree, so local edits cannot leak into the
// schema and the same commit always gives the same bytes.
import { spawnSync } from "child_process";

export interface PinnedSource {
    /** owner/name on GitHub, for messages and the README recipe. */
    readonly repository: string;
    readonly tag: string;
    readonly commit: string;
    /** The directory of the API version inside the repository, e.g. "6.2". */
    readonly dir: string;
}

export class Snapshot {
    constructor(
        readonly source: PinnedSource,
        private readonly gitDir: string,
    ) {}

    /** Opens a clone; throws with the recipe when the directory is not a git clone or lacks the commit. */
    static open(source: PinnedSource, dir: string): Snapshot {
        const probe = git(dir, ["rev-parse", "--git-dir"]);
        if (probe.status !== 0) throw new Error(`${dir} is not a git clone of ${source.repository}: ${probe.stderr.trim()}`);
        const found = git(dir, ["rev-parse", "--verify", "--quiet", `${source.commit}^{commit}`]);
        if (found.status !== 0 || found.stdout.trim() !== source.commit) {
            throw new Error(
                `${dir} does not contain commit ${source.commit} (${source.repository} tag ${source.tag}), the snapshot this schema is pinned to; ` +
                    `clone it with: git clone https://github.com/${source.repository} && git -C ${source.repository.split("/")[1]} checkout ${source.commit}`,
            );
        }
        return new Snapshot(source, dir);
    }

    /** The files of the version directory at the pinned commit, sorted. */
    files(): string[] {
        const run = git(this.gitDir, ["ls-tree", "--name-only", `${this.source.commit}:${this.source.dir}`]);
        if (run.status !== 0) throw new Error(`${this.source.repository}@${this.source.commit} has no directory ${this.source.dir}: ${run.stderr.trim()}`);
        return run.stdout.split("\n").filter((f) => f !== "").sort();
    }

    /** A file of the version directory at the pinned commit. */
    read(file: string): string {
        const run = git(this.gitDir, ["show", `${this.source.commit}:${this.source.dir}/${file}`]);
        if (run.status !== 0) throw new Error(`cannot read ${this.source.dir}/${file} at ${this.source.commit}: ${run.stderr.trim()}`);
        return run.stdout;
    }
}

function git(dir: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
    const run = spawnSync("git", ["-C", dir, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (run.error !== undefined) throw new Error(`cannot run git (needed to read the source snapshots): ${run.error.message}`);
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
