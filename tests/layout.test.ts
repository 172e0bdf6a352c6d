// The rooms of the code (docs/development.md): data flows one way, settings → vtm → components →
// scripts (what users run) → tools (what maintainers run), and each room imports only from the rooms
// before it. What users run and what maintainers run live apart.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const ROOMS = ["settings", "vtm", "components", "scripts", "tools"];

function sources(dir: string): string[] {
    return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
        const rel = path.join(dir, e.name);
        if (e.isDirectory()) return sources(rel);
        return e.name.endsWith(".ts") ? [rel] : [];
    });
}

/** The rooms a file's relative imports reach, e.g. "../vtm/model" from components/x.ts → vtm. */
function importedRooms(file: string): string[] {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    const specs = [...text.matchAll(/(?:from\s+|require\(|import\()\s*"(\.{1,2}\/[^"]+)"/g)].map((m) => m[1]);
    return specs.map((s) => path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), s)).split(path.sep)[0]);
}

describe("layout: the rooms", () => {
    for (const [i, room] of ROOMS.entries()) {
        it(`${room}/ imports only from itself and the rooms before it (${ROOMS.slice(0, i).join(", ") || "none"})`, () => {
            const allowed = new Set(ROOMS.slice(0, i + 1));
            const wrong = sources(room).flatMap((f) => importedRooms(f).filter((r) => !allowed.has(r)).map((r) => `${f} → ${r}/`));
            assert.deepStrictEqual(wrong, []);
        });
    }

    it("keeps maintainer tools out of scripts/: the schema generator and the bench are in tools/", () => {
        const scripts = sources("scripts");
        assert.deepStrictEqual(scripts.filter((f) => /bench|generate|vtm-schema/.test(f)), []);
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        for (const name of ["bench", "generate:schema"]) {
            const file = String(pkg.scripts[name]).split(" ").find((w) => w.endsWith(".ts"));
            assert.ok(file && file.startsWith("tools/") && fs.existsSync(path.join(ROOT, file)), `npm run ${name}: ${pkg.scripts[name]}`);
        }
    });
});
