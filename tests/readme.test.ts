// The README's examples work as written: its stack files render, and every object they make is valid.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as semver from "semver";
import * as yaml from "js-yaml";
import { PROJECT_DIR, render } from "../scripts/render";
import { schemaFor } from "../vtm/schemaValidator";
import { SHOP_STACK, projectWith } from "./docExamples";
import { fakeCluster } from "./fakeCluster";
import { find, outputValue, validateSchema, vtmObject } from "./helpers";

describe("README examples", () => {
    it("the services and pools stack file (Pulumi.shop.yaml) renders HTTP, HTTPS and UDP services over several pools", async () => {
        const projectDir = projectWith("shop", SHOP_STACK());
        const r = await render({ stack: "shop", projectDir, includeSecrets: true, cluster: fakeCluster(), mock: { simulateCluster: true } });
        for (const o of r.objects) validateSchema(o);
        assert.deepStrictEqual(Object.keys(outputValue(r, "serviceEndpoints") as object).sort(), ["api", "dns", "secure", "web"]);
        assert.strictEqual(vtmObject(r.objects, "virtual_servers", "secure").properties.ssl.server_cert_default, "shop-tls");
        assert.strictEqual(find(r.objects, "Service", "vtm-services").spec.ports.find((p: any) => p.name === "dns").protocol, "UDP");
        assert.strictEqual(find(r.objects, "Service", "vtm-api").spec.type, "LoadBalancer");
        assert.strictEqual(r.objects.some((o) => o.metadata.name === "example-application-deployment"), false);
    });

    it("every vTM document in the docs passes the schema, and the schema path its comment gives exists", () => {
        const folderReadmes = ["documents", "data"].map((d) => path.join(PROJECT_DIR, "config", d, "README.md"));
        const documents = [...fs.readdirSync(path.join(PROJECT_DIR, "docs")).map((f) => path.join(PROJECT_DIR, "docs", f)), path.join(PROJECT_DIR, "README.md"), ...folderReadmes]
            .flatMap((file) => [...fs.readFileSync(file, "utf8").matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]))
            .filter((text) => /^version: /m.test(text));
        assert.ok(documents.length >= 1);
        for (const text of documents) {
            assert.deepStrictEqual(schemaFor(6.2).validate(yaml.load(text)), [], text);
            const schemaPath = /\$schema=(\S+)/.exec(text)?.[1];
            // Relative to a document under config/documents/.
            if (schemaPath !== undefined) assert.ok(fs.existsSync(path.join(PROJECT_DIR, "config", "documents", schemaPath)), schemaPath);
        }
    });

    it("ships config/documents and config/data, which the docs describe, each explained by a README that is not read as a document or data", async () => {
        for (const dir of ["documents", "data"]) assert.ok(fs.existsSync(path.join(PROJECT_DIR, "config", dir, "README.md")), `config/${dir}/README.md`);
        const r = await render({ stack: "dev" });
        const keys = (name: string) => Object.keys(find(r.objects, "ConfigMap", name).data ?? {});
        assert.deepStrictEqual([...keys("vtm-config"), ...keys("vtm-extra-data")].filter((k) => /readme/i.test(k)), []);
    });

    it("the shipped documents point their editor at the schema, by a path that exists", () => {
        const dir = path.join(PROJECT_DIR, "config", "base");
        for (const file of fs.readdirSync(dir)) {
            const first = fs.readFileSync(path.join(dir, file), "utf8").split("\n")[0];
            const schemaPath = /^# yaml-language-server: \$schema=(\S+)$/.exec(first)?.[1];
            assert.ok(schemaPath !== undefined, `${file} does not start with the yaml-language-server comment`);
            assert.ok(fs.existsSync(path.join(dir, schemaPath)), `${file}: ${schemaPath} does not exist`);
        }
    });
});

describe("README: the Node.js support statement", () => {
    const readme = () => fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
    const stated = () => {
        const m = /\*\*Node\.js (\d+)\.(\d+) or later\*\*/.exec(readme());
        assert.ok(m, "README states a minimum Node.js version");
        return { major: Number(m[1]), text: `${m[1]}.${m[2]}` };
    };

    it("says what package.json's engines and .nvmrc say, and the Node.js running the tests meets it", () => {
        const engines = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")).engines.node;
        assert.strictEqual(engines, `>=${stated().text}`);
        const nvmrc = Number(fs.readFileSync(path.join(PROJECT_DIR, ".nvmrc"), "utf8").trim());
        assert.ok(nvmrc >= stated().major, `.nvmrc ${nvmrc} is older than the README's ${stated().text}`);
        assert.ok(semver.gte(process.versions.node, `${stated().text}.0`), `running ${process.versions.node}`);
    });

    it("asks for no older Node.js than any installed package does, so that npm ci prints no EBADENGINE warning", () => {
        const minimum = `${stated().text}.0`;
        const lock = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package-lock.json"), "utf8"));
        const refusing = Object.entries(lock.packages as Record<string, { engines?: { node?: string } }>)
            .filter(([where, p]) => where !== "" && typeof p.engines?.node === "string")
            .filter(([, p]) => !semver.satisfies(minimum, p.engines!.node!) || !semver.satisfies(`${fs.readFileSync(path.join(PROJECT_DIR, ".nvmrc"), "utf8").trim()}.0.0`, p.engines!.node!))
            .map(([where, p]) => `${where} wants node ${p.engines!.node}`);
        assert.deepStrictEqual(refusing, []);
    });
});
