// The README's examples work as written: its stack files render, and every object they make is valid.
import * as assert from "assert";
import { render } from "../scripts/render";
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
});
