// The docs match the repository: every relative link and every path of the repository they name exists
// (README, docs/, config/ READMEs, Pulumi.yaml), and every command of this project they show is one the
// tests run, in process where that is cheap. Commands of other tools (kubectl, git) are the user's own.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR, parseArgs as renderArgs, render } from "../scripts/render";
import { parseArgs as verifyArgs } from "../scripts/verify";
import { parseArgs as recoverArgs } from "../scripts/recover";
import { SHOP_STACK, docCommands, docFiles, projectWith, shellWords } from "./docExamples";

/** The repository's top-level entries: a path in the docs that starts with one is a path of the repository. */
const TOP = fs.readdirSync(PROJECT_DIR).filter((f) => !["node_modules", ".git", ".pulumi-local", "rendered", "out"].includes(f));

/** Paths of the repository a text names in backquotes (or, for Pulumi.yaml, anywhere): templates and globs left out. */
function namedPaths(text: string, anywhere = false): string[] {
    // In running text a path may end a sentence: its full stop is not part of it.
    const candidates = anywhere ? (text.match(/[\w.-]+(\/[\w.-]+)+\/?/g) ?? []).map((p) => p.replace(/\.$/, "")) : [...text.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]);
    return candidates.filter((p) => p.includes("/") && TOP.includes(p.split("/")[0]) && !/[<>*{}]/.test(p));
}

describe("the docs match the repository", () => {
    for (const file of docFiles()) {
        it(`${file}: every relative link and every repository path it names exists`, () => {
            const text = fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");
            const missing: string[] = [];
            for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
                const target = m[1].split("#")[0];
                if (/^[a-z]+:/.test(m[1]) || target === "") continue;
                if (!fs.existsSync(path.resolve(PROJECT_DIR, path.dirname(file), target))) missing.push(`link ${m[1]}`);
            }
            for (const p of namedPaths(text)) if (!fs.existsSync(path.join(PROJECT_DIR, p))) missing.push(`path ${p}`);
            assert.deepStrictEqual(missing, []);
        });
    }

    it("Pulumi.yaml: every repository path it names exists, and no description sends the reader to the README for what is in docs/", () => {
        const text = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8");
        assert.deepStrictEqual(namedPaths(text, true).filter((p) => !fs.existsSync(path.join(PROJECT_DIR, p))), []);
        assert.ok(!/See the README/.test(text), "the reference is docs/configuration.md");
    });
});

/** A stand-in `pulumi` in bash (cheap to start): logs its arguments, answers version and the selected stack. */
function bashPulumi(): { env: NodeJS.ProcessEnv; log: string; cwd: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-docs-pulumi-"));
    const log = path.join(dir, "calls");
    fs.mkdirSync(path.join(dir, "bin"));
    fs.writeFileSync(
        path.join(dir, "bin", "pulumi"),
        `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >> ${log}\n[ "$1" = version ] && echo v3.276.0\n[ "$1 $2" = "stack --show-name" ] && exit 255\nexit 0\n`,
        { mode: 0o755 },
    );
    // What redirections in the docs read (`< license.lic`), in the folder the commands are typed in.
    fs.writeFileSync(path.join(dir, "license.lic"), "licence\n");
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PULUMI_")));
    return { env: { ...clean, PATH: `${path.join(dir, "bin")}:/usr/bin:/bin`, VTM_LOCAL_DIR: path.join(dir, "local") }, log, cwd: dir };
}

/** What package.json's scripts run for npm run deploy and npm run pulumi. */
const SCRIPTS = (JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

describe("every command the docs show is one the tests run", function () {
    this.timeout(120_000);
    const shop = projectWith("shop", SHOP_STACK());

    for (const file of docFiles().filter((f) => f !== "README.md")) {
        for (const line of docCommands(file)) {
            it(`${file}: ${line}`, async () => {
                for (const command of line.split(" && ")) await runDocCommand(command, shop);
            });
        }
    }

    async function runDocCommand(command: string, shopDir: string): Promise<void> {
        const words = shellWords(command);
        if (["kubectl", "git"].includes(words[0])) return; // another tool's command, against the user's own cluster or clone
        assert.strictEqual(words[0], "npm", `not a command of this project: ${command}`);
        if (command === "npm ci && npm test" || command === "npm test") return; // CI runs it (tests/readmeCommands.test.ts)
        const silent = words[2] === "-s";
        const [script, ...rest] = words.slice(silent ? 3 : 2);
        const args = rest[0] === "--" ? rest.slice(1) : rest;
        if (script === "render") {
            // Without --out the YAML goes to standard output, where npm's banner would spoil it without -s.
            assert.ok(silent || args.includes("--out"), `${command}: a render to standard output needs npm run -s`);
            const { options } = renderArgs(args);
            await render({ ...options, ...(options.stack === "shop" ? { projectDir: shopDir } : {}) });
        } else if (script === "verify") {
            assert.ok(silent || !args.includes("--json"), `${command}: --json on standard output needs npm run -s`);
            verifyArgs(args); // its flags; tests/readmeCommands.test.ts and tests/verifyCli.test.ts run verify itself
        } else if (script === "recover") {
            recoverArgs(args); // its flags; tests/e2e/interrupted.e2e.test.ts runs it after real kills
        } else if (script === "generate:schema") {
            assert.ok(args.includes("--terraform") && args.includes("--go-vtm"), command); // run by tests/vtmSchema.test.ts with VTM_SCHEMA_* set
        } else if (script === "deploy" || script === "pulumi") {
            assert.strictEqual(SCRIPTS[script], script === "deploy" ? "bash scripts/pulumi-local.sh up --yes" : "bash scripts/pulumi-local.sh");
            const pulumiArgs = script === "deploy" ? ["up", "--yes", ...args] : args;
            const fake = bashPulumi();
            const redirect = pulumiArgs[pulumiArgs.indexOf("<") + 1];
            const words = pulumiArgs.filter((w, i) => w !== "<" && pulumiArgs[i - 1] !== "<");
            const run = spawnSync("bash", [path.join(PROJECT_DIR, "scripts", "pulumi-local.sh"), ...words], {
                cwd: fake.cwd,
                env: fake.env,
                encoding: "utf8",
                input: pulumiArgs.includes("<") ? fs.readFileSync(path.join(fake.cwd, redirect)) : "",
            });
            assert.strictEqual(run.status, 0, run.stderr);
            assert.ok(fs.readFileSync(fake.log, "utf8").split("\n").includes(words.join(" ")), `pulumi ${words.join(" ")} was run`);
        } else {
            assert.fail(`no test knows how to run this command: ${command}`);
        }
    }
});
