// The program's own Kubernetes provider takes the user's `kubernetes:*` settings (connection, render
// mode, apply options), and every object carries the recommended labels with a small stable selector.
import * as assert from "assert";
import { RenderResult } from "../scripts/render";
import { renderDev } from "./helpers";

function provider(result: RenderResult): Record<string, unknown> {
    const found = result.recorder.resources.filter((r) => r.type === "pulumi:providers:kubernetes");
    assert.strictEqual(found.length, 1, "one Kubernetes provider");
    return found[0].inputs;
}

describe("Kubernetes provider", () => {
    it("passes the connection settings through", async () => {
        const r = await renderDev({ "kubernetes:context": "kind-vtm", "kubernetes:kubeconfig": "/home/me/.kube/other", "kubernetes:cluster": "kind-vtm" });
        const inputs = provider(r);
        assert.strictEqual(inputs.context, "kind-vtm");
        assert.strictEqual(inputs.kubeconfig, "/home/me/.kube/other");
        assert.strictEqual(inputs.cluster, "kind-vtm");
        assert.strictEqual(inputs.namespace, "default");
    });

    it("passes Pulumi's render mode through, so `pulumi up` writes manifests instead", async () => {
        const r = await renderDev({ "kubernetes:renderYamlToDirectory": "out/manifests" });
        assert.strictEqual(provider(r).renderYamlToDirectory, "out/manifests");
    });

    it("passes the apply options through", async () => {
        const r = await renderDev({ "kubernetes:enableServerSideApply": "false", "kubernetes:upsertExistingObjects": "true" });
        const inputs = provider(r);
        assert.strictEqual(String(inputs.enableServerSideApply), "false");
        assert.strictEqual(String(inputs.upsertExistingObjects), "true");
    });

    it("sets nothing the user did not ask for, besides the namespace and mutable ConfigMaps", async () => {
        const inputs = provider(await renderDev());
        const set = Object.keys(inputs).filter((k) => inputs[k] !== undefined).sort();
        assert.deepStrictEqual(set, ["enableConfigMapMutable", "namespace"]);
    });
});

describe("labels", () => {
    let result: RenderResult;
    before(async () => {
        result = await renderDev();
    });

    it("puts the app.kubernetes.io recommended labels on every object, managed by pulumi", () => {
        for (const o of result.objects) {
            const labels = o.metadata.labels;
            const app = labels.app;
            assert.strictEqual(labels["app.kubernetes.io/instance"], app, `${o.kind}/${o.metadata.name}`);
            assert.strictEqual(labels["app.kubernetes.io/managed-by"], "pulumi");
            assert.strictEqual(labels["app.kubernetes.io/part-of"], "vtm-kubernetes");
            assert.ok(labels["app.kubernetes.io/name"] && labels["app.kubernetes.io/component"], `${o.kind}/${o.metadata.name}`);
        }
    });

    it("selects pods by the seed's app label alone, which no other setting changes", async () => {
        const selectors = (r: RenderResult) =>
            r.objects.flatMap((o) => (o.kind === "Deployment" ? [o.spec.selector.matchLabels] : o.kind === "Service" ? [o.spec.selector] : []));
        for (const selector of selectors(result)) assert.deepStrictEqual(Object.keys(selector), ["app"]);
        const changed = await renderDev({ image: "pulsesecure/vtm:19.2", replicas: "2", exposure: "LoadBalancer" });
        assert.deepStrictEqual(selectors(changed), selectors(result));
    });
});
