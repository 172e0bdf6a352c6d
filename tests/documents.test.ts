// The user's configuration files (documents, rules, data) and the base documents: loaded, checked with
// everything else, placed in the ConfigMaps the traffic manager watches, and refused with the file named.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadConfigFiles } from "../vtm/configFiles";
import { DocumentError, parseDocument } from "../vtm/documents";
import { healthcheckPort } from "../vtm/baseDocuments";
import { Recorder } from "../scripts/mockRuntime";
import { render } from "../scripts/render";
import { configWith, find, KubeObject, renderDev, vtmObject, watchedDocuments } from "./helpers";


/** Renders the dev stack with a config directory and expects it refused; the listed problems. */
async function refusedWith(configDir: string, set: Record<string, string> = {}): Promise<string[]> {
    const recorder = new Recorder();
    let problems: readonly string[] | undefined;
    await render({ stack: "dev", configDir, set }, recorder).catch((err) => {
        assert.ok(err instanceof DocumentError, String(err));
        problems = err.problems;
    });
    assert.ok(problems, "the configuration was accepted");
    assert.deepStrictEqual(recorder.resources, [], "something was registered");
    return [...problems];
}

const WEB_DOCUMENT = `# A virtual server of my own, with an anchor for shared settings.
version: 6.2
virtual_servers:
- name: shop
  properties:
    basic: &basic
      enabled: true
      port: 8088
      protocol: http
      pool: example-pool
      request_rules: [shop-headers]
rules:
- name: shop-headers
  content:
    valueFrom:
      fileRef:
        name: data/shop-banner
`;

describe("configuration files", () => {
    it("reads documents, rules and data from their directories, by file name", () => {
        const dir = configWith({
            "documents/50-shop.yaml": WEB_DOCUMENT,
            "documents/60-extra.json": '{"version": 6.2, "pools": []}',
            "data/shop-banner.txt": "http.setResponseHeader('X-Shop', 'yes');\n",
            "rules/Shop-Rule.trafficscript": "http.redirect('/');\n",
        });
        const files = loadConfigFiles(dir);
        assert.deepStrictEqual(files.documents.map((d) => [d.key, d.source.replace(/^.*config\//, "config/")]), [
            ["50-shop.yaml", "config/documents/50-shop.yaml"],
            ["60-extra.json", "config/documents/60-extra.json"],
        ]);
        assert.deepStrictEqual(files.rules.map((r) => [r.name, r.key]), [
            ["Response-Headers", "Response-Headers.trafficscript"],
            ["Shop-Rule", "Shop-Rule.trafficscript"],
        ]);
        assert.deepStrictEqual(Object.keys(files.data), ["shop-banner"]);
    });

    it("places valid documents in the watched ConfigMap exactly as written, and their data beside the rules", async () => {
        const configDir = configWith({ "documents/50-shop.yaml": WEB_DOCUMENT, "data/shop-banner.txt": "http.setResponseHeader('X-Shop', 'yes');\n" });
        const r = await renderDev({}, { configDir });
        assert.strictEqual(find(r.objects, "ConfigMap", "vtm-config").data["50-shop.yaml"], WEB_DOCUMENT);
        assert.deepStrictEqual(Object.keys(find(r.objects, "ConfigMap", "vtm-extra-data").data), ["Response-Headers.trafficscript", "shop-banner"]);
        assert.strictEqual(vtmObject(r.objects, "virtual_servers", "shop").properties.basic.port, 8088);
    });

    it("reads more documents from the `documents` setting: files and directories, relative to the project", async () => {
        const outside = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-docs-"));
        fs.writeFileSync(path.join(outside, "70-a.yaml"), "version: 6.2\npools:\n- name: a\n  properties: {basic: {monitors: [Ping]}}\n");
        fs.writeFileSync(path.join(outside, "notes.md"), "not a document, skipped in a directory");
        const single = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vtm-doc-")), "80-b.yml");
        fs.writeFileSync(single, "version: 6.2\npools:\n- name: b\n  properties: {}\n");
        const r = await renderDev({ documents: JSON.stringify([outside, path.relative(process.cwd(), single)]) });
        assert.deepStrictEqual(Object.keys(watchedDocuments(r.objects)).filter((k) => /^[78]0-/.test(k)), ["70-a.yaml", "80-b.yml"]);
    });

    it("refuses files it cannot place or read, naming each", async () => {
        const configDir = configWith({
            "documents/notes.txt": "hello",
            "documents/broken.yaml": "version: 6.2\nvirtual_servers:\n  - name: [unclosed\n",
            "documents/dup.yaml": "version: 6.2\nversion: 6.1\n",
            "rules/helper.ts": "export {}",
            "data/a.txt": "1",
            "data/a.json": "2",
        });
        const problems = await refusedWith(configDir, { documents: '["no/such/dir"]' });
        const local = problems.map((p) => p.split(configDir.replace(/config$/, "")).join("").replace(/^.*?config\//, "config/"));
        assert.strictEqual(local.length, 6, local.join("\n"));
        assert.match(local[0], /^documents\[0\]: 'no\/such\/dir' does not exist \(paths are relative to .+\)$/);
        assert.match(local[1], /^config\/documents\/broken\.yaml: is not valid YAML or JSON: .*(unexpected end of the stream|flow collection)/s);
        assert.match(local[2], /^config\/documents\/dup\.yaml: is not valid YAML or JSON: duplicated mapping key/);
        assert.strictEqual(local[3], "config/documents/notes.txt: is not a configuration document (expected a .yaml, .yml, .json file)");
        assert.strictEqual(local[4], "config/rules/helper.ts: is not a rule file (rule files end in .trafficscript)");
        assert.strictEqual(local[5], "config/data/a.txt: gives the same data key 'a' as config/data/a.json");
    });

    it("reports a document that is not YAML together with the problems of the others, and no knock-on missing names", async () => {
        const configDir = configWith({
            "documents/40-broken.yaml": "version: 6.2\npools:\n  - name: [unclosed\n",
            "documents/50-web.yaml": "version: 6.2\nvirtual_servers:\n- name: web\n  properties: {basic: {port: 8080, protocol: htp, pool: from-broken}}\n",
        });
        const problems = await refusedWith(configDir);
        assert.deepStrictEqual(problems.map((p) => p.replace(/^.*?config\//, "config/").replace(/YAML or JSON: [\s\S]*/, "YAML or JSON: …")), [
            "config/documents/40-broken.yaml: is not valid YAML or JSON: …",
            "config/documents/50-web.yaml: virtual_servers 'web': properties.basic.protocol: 'htp' is not one of client_first, dns, dns_tcp, ftp, http, https, imaps, imapv2, imapv3, imapv4, ldap, ldaps, pop3, pop3s, rtsp, server_first, siptcp, sipudp, smtp, ssl, stream, telnet, udp, udpstreaming",
        ]);
    });

    it("reports document, reference and file problems of every file together", async () => {
        const configDir = configWith({
            "base/00-vtm-healthcheck-config.yaml": "version: 6.2\nvirtual_servers:\n- name: hc\n  properties: {basic: {port: '19999', pool: discard}}\n",
            "documents/50-shop.yaml": WEB_DOCUMENT,
        });
        const problems = await refusedWith(configDir, { services: '{"web": {"port": 80, "pool": "webb"}}' });
        assert.deepStrictEqual(problems.map((p) => p.replace(/^.*?config\//, "config/")), [
            "config/base/00-vtm-healthcheck-config.yaml: the health-check virtual server has no numeric properties.basic.port",
        ]);
        const later = await refusedWith(configWith({ "documents/50-shop.yaml": WEB_DOCUMENT }), { services: '{"web": {"port": 80, "pool": "webb"}}' });
        assert.deepStrictEqual(later.map((p) => p.replace(/^.*?config\//, "config/")), [
            "services.web.pool: 'webb' is not a pool (defined: builtin_dns, discard, example-pool)",
            "config/documents/50-shop.yaml: rules 'shop-headers': content: 'data/shop-banner' is not a mounted file (mounted: data/Response-Headers.trafficscript)",
        ]);
    });

    it("takes the probe port from the health-check document", () => {
        const doc = parseDocument("version: 6.2\nvirtual_servers:\n- name: hc\n  properties: {basic: {port: 18888}}\n", "config/hc.yaml");
        assert.strictEqual(healthcheckPort({ source: "config/hc.yaml", text: "", document: doc }), 18888);
    });
});

describe("configuration mounts", () => {
    it("projects existing ConfigMaps and Secrets among the documents and the data, with their items", async () => {
        const r = await renderDev({
            configMounts: '[{"name": "team-vtm-config"}]',
            dataMounts: '[{"name": "team-certs", "type": "secret", "items": [{"key": "ca.pem", "path": "certs/ca.pem"}]}, {"name": "team-data"}]',
        });
        const volumes = find(r.objects, "Deployment", "vtm").spec.template.spec.volumes;
        const sources = (name: string) => volumes.find((v: KubeObject) => v.name === name).projected.sources;
        assert.deepStrictEqual(sources("config-volume").slice(-1), [{ configMap: { name: "team-vtm-config" } }]);
        assert.deepStrictEqual(sources("data-volume").slice(-2), [
            { secret: { name: "team-certs", items: [{ key: "ca.pem", path: "certs/ca.pem" }] } },
            { configMap: { name: "team-data" } },
        ]);
        assert.deepStrictEqual(
            r.notes.filter((n) => n.includes("configMounts")),
            ["warning: configMounts[0]: the documents in configMap 'team-vtm-config' cannot be read before deploy and are not checked"],
        );
    });

    it("resolves file references to mounted items, and only warns about keys no one can list before deploy", async () => {
        const doc = "version: 6.2\nrules:\n- name: ca\n  content: {valueFrom: {fileRef: {name: data/certs/ca.pem}}}\n- name: other\n  content: {valueFrom: {fileRef: {name: data/other}}}\n";
        const configDir = configWith({ "documents/50-refs.yaml": doc });
        const items = '{"name": "team-certs", "type": "secret", "items": [{"key": "ca.pem", "path": "certs/ca.pem"}]}';
        const refused = await refusedWith(configDir, { dataMounts: `[${items}]` });
        assert.deepStrictEqual(refused.map((p) => p.replace(/^.*?config\//, "config/")), [
            "config/documents/50-refs.yaml: rules 'other': content: 'data/other' is not a mounted file (mounted: data/certs/ca.pem, data/Response-Headers.trafficscript)",
        ]);
        const r = await renderDev({ dataMounts: `[${items}, {"name": "team-data"}]` }, { configDir });
        assert.strictEqual(r.notes.filter((n) => n.includes("'data/other'")).length, 1);
    });
});
