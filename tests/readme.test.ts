// The README's examples work as written: its stack files render, and every object they make is valid.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR, render } from "../scripts/render";
import { fakeCluster } from "./fakeCluster";
import { find, outputValue, validateSchema, vtmObject } from "./helpers";

const README = fs.readFileSync(path.join(PROJECT_DIR, "docs", "configuration.md"), "utf8");

/** The YAML block that follows a line of the configuration reference containing `marker`. */
export function readmeBlock(marker: string): string {
    const at = README.indexOf(marker);
    assert.ok(at >= 0, `README has no '${marker}'`);
    const block = /```yaml\n([\s\S]*?)```/.exec(README.slice(at));
    assert.ok(block, `no yaml block after '${marker}'`);
    return block[1];
}

/** A project directory with this Pulumi.yaml and one stack file. */
export function projectWith(stack: string, text: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-readme-"));
    fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
    return dir;
}

describe("README examples", () => {
    it("the services and pools stack file (Pulumi.shop.yaml) renders HTTP, HTTPS and UDP services over several pools", async () => {
        const projectDir = projectWith("shop", readmeBlock("A whole stack file, `Pulumi.shop.yaml`"));
        const r = await render({ stack: "shop", projectDir, includeSecrets: true, cluster: fakeCluster(), mock: { simulateCluster: true } });
        for (const o of r.objects) validateSchema(o);
        assert.deepStrictEqual(Object.keys(outputValue(r, "serviceEndpoints") as object).sort(), ["api", "dns", "secure", "web"]);
        assert.strictEqual(vtmObject(r.objects, "virtual_servers", "secure").properties.ssl.server_cert_default, "shop-tls");
        assert.strictEqual(find(r.objects, "Service", "vtm-services").spec.ports.find((p: any) => p.name === "dns").protocol, "UDP");
        assert.strictEqual(find(r.objects, "Service", "vtm-api").spec.type, "LoadBalancer");
        assert.strictEqual(r.objects.some((o) => o.metadata.name === "example-application-deployment"), false);
    });
});
