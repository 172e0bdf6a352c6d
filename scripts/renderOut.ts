// `npm run render -- --out DIR`: one file per object, in apply order, and the folder holds exactly the
// stack just rendered. What an earlier render wrote (listed in the folder's manifest) is removed first;
// a folder holding anything else is refused, so `kubectl apply -f DIR` never applies a mixture.
import * as fs from "fs";
import * as path from "path";

/** The list of files a render wrote, kept in the folder. */
export const MANIFEST = ".vtm-render";

export class OutError extends Error {}

/** The files in `dir` that no earlier render wrote. */
function foreignFiles(dir: string, written: ReadonlySet<string>): string[] {
    return fs.readdirSync(dir).filter((f) => f !== MANIFEST && !written.has(f)).sort();
}

/** Writes `files` (name → text) into `dir`, replacing an earlier render there and nothing else. */
export function writeOut(dir: string, files: ReadonlyMap<string, string>): void {
    if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) {
        throw new OutError(`--out ${dir}: is a file, not a folder; name a folder (it is created if missing)`);
    }
    fs.mkdirSync(dir, { recursive: true });
    const manifest = path.join(dir, MANIFEST);
    // Only plain file names: a manifest edited by hand cannot reach outside the folder.
    const earlier = new Set(fs.existsSync(manifest) ? fs.readFileSync(manifest, "utf8").split("\n").filter((l) => l !== "" && l === path.basename(l) && l !== "..") : []);
    const others = foreignFiles(dir, earlier);
    if (others.length > 0) {
        const shown = others.slice(0, 5).join(", ") + (others.length > 5 ? `, … (${others.length} in all)` : "");
        throw new OutError(`--out ${dir}: holds files no render wrote (${shown}); use an empty folder, or remove them, so that kubectl apply -f ${dir} applies only this stack`);
    }
    for (const file of earlier) fs.rmSync(path.join(dir, file), { force: true });
    // A Secret's file is private: it holds a password (fileName puts the kind in the name).
    for (const [file, text] of files) fs.writeFileSync(path.join(dir, file), text, { mode: /^\d+-secret-/.test(file) ? 0o600 : 0o644 });
    fs.writeFileSync(manifest, [...files.keys()].map((f) => `${f}\n`).join(""));
}
