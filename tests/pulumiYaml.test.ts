// Pulumi.yaml and the code agree: every key the program reads is declared with its type, default
// and description (the CLI validates and merges them), and each declared default is the code's.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { DEFAULTS } from "../settings/defaults";
import { ConfigSource, configSource, parseSettings } from "../settings/settings";
import { PROJECT_DIR } from "../scripts/render";

interface Declaration {
    type?: string;
    items?: { type: string };
    description?: string;
    default?: unknown;
    secret?: boolean;
    value?: unknown;
}

const project = yaml.load(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as {
    name: string;
    runtime: { name: string; options: Record<string, unknown> };
    main?: string;
    config: Record<string, Declaration>;
};

/** A source over project values, every one secret (so that the secret keys are taken). */
function sourceOf(values: Record<string, string>): ConfigSource {
    return configSource(project.name, Object.fromEntries(Object.entries(values).map(([k, v]) => [`${project.name}:${k}`, v])), () => true);
}

/** The keys parseSettings reads, found by watching it read a configuration. */
function keysRead(values: Record<string, string>): string[] {
    const read = new Set<string>();
    const all = sourceOf(values);
    const src: ConfigSource = { ...all, get: (k) => (read.add(k), all.get(k)) };
    parseSettings(src);
    return [...read].sort();
}

/** A value as the CLI hands a merged default to the program: a string, or JSON for lists and objects. */
const asConfig = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

const TYPE_OF: Record<string, (v: unknown) => boolean> = {
    string: (v) => typeof v === "string",
    integer: (v) => Number.isInteger(v),
    boolean: (v) => typeof v === "boolean",
    array: (v) => Array.isArray(v),
    object: (v) => typeof v === "object" && v !== null && !Array.isArray(v),
};

describe("Pulumi.yaml", () => {
    it("declares exactly the keys the program reads", () => {
        assert.deepStrictEqual(Object.keys(project.config).sort(), keysRead({ eula: "accept" }));
    });

    it("declares each key in the form the Pulumi CLI accepts, with a type, a default and a description", () => {
        for (const [key, decl] of Object.entries(project.config)) {
            assert.deepStrictEqual(
                Object.keys(decl).filter((k) => !["type", "items", "description", "secret", "default", "value"].includes(k)),
                [],
                key,
            );
            assert.ok(decl.type && decl.type in TYPE_OF, `${key}: type ${decl.type}`);
            if (decl.type === "array") assert.ok(decl.items?.type, `${key}: an array needs items.type`);
            assert.ok(TYPE_OF[decl.type](decl.default), `${key}: default ${JSON.stringify(decl.default)} is not a ${decl.type}`);
            assert.ok((decl.description ?? "").length > 10, `${key}: description`);
            // A secret-declared key must always be set (the CLI refuses an unencrypted default).
            assert.notStrictEqual(decl.secret, true, `${key}: optional keys cannot be declared secret`);
        }
    });

    it("declares the code's default for every key", () => {
        for (const [key, decl] of Object.entries(project.config)) {
            assert.deepStrictEqual(decl.default, (DEFAULTS as Record<string, unknown>)[key], key);
        }
    });

    it("gives, through the CLI's merge of its defaults, the same settings as the code's own defaults", () => {
        const merged = Object.fromEntries(Object.entries(project.config).map(([k, d]) => [k, asConfig(d.default)]));
        const fromYaml = parseSettings(sourceOf({ ...merged, eula: "accept" }));
        const fromCode = parseSettings(sourceOf({ eula: "accept" }));
        assert.deepStrictEqual(fromYaml, fromCode);
    });

    it("starts the program through boot.js (sucrase, cached), not the language host's ts-node", () => {
        assert.strictEqual(project.runtime.name, "nodejs");
        assert.strictEqual(project.runtime.options.typescript, false);
        assert.strictEqual(project.runtime.options.nodeargs, "--require ./boot.js");
        assert.strictEqual(project.main, "index.ts");
        const boot = fs.readFileSync(path.join(PROJECT_DIR, "boot.js"), "utf8");
        assert.match(boot, /require\("pirates"\)\.addHook\(transform, \{ exts: \[".ts"\] \}\)/);
        // What boot.js loads at `pulumi up` must be installed by `npm ci --omit=dev` too.
        const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8"));
        for (const dependency of ["sucrase", "pirates"]) assert.ok(pkg.dependencies[dependency], `${dependency} is a dependency`);
    });

    it("has stack files whose keys are all declared", () => {
        const stacks = fs.readdirSync(PROJECT_DIR).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
        assert.ok(stacks.includes("Pulumi.dev.yaml"));
        for (const file of stacks) {
            const stack = yaml.load(fs.readFileSync(path.join(PROJECT_DIR, file), "utf8")) as { config?: Record<string, unknown> };
            for (const key of Object.keys(stack.config ?? {})) {
                const [namespace, name] = key.split(":");
                if (namespace === project.name) assert.ok(name in project.config, `${file}: ${key} is not declared`);
                else assert.strictEqual(namespace, "kubernetes", `${file}: ${key}`);
            }
        }
    });

    it("has the dev stack accept the licence, as the seed's manifests do", () => {
        const dev = yaml.load(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> };
        assert.strictEqual(dev.config[`${project.name}:eula`], "accept");
    });
});
