// Each component used alone, with its arguments' defaults: what a program gets from `new X(name, {})`.
import * as assert from "assert";
import { BackendApplication } from "../components/backend";
import { VtmExposure } from "../components/exposure";
import { VtmFoundation } from "../components/foundation";
import { Recorder, runMocked } from "../scripts/mockRuntime";
import { KubeObject, container, find, findAll } from "./helpers";

async function objectsOf(program: () => void): Promise<{ objects: KubeObject[]; recorder: Recorder }> {
    const recorder = new Recorder();
    await runMocked(recorder, { project: "components", stack: "test", config: {}, secretKeys: [] }, program);
    return { objects: recorder.kubernetesObjects(), recorder };
}

describe("VtmFoundation alone", () => {
    it("defaults to the seed's foundation manifest with the admin Service inside the cluster: seed names, empty configuration ConfigMaps", async () => {
        const { objects, recorder } = await objectsOf(() => new VtmFoundation("vtm", {}));
        assert.deepStrictEqual(find(objects, "ConfigMap", "vtm-config").data, {});
        assert.deepStrictEqual(find(objects, "ConfigMap", "vtm-extra-data").data, {});
        assert.ok(find(objects, "ConfigMap", "vtm-base-config").data.config.includes("frontend_check_ips"));
        assert.strictEqual(find(objects, "Service", "vtm-admin-services").spec.type, "ClusterIP");
        const vtm = find(objects, "Deployment", "vtm");
        assert.strictEqual(vtm.metadata.namespace, "default");
        assert.strictEqual(vtm.spec.replicas, 1);
        assert.strictEqual(container(vtm).image, "pulsesecure/vtm:19.1");
        assert.strictEqual(container(vtm).imagePullPolicy, "Always");
        assert.strictEqual(vtm.spec.template.spec.imagePullSecrets, undefined);
        assert.strictEqual(vtm.spec.template.spec.hostNetwork, undefined);
        assert.strictEqual(recorder.resources.filter((r) => r.type === "random:index/randomPassword:RandomPassword").length, 1);
    });

    it("in HostNetwork mode has no admin Service", async () => {
        let foundation: VtmFoundation | undefined;
        const { objects } = await objectsOf(() => (foundation = new VtmFoundation("vtm", { exposure: "HostNetwork" })));
        assert.deepStrictEqual(findAll(objects, "Service"), []);
        assert.strictEqual(foundation!.adminService, undefined);
    });
});

describe("BackendApplication alone", () => {
    it("defaults to the seed's example application", async () => {
        const { objects } = await objectsOf(() => new BackendApplication("example", {}));
        const app = find(objects, "Deployment", "example-application-deployment");
        assert.strictEqual(app.spec.replicas, 2);
        assert.strictEqual(app.spec.template.spec.containers[0].image, "nginxinc/nginx-unprivileged:stable-alpine");
        // No NetworkPolicy unless the clients to admit are named.
        assert.deepStrictEqual(objects.filter((o) => o.kind === "NetworkPolicy"), []);
        const svc = find(objects, "Service", "example-application-backend-service");
        assert.strictEqual(svc.spec.clusterIP, "None");
        assert.strictEqual(svc.spec.ports[0].name, "http");
    });
});

describe("VtmExposure alone", () => {
    const services = [{ name: "web", protocol: "http", port: 8080, pool: "p", requestRules: [], responseRules: [] } as const];

    it("defaults to a NodePort Service for the virtual server's port, selecting the foundation's pods", async () => {
        const { objects } = await objectsOf(() => new VtmExposure("x", { foundation: new VtmFoundation("vtm", {}), services }));
        const svc = find(objects, "Service", "vtm-services");
        assert.strictEqual(svc.spec.type, "NodePort");
        assert.deepStrictEqual(svc.spec.ports, [{ name: "web", port: 8080, targetPort: 8080, protocol: "TCP" }]);
        assert.deepStrictEqual(svc.spec.selector, find(objects, "Deployment", "vtm").spec.selector.matchLabels);
        // The Deployment's wait already sees the pods it selects ready: no second wait of the Service.
        assert.deepStrictEqual(svc.metadata.annotations, { "pulumi.com/skipAwait": "true" });
    });

    it("as a LoadBalancer without options waits 120 s for the address only, and sets no source ranges", async () => {
        const { objects } = await objectsOf(() => new VtmExposure("x", { foundation: new VtmFoundation("vtm", {}), services, mode: "LoadBalancer" }));
        const svc = find(objects, "Service", "vtm-services");
        assert.deepStrictEqual(svc.metadata.annotations, { "pulumi.com/waitFor": "jsonpath={.status.loadBalancer.ingress}", "pulumi.com/timeoutSeconds": "120" });
        assert.strictEqual(svc.spec.loadBalancerSourceRanges, undefined);
    });
});
