// Configuration documents and data under config/ are checked when loaded, so a broken one stops
// the program with the file and object named, before anything is deployed.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CONFIG_DIR, DocumentError, checkDocument, fileRefs, parseDocument } from "../components/documents";
import { dnsDiscoveryArgs, loadDataFiles, loadExampleService, withDiscovery } from "../components/exampleService";
import { healthcheckPort } from "../components/foundation";
import { Recorder } from "../scripts/mockRuntime";
import { render } from "../scripts/render";

function problemsOf(text: string): readonly string[] {
    try {
        parseDocument(text, "config/test.yaml");
        return [];
    } catch (err) {
        assert.ok(err instanceof DocumentError, String(err));
        return err.problems;
    }
}

describe("configuration documents", () => {
    it("accepts every document shipped under config/", () => {
        const files = ["base/00-vtm-base-config.yaml", "base/00-vtm-healthcheck-config.yaml", "example-service.yaml"];
        for (const f of files) assert.deepStrictEqual(problemsOf(fs.readFileSync(path.join(CONFIG_DIR, f), "utf8")), [], f);
    });

    it("names the file and object of each problem", () => {
        assert.deepStrictEqual(problemsOf("version: 6.2\nvirtual_servers: {name: web}\n"), ["config/test.yaml: virtual_servers: is not a list of objects"]);
        assert.deepStrictEqual(problemsOf("virtual_servers: []\n"), ["config/test.yaml: version: undefined is not an API version number such as 6.2"]);
        assert.deepStrictEqual(problemsOf("version: 6.2\npools:\n- name: web\n  properties: {}\n- name: web\n  properties: {}\n"), [
            "config/test.yaml: pools[1]: 'web' is defined twice",
        ]);
        assert.deepStrictEqual(problemsOf("version: 6.2\npools:\n- properties: {}\n"), ["config/test.yaml: pools[0]: has no name"]);
        assert.deepStrictEqual(problemsOf("version: 6.2\nrules:\n- name: r\n  content: {valueFrom: {}}\n"), [
            "config/test.yaml: rules[0] 'r': content is neither text nor valueFrom.fileRef.name",
        ]);
        assert.deepStrictEqual(problemsOf("version: 6.2\nmonitors:\n- name: m\n"), ["config/test.yaml: monitors[0] 'm': properties is not a mapping of property groups"]);
        assert.deepStrictEqual(problemsOf("version: 6.2\nglobal_settings: {java: {enabled: false}}\n"), ["config/test.yaml: global_settings: has no properties mapping"]);
        assert.deepStrictEqual(problemsOf("- version: 6.2\n"), ["config/test.yaml: is not a mapping of sections (found a list)"]);
    });

    it("reports YAML syntax errors with the file", () => {
        const [problem] = problemsOf("version: 6.2\nvirtual_servers:\n  - name: [unclosed\n");
        assert.match(problem, /^config\/test\.yaml: is not valid YAML or JSON: /);
    });

    it("lists every problem of a document at once", () => {
        assert.strictEqual(problemsOf("pools: 1\nrules: 2\n").length, 3);
        assert.strictEqual(checkDocument({ version: 6.2 }, "x").length, 0);
    });

    it("finds the file references as the importer resolves them", () => {
        const doc = parseDocument("version: 6.2\nrules:\n- name: a\n  content: {valueFrom: {fileRef: {name: data/a}}}\nssl:\n  server_keys:\n  - name: k\n    properties: {basic: {public: {valueFrom: {fileRef: {name: tls/x/tls.crt}}}}}\n", "t");
        assert.deepStrictEqual(fileRefs(doc), ["data/a", "tls/x/tls.crt"]);
    });

    it("takes the probe port from the health-check document", () => {
        const doc = parseDocument("version: 6.2\nvirtual_servers:\n- name: hc\n  properties: {basic: {port: 18888}}\n", "config/hc.yaml");
        assert.strictEqual(healthcheckPort({ source: "config/hc.yaml", text: "", document: doc }), 18888);
        const noPort = parseDocument("version: 6.2\nvirtual_servers:\n- name: hc\n  properties: {basic: {}}\n", "config/hc.yaml");
        assert.throws(() => healthcheckPort({ source: "config/hc.yaml", text: "", document: noPort }), /config\/hc\.yaml: the health-check virtual server has no numeric properties\.basic\.port/);
    });
});

describe("the example service's configuration", () => {
    it("fills in discovery only where it is enabled and not given, without changing the loaded document", () => {
        const doc = parseDocument(
            "version: 6.2\npools:\n- name: a\n  properties: {service_discovery: {enabled: true}}\n- name: b\n  properties: {service_discovery: {enabled: true, plugin_args: keep}}\n- name: c\n  properties: {basic: {}}\n",
            "t",
        );
        const done = withDiscovery(doc, dnsDiscoveryArgs("svc", "http")) as any;
        assert.strictEqual(done.pools[0].properties.service_discovery.plugin_args, "--servicename=_http._tcp.svc");
        assert.strictEqual(done.pools[1].properties.service_discovery.plugin_args, "keep");
        assert.strictEqual(done.pools[2].properties.service_discovery, undefined);
        assert.strictEqual((doc as any).pools[0].properties.service_discovery.plugin_args, undefined);
    });

    it("loads every data file under config/data by its name without extension", () => {
        const data = loadDataFiles();
        const files = fs.readdirSync(path.join(CONFIG_DIR, "data"));
        assert.deepStrictEqual(Object.keys(data).sort(), files.map((f) => path.parse(f).name).sort());
        assert.ok(Object.values(data).every((text) => text.length > 0));
    });

    it("takes the exposed port from the example virtual server", () => {
        assert.deepStrictEqual(loadExampleService().virtualServer, { name: "example-service", port: 80 });
    });
});

describe("broken documents stop the program before anything is registered", () => {
    /** A copy of config/ with some files replaced. */
    function brokenConfig(files: Record<string, string>): string {
        const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vtm-config-")), "config");
        fs.cpSync(CONFIG_DIR, dir, { recursive: true });
        for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
        return dir;
    }

    it("reports the problems of every file at once and registers nothing", async () => {
        const configDir = brokenConfig({
            "base/00-vtm-healthcheck-config.yaml": "version: 6.2\nvirtual_servers:\n- name: hc\n  properties: {basic: {port: '19999'}}\n",
            "example-service.yaml": "version: 6.2\nvirtual_servers:\n- name: web\n  properties: {basic: {port: 80}}\nrules:\n- name: r\n  content: {valueFrom: {fileRef: {name: data/missing}}}\n",
        });
        const recorder = new Recorder();
        await assert.rejects(render({ stack: "dev", configDir }, recorder), (err: Error) => {
            assert.ok(err instanceof DocumentError);
            assert.deepStrictEqual(err.problems, [
                "config/base/00-vtm-healthcheck-config.yaml: the health-check virtual server has no numeric properties.basic.port",
                "config/example-service.yaml: valueFrom.fileRef 'data/missing' is not a mounted file (mounted: data/simple-rule)",
            ]);
            return true;
        });
        assert.deepStrictEqual(recorder.resources, []);
    });
});
