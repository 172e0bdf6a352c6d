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
