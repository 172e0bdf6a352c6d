// vTM versions: the image's tag gives its configuration API version (vtm/releases.yaml) unless apiVersion
// says otherwise; each document is checked with the schema of its own version; a field that only another
// version has is refused by name, with the versions that have it; a process loads only the schemas its
// documents use.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { apiVersionOfImage, imageApiVersion, releaseOfImage, releases } from "../vtm/releases";
import { schemaFor, schemaVersions, versionsHaving } from "../vtm/schemaValidator";
import { validateDocuments } from "../vtm/validation";
import { BASE_DOCUMENTS } from "../vtm/baseDocuments";
import { CONFIG_DIR } from "../vtm/documents";
import { configWith, renderDev, renderRefused, watchedDocuments } from "./helpers";

const ROOT = path.resolve(__dirname, "..");

/** The findings of documents on an image of the given API version, as lines. */
function report(documents: Record<string, unknown>[], apiVersion: number): string[] {
    return validateDocuments(
        documents.map((document, i) => ({ source: `d${i}.yaml`, document })),
        { mountedFiles: new Set(), apiVersion },
    ).map((f) => `${f.severity} ${f.source}: ${[f.section, f.object && `'${f.object}'`, f.field].filter(Boolean).join(" ")}: ${f.message}`);
}

const vs = (version: number, properties: Record<string, unknown>) => ({ version, virtual_servers: [{ name: "web", properties: { basic: { port: 8080, pool: "discard" }, ...properties } }] });

describe("vTM versions: the image's API version", () => {
    it("follows from the tag where it names a release of the table, whatever the registry or suffix", () => {
        assert.deepStrictEqual(
            ["pulsesecure/vtm:18.2", "pulsesecure/vtm:18.3", "pulsesecure/vtm:19.1", "registry.example.com:5000/team/vtm:19.2", "pulsesecure/vtm:21.1", "pulsesecure/vtm:21.4r1", "pulsesecure/vtm:22.7R2", "pulsesecure/vtm:22.7R2-fips", "pulsesecure/vtm:22.1@sha256:" + "0".repeat(64)].map(apiVersionOfImage),
            [6.0, 6.1, 6.2, 7.0, 8.2, 8.3, 8.3, 8.3, 8.3],
        );
        for (const image of ["pulsesecure/vtm", "pulsesecure/vtm:latest", "registry.example.com:5000/vtm", `pulsesecure/vtm@sha256:${"1".repeat(64)}`, "pulsesecure/vtm:17.2", "pulsesecure/vtm:99.1", "pulsesecure/vtm:latest-22.7", "pulsesecure/vtm:22"]) {
            assert.strictEqual(apiVersionOfImage(image), undefined, image);
        }
        assert.strictEqual(releaseOfImage("pulsesecure/vtm:22.7R2"), "22.7");
    });

    it("keeps a table whose every row has an API version we have a schema of, and a source", () => {
        const schemas = schemaVersions();
        for (const row of releases()) {
            assert.ok(schemas.includes(Number(row.api)), `${row.release} → ${row.api}: no vtm/schema/vtm-${row.api}.schema.json`);
            assert.ok(row.source.length > 4, `${row.release}: a source`);
        }
        // Every API version the provider has is some release's.
        assert.deepStrictEqual([...new Set(releases().map((r) => Number(r.api)))], schemas);
    });

    it("takes apiVersion for other tags and digests, and refuses one newer than a known tag's", () => {
        assert.deepStrictEqual(imageApiVersion("pulsesecure/vtm:latest", 8.3), { apiVersion: 8.3 });
        assert.deepStrictEqual(imageApiVersion("pulsesecure/vtm:22.7R2", 6.2), { apiVersion: 6.2 });
        const newer = imageApiVersion("pulsesecure/vtm:19.1", 8.3);
        assert.ok("problem" in newer && /^apiVersion: 8\.3 is newer than 6\.2, the configuration API of image 'pulsesecure\/vtm:19\.1'/.test(newer.problem));
    });

    it("refuses an unknown tag without apiVersion before any resource, naming the key, the value, what is known and the command", async () => {
        const refused = await renderRefused({ image: "pulsesecure/vtm:latest" });
        assert.match(refused.message, /image: 'pulsesecure\/vtm:latest': its tag names no vTM release, so its configuration API version is unknown \(known: 18\.2 → 6\.0, .*22\.x → 8\.3\); set it with: npm run pulumi -- config set apiVersion 8\.3/);
        assert.deepStrictEqual(refused.recorder.resources, []);
        const digest = await renderRefused({ image: `pulsesecure/vtm@sha256:${"2".repeat(64)}` });
        assert.match(digest.message, /image: 'pulsesecure\/vtm@sha256:2+…' \(\d+ characters\): its tag names no vTM release/);
        // With the other settings' problems, in one error.
        const both = await renderRefused({ image: "pulsesecure/vtm:latest", replicas: "0" });
        assert.match(both.message, /^Invalid stack configuration \(2 problems;[^]*replicas: [^]*image: 'pulsesecure\/vtm:latest': its tag names no vTM release/);
        const r = await renderDev({ image: "pulsesecure/vtm:latest", apiVersion: "8.3" });
        for (const [key, doc] of Object.entries(watchedDocuments(r.objects))) assert.strictEqual(doc.version, 8.3, key);
    });
});

describe("vTM versions: a 22.x stack", () => {
    it("renders documents of version 8.3, generated and base alike, that the 8.3 schema accepts", async () => {
        const r = await renderDev({ image: "pulsesecure/vtm:22.7R2" });
        const documents = watchedDocuments(r.objects);
        assert.ok(Object.keys(documents).length >= 3, Object.keys(documents).join(" "));
        for (const [key, doc] of Object.entries(documents)) {
            assert.strictEqual(doc.version, 8.3, key);
            assert.deepStrictEqual(schemaFor(8.3).validate(doc), [], key);
        }
        const base = r.objects.filter((o) => o.kind === "ConfigMap" && ["vtm-base-config", "vtm-healthcheck-config"].includes(o.metadata.name));
        assert.strictEqual(base.length, 2);
        for (const cm of base) {
            const text = cm.data.config as string;
            assert.strictEqual((yaml.load(text) as { version: number }).version, 8.3, cm.metadata.name);
            assert.match(text, /\$schema=\S*vtm-8\.3\.schema\.json/, cm.metadata.name);
            assert.deepStrictEqual(schemaFor(8.3).validate(yaml.load(text)), [], cm.metadata.name);
        }
    });

    it("accepts an 8.3-only field on 8.3 and refuses it on a 19.1 stack, by name, with the version that has it", async () => {
        const caSites = { ssl: { ca_sites: [] } };
        assert.deepStrictEqual(versionsHaving("virtual_servers", "properties.ssl.ca_sites"), [8.3]);
        assert.deepStrictEqual(report([vs(8.3, caSites)], 8.3), []);
        const on191 = report([vs(6.2, caSites)], 6.2);
        assert.strictEqual(on191.length, 1);
        assert.match(on191[0], /^error d0\.yaml: virtual_servers 'web' properties\.ssl\.ca_sites: is not a field of ssl .*; API 8\.3 has it: write the document as version 8\.3 or later on an image with API 8\.3 or later \(this stack's image has 6\.2\)$/);
        // An 8.3 document on a 19.1 image is newer than the image (and its fields are checked with the image's schema).
        const newer = report([vs(8.3, caSites)], 6.2);
        assert.strictEqual(newer[0], "error d0.yaml: version: 8.3 is newer than 6.2, the highest API version the traffic manager image understands");
        assert.match(newer[1], /properties\.ssl\.ca_sites: is not a field of ssl .*API 8\.3 has it/);
        // The same through the program: a 19.1 stack refuses the document before any resource.
        const configDir = configWith({ "documents/50-ca.yaml": yaml.dump(vs(6.2, caSites)) });
        const refused = await renderRefused({}, { configDir });
        assert.match(refused.message, /config\/documents\/50-ca\.yaml: virtual_servers 'web': properties\.ssl\.ca_sites: is not a field of ssl .*API 8\.3 has it/);
        assert.deepStrictEqual(refused.recorder.resources, []);
        const accepted = await renderDev({ image: "pulsesecure/vtm:22.7R2" }, { configDir: configWith({ "documents/50-ca.yaml": yaml.dump(vs(8.3, caSites)) }) });
        assert.ok(accepted.objects.length > 0);
    });

    it("refuses the ssl.admin_cas section (API 8.0 and later) in a 6.2 document, and the UDP buffers of 8.1", () => {
        const adminCas = { version: 6.2, ssl: { admin_cas: [{ name: "ca", content: "PEM" }] } };
        assert.match(report([adminCas], 6.2).join("\n"), /^error d0\.yaml: ssl\.admin_cas: is not a configuration section \(known: ssl\.cas, ssl\.client_keys, ssl\.server_keys, ssl\.ticket_keys\); API 8\.0 to 8\.3 have it: write the document as version 8\.0 or later on an image with API 8\.0 or later \(this stack's image has 6\.2\)$/);
        assert.deepStrictEqual(report([{ ...adminCas, version: 8.3 }], 8.3), []);
        const udp = { udp: { rbuff_size: 65536 } };
        assert.match(report([vs(8.0, udp)], 8.3).join("\n"), /properties\.udp\.rbuff_size: is not a field of udp .*; API 8\.1 to 8\.3 have it: write the document as version 8\.1 or later$/);
        assert.deepStrictEqual(report([vs(8.1, udp)], 8.3), []);
        // The typed check applies in the version that has the field.
        assert.match(report([vs(8.3, { udp: { rbuff_size: "big" } })], 8.3).join("\n"), /properties\.udp\.rbuff_size: 'big' is not a whole number/);
    });

    it("refuses a field 22.x dropped (the timing side-channel switches of 6.x) in an 8.3 document, and keeps it for 6.2", () => {
        const gs = (version: number) => ({ version, global_settings: { properties: { ssl: { prevent_timing_side_channels: true } } } });
        const refused = report([gs(8.3)], 8.3);
        assert.strictEqual(refused.length, 1);
        assert.match(refused[0], /^error d0\.yaml: global_settings properties\.ssl\.prevent_timing_side_channels: is not a field of ssl .*; only API 6\.0 to 6\.2 have it, not 8\.3$/);
        assert.deepStrictEqual(report([gs(6.2)], 8.3), []);
    });

    it("checks each document with its own version's schema in one run", () => {
        const findings = report([vs(6.2, { ssl: { ca_sites: [] } }), vs(8.3, { ssl: { ca_sites: [] } })], 8.3);
        assert.strictEqual(findings.length, 1);
        assert.match(findings[0], /^error d0\.yaml: /);
    });
});

describe("vTM versions: the shipped documents", () => {
    it("writes the base documents with fields every API version has, so any image gets them at its own version", () => {
        for (const file of Object.values(BASE_DOCUMENTS)) {
            const document = yaml.load(fs.readFileSync(path.join(CONFIG_DIR, file), "utf8")) as Record<string, unknown>;
            for (const version of schemaVersions()) assert.deepStrictEqual(schemaFor(version).validate({ ...document, version }), [], `${file} as API ${version}`);
        }
    });

    it("points each shipped document's editor schema comment at the schema of its version", () => {
        const shipped = [...Object.values(BASE_DOCUMENTS).map((f) => path.join(CONFIG_DIR, f))];
        for (const file of shipped) {
            const text = fs.readFileSync(file, "utf8");
            const version = (yaml.load(text) as { version: number }).version;
            const schema = /# yaml-language-server: \$schema=(\S+)/.exec(text)?.[1];
            assert.ok(schema, `${file} has a schema comment`);
            const target = path.resolve(path.dirname(file), schema);
            assert.strictEqual(path.basename(target), `vtm-${version.toFixed(1)}.schema.json`, file);
            assert.ok(fs.existsSync(target), target);
        }
    });
});

describe("vTM versions: a process loads only the schemas its documents use", () => {
    /**
     * The schema versions a fresh process has loaded after planning each stack's configuration in turn
     * (settings read, documents generated, loaded and validated, as `pulumi up` does before registering
     * anything). One process, so what is loaded adds up; modules are loaded before the first plan.
     */
    function loadedAfter(plans: readonly { config: Record<string, string>; configDir: string }[]): number[][] {
        const script =
            "const { configSource, parseSettings } = require('./settings/settings'); const { planConfiguration } = require('./vtm/configuration'); const v = require('./vtm/schemaValidator');" +
            "const prefixed = (c) => Object.fromEntries(Object.entries({ eula: 'accept', ...c }).map(([k, x]) => ['vtm-kubernetes:' + k, x]));" +
            `console.log(JSON.stringify(v.loadedSchemaVersions())); for (const p of ${JSON.stringify(plans)}) { planConfiguration(parseSettings(configSource('vtm-kubernetes', prefixed(p.config), () => false)), p.configDir); console.log(JSON.stringify(v.loadedSchemaVersions())); }`;
        const run = spawnSync(process.execPath, ["-r", "sucrase/register/ts", "-e", script], { cwd: ROOT, encoding: "utf8" });
        assert.strictEqual(run.status, 0, run.stderr);
        return run.stdout.trim().split("\n").filter((l) => l.startsWith("[")).map((l) => JSON.parse(l));
    }

    it("loads none on start, 8.3 alone for a 22.x stack, 6.2 beside it once the stack has a 6.2 document; 6.2 alone for a 19.1 stack", () => {
        const old = configWith({ "documents/50-old.yaml": "version: 6.2\npools: []\n" });
        const image = { image: "pulsesecure/vtm:22.7R2" };
        assert.deepStrictEqual(loadedAfter([{ config: image, configDir: CONFIG_DIR }, { config: image, configDir: old }]), [[], [8.3], [6.2, 8.3]]);
        assert.deepStrictEqual(loadedAfter([{ config: {}, configDir: CONFIG_DIR }]), [[], [6.2]]);
    });
});
