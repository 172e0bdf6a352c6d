// The examples the README and docs/ show, taken from the files themselves, so that tests run what a
// reader would copy.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR } from "../scripts/render";

/** The fenced block (of `lang`) that follows the first line of `file` containing `marker`. */
export function docBlock(file: string, marker: string, lang = "yaml"): string {
    const text = fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");
    const at = text.indexOf(marker);
    assert.ok(at >= 0, `${file} has no '${marker}'`);
    const block = new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(text.slice(at));
    assert.ok(block, `no ${lang} block after '${marker}' in ${file}`);
    return block[1];
}

/** The stack file `Pulumi.shop.yaml` that docs/configuration.md shows whole. */
export const SHOP_STACK = () => docBlock("docs/configuration.md", "A whole stack file, `Pulumi.shop.yaml`");

/** A project directory with this project's Pulumi.yaml and one stack file. */
export function projectWith(stack: string, text: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-docs-"));
    fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
    return dir;
}

/** The user-facing documents: the README, docs/ and the READMEs of config/. */
export function docFiles(): string[] {
    const inDir = (dir: string, only?: string) =>
        fs.readdirSync(path.join(PROJECT_DIR, dir), { recursive: true, encoding: "utf8" })
            .filter((f) => f.endsWith(".md") && (only === undefined || path.basename(f) === only))
            .map((f) => path.join(dir, f));
    return ["README.md", ...inDir("docs"), ...inDir("config", "README.md")].sort();
}

/** The command lines of a document's bash blocks, without their comments. */
export function docCommands(file: string): string[] {
    const text = fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");
    return [...text.matchAll(/```bash\n([\s\S]*?)```/g)]
        .flatMap((m) => m[1].split("\n"))
        .map((line) => line.replace(/\s+#.*$/, "").trim())
        .filter((line) => line !== "" && !line.startsWith("#"));
}

/** The README's render: one file per object in a git-ignored folder, which kubectl apply -f takes as it is (tests/cluster/readmeRender.cluster.test.ts). */
export const README_RENDER = "npm run render -- --stack dev --out rendered/dev";

/** The README's commands. */
export const readmeCommands = () => docCommands("README.md");

/** Splits a command line into words as bash does for the simple cases the docs use: quotes, no expansions. */
export function shellWords(line: string): string[] {
    const words: string[] = [];
    for (const m of line.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3]);
    return words;
}
