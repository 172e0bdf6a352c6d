// Input that is merely odd must not surprise: names at their length limits, Unicode, empty maps, YAML
// anchors, tabs, a top-level list, and the same configuration always giving the same bytes.
// (Duplicate YAML keys: tests/documents.test.ts; a 2 MiB TrafficScript file: tests/sharding.test.ts.)
import * as assert from "assert";
import { DocumentError } from "../vtm/documents";
import { MAX_BACKEND_NAME_LENGTH, MAX_NAME_LENGTH } from "../settings/naming";
import { Recorder } from "../scripts/mockRuntime";
import { render, toYaml } from "../scripts/render";
import { configWith, find, renderDev, renderRefused, validateSchema, vtmObject } from "./helpers";


async function documentProblems(configDir: string): Promise<string[]> {
    const recorder = new Recorder();
    let problems: readonly string[] = [];
    await render({ stack: "dev", configDir }, recorder).then(
        () => assert.fail("the configuration was accepted"),
        (err) => {
            assert.ok(err instanceof DocumentError, String(err));
            problems = err.problems;
        },
    );
    assert.deepStrictEqual(recorder.resources, []);
    return problems.map((p) => p.replace(/^.*?config\//, "config/"));
}

describe("odd input: names at their length limits", () => {
    it("the longest name prefix, backend name and service name render valid objects", async () => {
        const name = "v" + "x".repeat(MAX_NAME_LENGTH - 1);
        const backend = "b" + "y".repeat(MAX_BACKEND_NAME_LENGTH - 1);
        const service = "s" + "z".repeat(13) + "1";
        const r = await renderDev({
            name,
            "backend.name": backend,
            services: JSON.stringify({ [service]: { port: 8080, pool: "example-pool" } }),
        });
        for (const o of r.objects) {
            validateSchema(o);
            assert.ok(o.metadata.name.length <= 253);
        }
        assert.strictEqual(find(r.objects, "Service", `${name}-admin-services`).metadata.name.length, 63);
        assert.strictEqual(find(r.objects, "Service", `${backend}-backend-service`).metadata.name.length, 63);
        assert.strictEqual(find(r.objects, "Service", `${name}-services`).spec.ports[0].name, service);
    });

    it("one character more is refused with the limit named", async () => {
        const { message } = await renderRefused({ name: "v" + "x".repeat(MAX_NAME_LENGTH), "backend.name": "b" + "y".repeat(MAX_BACKEND_NAME_LENGTH) });
        assert.match(message, new RegExp(`  - name: 'vx{${MAX_NAME_LENGTH}}' is not a DNS-1035 label of at most ${MAX_NAME_LENGTH} characters`));
        assert.match(message, new RegExp(`backend\\.name: 'by{${MAX_BACKEND_NAME_LENGTH}}' is not a DNS-1035 label of at most ${MAX_BACKEND_NAME_LENGTH} characters`));
    });

    it("a frontend Service whose name would pass 63 characters is refused, naming the service", async () => {
        const name = "v" + "x".repeat(MAX_NAME_LENGTH - 1);
        const { message, recorder } = await renderRefused({ name, services: '{"abcdefghijklmno": {"port": 80, "pool": "discard", "frontend": {}}}' });
        assert.ok(
            message.includes(`services.abcdefghijklmno: its Service name '${name}-abcdefghijklmno' is longer than 63 characters; use a shorter service name or name prefix`),
            message,
        );
        assert.deepStrictEqual(recorder.resources, []);
    });
});

describe("odd input: Unicode", () => {
    const RULE = "# Grüße, 你好, 🚀\nhttp.setResponseHeader( \"X-Greeting\", \"Grüße 🚀\" );\n";
    const DOC = "version: 6.2\npools:\n- name: café\n  properties:\n    basic: {note: \"Ünïcödé ✓ — 日本語\", monitors: [Ping]}\n";

    it("rules and documents with Unicode pass through byte for byte", async () => {
        const configDir = configWith({ "rules/Greeting.trafficscript": RULE, "documents/50-unicode.yaml": DOC });
        const r = await renderDev({ services: '{"web": {"port": 80, "pool": "café", "requestRules": ["Greeting"]}}' }, { configDir });
        assert.strictEqual(find(r.objects, "ConfigMap", "vtm-extra-data").data["Greeting.trafficscript"], RULE);
        assert.strictEqual(find(r.objects, "ConfigMap", "vtm-config").data["50-unicode.yaml"], DOC);
        assert.strictEqual(vtmObject(r.objects, "pools", "café").properties.basic.note, "Ünïcödé ✓ — 日本語");
    });

    it("a Unicode value in a setting is shown in the message as given", async () => {
        const { message } = await renderRefused({ exposure: "Knotenport-ü" });
        assert.ok(message.includes("exposure: 'Knotenport-ü' is not one of NodePort, LoadBalancer, HostNetwork"), message);
    });
});

describe("odd input: empty maps", () => {
    it("no services and no pools: the traffic manager alone", async () => {
        const r = await renderDev({ services: "{}", pools: "{}", nodeSelector: "{}", extraEnv: "{}", affinity: "{}" });
        for (const o of r.objects) validateSchema(o);
        const spec = find(r.objects, "Deployment", "vtm").spec.template.spec;
        assert.deepStrictEqual([spec.nodeSelector, spec.affinity], [undefined, undefined]);
        assert.strictEqual(r.objects.some((o) => o.kind === "Service" && o.metadata.name === "vtm-services"), false);
    });

    it("no pools while a service still names one: refused, saying what is defined", async () => {
        const { message } = await renderRefused({ pools: "{}" });
        assert.ok(message.includes("services.example-service.pool: 'example-pool' is not a pool (defined: builtin_dns, discard)"), message);
    });
});

describe("odd input: YAML documents", () => {
    it("anchors, aliases and merge keys are resolved before validation, and the text kept as written", async () => {
        const doc =
            "version: 6.2\n" +
            "x-defaults: &defaults {enabled: true, protocol: http, pool: example-pool}\n" +
            "virtual_servers:\n" +
            "- name: a\n  properties:\n    basic:\n      <<: *defaults\n      port: 8081\n" +
            "- name: b\n  properties:\n    basic: {<<: *defaults, port: 8082}\n";
        const r = await renderDev({}, { configDir: configWith({ "documents/50-anchors.yaml": doc }) });
        assert.strictEqual(vtmObject(r.objects, "virtual_servers", "b").properties.basic.pool, "example-pool");
        assert.strictEqual(find(r.objects, "ConfigMap", "vtm-config").data["50-anchors.yaml"], doc);
        assert.ok(r.notes.some((n) => /^warning: .*config\/documents\/50-anchors\.yaml: x-defaults: is not a configuration section/.test(n)), r.notes.join("\n"));
    });

    it("a document indented with tabs is refused with the file named", async () => {
        const problems = await documentProblems(configWith({ "documents/50-tabs.yaml": "version: 6.2\npools:\n\t- name: a\n" }));
        assert.strictEqual(problems.length, 1);
        assert.match(problems[0], /^config\/documents\/50-tabs\.yaml: is not valid YAML or JSON: .*tab/s);
    });

    it("a tab inside a quoted value is just text", async () => {
        const r = await renderDev({}, { configDir: configWith({ "documents/50-tab-value.yaml": 'version: 6.2\npools:\n- name: t\n  properties: {basic: {note: "a\\tb"}}\n' }) });
        assert.strictEqual(vtmObject(r.objects, "pools", "t").properties.basic.note, "a\tb");
    });

    it("a top-level list is refused: a document is a mapping of sections", async () => {
        const problems = await documentProblems(configWith({ "documents/50-list.yaml": "- version: 6.2\n- pools: []\n" }));
        assert.deepStrictEqual(problems, ["config/documents/50-list.yaml: is not a mapping of sections (found a list)"]);
    });

    it("an empty document is refused, not skipped", async () => {
        const problems = await documentProblems(configWith({ "documents/50-empty.yaml": "# nothing yet\n" }));
        assert.deepStrictEqual(problems, ["config/documents/50-empty.yaml: is not a mapping of sections (found nothing)"]);
    });
});

describe("determinism", () => {
    // The one thing a render makes up anew each time is the password it generates.
    const mock = { password: () => "Generated-The-Same-1" };
    const STACKS: [string, Record<string, string>][] = [
        ["prod", { registryPassword: "x-registry-token", imageDigest: `sha256:${"f".repeat(64)}` }],
        ["dev", { services: '{"b": {"port": 81, "pool": "discard"}, "a": {"port": 80, "pool": "example-pool", "frontend": {}}}', replicas: "3" }],
    ];
    for (const [stack, set] of STACKS) {
        it(`the ${stack} stack renders byte-identical manifests twice`, async () => {
            const first = toYaml((await render({ stack, set, mock })).objects);
            const second = toYaml((await render({ stack, set, mock })).objects);
            assert.ok(first.length > 1000);
            assert.strictEqual(first, second);
        });
    }

    it("the order in which services are written does not change the manifests", async () => {
        const one = toYaml((await render({ stack: "dev", set: { services: '{"a": {"port": 80, "pool": "discard"}, "b": {"port": 81, "pool": "discard"}}' }, mock })).objects);
        const two = toYaml((await render({ stack: "dev", set: { services: '{"b": {"port": 81, "pool": "discard"}, "a": {"port": 80, "pool": "discard"}}' }, mock })).objects);
        assert.strictEqual(one, two);
    });
});
