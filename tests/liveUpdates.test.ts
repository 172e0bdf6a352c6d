// What a change does to a running stack: a configuration document edit updates the watched ConfigMap
// in place and leaves the Deployment alone (vTM re-imports it live); what vTM reads only at start rolls pods.
import * as assert from "assert";
import { RenderResult } from "../scripts/render";
import { container, find, renderDev } from "./helpers";

const deployment = (r: RenderResult) => find(r.objects, "Deployment", "vtm");
// A deployed stack keeps its generated password in state from one update to the next.
const update = (set: Record<string, string>) => renderDev(set, {}, { password: () => "Generated0nceKeptInState" });

describe("live configuration updates", () => {
    let base: RenderResult;
    before(async () => {
        base = await update({ "backend.enabled": "false", pools: '{"example-pool": {"serviceName": "shop"}}' });
    });

    it("the program's Kubernetes provider updates ConfigMaps in place instead of replacing them", () => {
        const provider = base.recorder.resources.find((r) => r.type === "pulumi:providers:kubernetes")!;
        // Provider inputs reach the engine as strings.
        assert.strictEqual(String(provider.inputs.enableConfigMapMutable), "true");
    });

    it("every Kubernetes object is managed through that provider", () => {
        const provider = base.recorder.resources.find((r) => r.type === "pulumi:providers:kubernetes")!;
        const k8s = base.recorder.resources.filter((r) => r.type.startsWith("kubernetes:"));
        assert.ok(k8s.length > 0);
        for (const r of k8s) {
            assert.ok(r.provider?.includes(`pulumi:providers:kubernetes::${provider.name}::`), `${r.type} ${r.name} uses ${r.provider}`);
        }
    });

    it("the watched ConfigMaps keep fixed names, so an edit is an update of the same object", () => {
        for (const name of ["vtm-config", "vtm-extra-data", "vtm-base-config", "vtm-healthcheck-config"]) {
            const cm = base.recorder.resources.find((r) => r.type === "kubernetes:core/v1:ConfigMap" && r.name === name)!;
            assert.strictEqual(cm.inputs.metadata.name, name);
        }
    });

    it("a document edit changes the watched ConfigMap and leaves the Deployment untouched", async () => {
        const edited = await update({ "backend.enabled": "false", pools: '{"example-pool": {"serviceName": "shop-v2"}}' });
        assert.notDeepStrictEqual(find(edited.objects, "ConfigMap", "vtm-config").data, find(base.objects, "ConfigMap", "vtm-config").data);
        assert.deepStrictEqual(deployment(edited), deployment(base));
    });

    it("what vTM reads only at start (image, password) changes the pod template, which rolls the pods", async () => {
        const image = await update({ "backend.enabled": "false", pools: '{"example-pool": {"serviceName": "shop"}}', image: "pulsesecure/vtm:19.2" });
        assert.strictEqual(container(deployment(image)).image, "pulsesecure/vtm:19.2");
        assert.notDeepStrictEqual(deployment(image).spec.template, deployment(base).spec.template);
        const password = await update({ "backend.enabled": "false", pools: '{"example-pool": {"serviceName": "shop"}}', adminPassword: "another-Password-1" });
        assert.notDeepStrictEqual(deployment(password).spec.template, deployment(base).spec.template);
    });

    it("adding a service, a pool or a rule reference is re-imported live: only ConfigMaps and Services change", async () => {
        const more = await update({
            "backend.enabled": "false",
            pools: '{"example-pool": {"serviceName": "shop"}, "api": {"serviceName": "shop-api", "port": 8080}}',
            services: '{"example-service": {"port": 80, "pool": "example-pool"}, "api": {"port": 8080, "pool": "api", "requestRules": ["Response-Headers"]}}',
        });
        assert.notDeepStrictEqual(find(more.objects, "ConfigMap", "vtm-config").data, find(base.objects, "ConfigMap", "vtm-config").data);
        assert.deepStrictEqual(deployment(more), deployment(base));
    });

    it("a new TLS Secret to mount changes the pod's volumes, which rolls the pods", async () => {
        const tls = await update({
            "backend.enabled": "false",
            pools: '{"example-pool": {"serviceName": "shop"}}',
            services: '{"example-service": {"port": 80, "pool": "example-pool", "tlsSecret": "shop-tls"}}',
        });
        assert.notDeepStrictEqual(deployment(tls).spec.template.spec.volumes, deployment(base).spec.template.spec.volumes);
    });
});
