// A ConfigMap holds at most 1 MiB. Documents and data that would pass it are spread over several
// ConfigMaps, all projected into the same directory; a single file too big for any is refused.
import * as assert from "assert";
import { DocumentError } from "../vtm/documents";
import { MAX_CONFIGMAP_BYTES, entrySize, shard } from "../vtm/sharding";
import { Recorder } from "../scripts/mockRuntime";
import { render } from "../scripts/render";
import { configWith, find, KubeObject, renderDev, validateSchema } from "./helpers";

const KiB = 1024;


/** A valid document of about `size` bytes: a pool with a long note. */
function bigDocument(name: string, size: number): string {
    return `version: 6.2\npools:\n- name: ${name}\n  properties:\n    basic:\n      note: "${"n".repeat(size)}"\n`;
}

function dataSize(cm: KubeObject): number {
    return Object.entries(cm.data ?? {}).reduce((sum, [k, v]) => sum + entrySize(k, v as string), 0);
}

describe("sharding over the 1 MiB ConfigMap limit", () => {
    it("keeps everything in one ConfigMap while it fits, and starts another only when the next entry would not", () => {
        const problems: string[] = [];
        const entries = { a: "x".repeat(600 * KiB), b: "y".repeat(300 * KiB), c: "z".repeat(200 * KiB) };
        const shards = shard(entries, (k) => k, problems);
        assert.deepStrictEqual(shards.map((s) => Object.keys(s)), [["a", "b"], ["c"]]);
        assert.deepStrictEqual(problems, []);
        assert.deepStrictEqual(shard({}, (k) => k, problems), [{}]);
    });

    it("counts bytes, not characters, and counts the keys", () => {
        assert.strictEqual(entrySize("ké", "€"), 3 + 3);
        const problems: string[] = [];
        // Exactly at the limit fits; one byte more does not.
        assert.strictEqual(shard({ k: "x".repeat(MAX_CONFIGMAP_BYTES - 1) }, (k) => k, problems).length, 1);
        shard({ k: "x".repeat(MAX_CONFIGMAP_BYTES) }, (k) => `file ${k}`, problems);
        assert.deepStrictEqual(problems, ["file k: is 1.00 MiB, more than one ConfigMap can hold (1.00 MiB); split it into smaller files"]);
    });

    it("splits large documents and data over numbered ConfigMaps, all projected into the same directories", async () => {
        const configDir = configWith({
            "documents/50-a.yaml": bigDocument("a", 500 * KiB),
            "documents/51-b.yaml": bigDocument("b", 500 * KiB),
            "documents/52-c.yaml": bigDocument("c", 500 * KiB),
            "data/one.txt": "1".repeat(700 * KiB),
            "data/two.txt": "2".repeat(700 * KiB),
        });
        const r = await renderDev({}, { configDir });
        const configs = ["vtm-config", "vtm-config-2"].map((n) => find(r.objects, "ConfigMap", n));
        const datas = ["vtm-extra-data", "vtm-extra-data-2"].map((n) => find(r.objects, "ConfigMap", n));
        assert.strictEqual(r.objects.some((o) => o.metadata.name === "vtm-config-3"), false);
        for (const cm of [...configs, ...datas]) {
            assert.ok(dataSize(cm) <= MAX_CONFIGMAP_BYTES, `${cm.metadata.name} holds ${dataSize(cm)} bytes`);
            validateSchema(cm);
        }
        // Every file is in exactly one ConfigMap.
        const keys = configs.flatMap((cm) => Object.keys(cm.data));
        assert.deepStrictEqual([...keys].sort(), [...new Set(keys)].sort());
        for (const k of ["50-a.yaml", "51-b.yaml", "52-c.yaml", "30-service-example-service.yaml"]) assert.ok(keys.includes(k), k);
        assert.deepStrictEqual(datas.flatMap((cm) => Object.keys(cm.data)).sort(), ["Response-Headers.trafficscript", "one", "two"]);

        const volumes = find(r.objects, "Deployment", "vtm").spec.template.spec.volumes;
        const names = (volume: string) =>
            volumes.find((v: KubeObject) => v.name === volume).projected.sources.map((s: KubeObject) => s.configMap?.name);
        assert.deepStrictEqual(names("config-volume"), ["vtm-base-config", "vtm-healthcheck-config", "vtm-config", "vtm-config-2"]);
        assert.deepStrictEqual(names("data-volume"), ["vtm-extra-data", "vtm-extra-data-2"]);
    });

    it("refuses one file bigger than a ConfigMap can hold, before anything is registered", async () => {
        const configDir = configWith({ "rules/Huge.trafficscript": `# ${"x".repeat(2 * MAX_CONFIGMAP_BYTES)}\n` });
        const recorder = new Recorder();
        await assert.rejects(render({ stack: "dev", configDir }, recorder), (err: Error) => {
            assert.ok(err instanceof DocumentError);
            assert.deepStrictEqual(
                err.problems.map((p) => p.replace(/^.*?config\//, "config/")),
                ["config/rules/Huge.trafficscript: is 2.00 MiB, more than one ConfigMap can hold (1.00 MiB); split it into smaller files"],
            );
            return true;
        });
        assert.deepStrictEqual(recorder.resources, []);
    });
});
