// Each exposure mode: the objects it creates or drops, and the endpoint outputs it gives.
import * as assert from "assert";
import { RenderResult, render } from "../scripts/render";
import { KubeObject, allocatedNodePort, container, find, outputValue, renderDev, HOST_NETWORK, ACCEPT_ADMIN_EXPOSURE, selects } from "./helpers";

const NODE = "203.0.113.7";

/** The nodePort the (simulated) API server allocated to a Service port. */
describe("exposure: NodePort (default)", () => {
    let result: RenderResult;
    before(async () => {
        result = await renderDev();
    });

    it("gives the service endpoint as node address and allocated nodePort", () => {
        const nodePort = allocatedNodePort(result, "vtm-services", "example-service");
        assert.strictEqual(outputValue(result, "serviceEndpoint"), `http://${NODE}:${nodePort}`);
        assert.strictEqual(outputValue(result, "serviceNodePort"), nodePort);
    });

    it("gives the admin UI and REST API URLs inside the cluster: the dev stack's admin Service is ClusterIP (npm run admin reaches it)", () => {
        assert.strictEqual(outputValue(result, "adminUrl"), "https://vtm-admin-services.default.svc.cluster.local:9090");
        assert.strictEqual(outputValue(result, "restApiUrl"), "https://vtm-admin-services.default.svc.cluster.local:9070");
    });

    it("gives them through the admin Service's nodePorts when a NodePort admin Service is accepted", async () => {
        const r = await renderDev({ "adminService.type": "NodePort", ...ACCEPT_ADMIN_EXPOSURE });
        assert.strictEqual(outputValue(r, "adminUrl"), `https://${NODE}:${allocatedNodePort(r, "vtm-admin-services", "vtm-webui")}`);
        assert.strictEqual(outputValue(r, "restApiUrl"), `https://${NODE}:${allocatedNodePort(r, "vtm-admin-services", "vtm-restapi")}`);
    });

    it("keeps the pod on the pod network with a rolling update that starts the new pod before stopping the old", () => {
        const vtm = find(result.objects, "Deployment", "vtm");
        assert.strictEqual(vtm.spec.template.spec.hostNetwork, undefined);
        assert.strictEqual(vtm.spec.template.spec.dnsPolicy, undefined);
        assert.deepStrictEqual(vtm.spec.strategy, { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    });

    it("exports the namespace", () => {
        assert.strictEqual(outputValue(result, "namespace"), "default");
    });
});

describe("exposure: LoadBalancer", () => {
    let result: RenderResult;
    let svc: KubeObject;
    before(async () => {
        result = await renderDev({
            exposure: "LoadBalancer",
            "loadBalancer.sourceRanges": '["203.0.113.0/24", "2001:db8::/32"]',
            "loadBalancer.annotations": '{"metallb.universe.tf/address-pool": "public"}',
        });
        svc = find(result.objects, "Service", "vtm-services");
    });

    it("makes vtm-services a LoadBalancer with the given source ranges and annotations", () => {
        assert.strictEqual(svc.spec.type, "LoadBalancer");
        assert.deepStrictEqual(svc.spec.loadBalancerSourceRanges, ["203.0.113.0/24", "2001:db8::/32"]);
        assert.strictEqual(svc.metadata.annotations["metallb.universe.tf/address-pool"], "public");
        assert.ok(selects(svc.spec.selector, find(result.objects, "Deployment", "vtm").spec.template.metadata.labels));
    });

    it("waits for the balancer's address only, at most 120 s by default", () => {
        assert.strictEqual(svc.metadata.annotations["pulumi.com/timeoutSeconds"], "120");
        assert.strictEqual(svc.metadata.annotations["pulumi.com/waitFor"], "jsonpath={.status.loadBalancer.ingress}");
        assert.strictEqual(svc.metadata.annotations["pulumi.com/skipAwait"], undefined);
    });

    it("gives the service endpoint as the balancer's address and the virtual server's port", () => {
        const state = result.recorder.resources.find((r) => r.name === "vtm-services")!.state;
        assert.strictEqual(outputValue(result, "serviceEndpoint"), `http://${state.status.loadBalancer.ingress[0].ip}:80`);
        assert.strictEqual(result.outputs.serviceNodePort?.value, undefined, "serviceNodePort is a NodePort-mode output");
        assert.strictEqual(outputValue(result, "adminUrl"), "https://vtm-admin-services.default.svc.cluster.local:9090");
    });

    it("takes the balancer's host name when it has no IP (cloud balancers)", async () => {
        const r = await renderDev({ exposure: "LoadBalancer" }, {}, { balancerIngress: { hostname: "vtm-123.elb.example.com" } });
        assert.strictEqual(outputValue(r, "serviceEndpoint"), "http://vtm-123.elb.example.com:80");
    });

    it("does not wait at all with timeoutSeconds 0, and says the address is pending until assigned", async () => {
        const noWait = await render({ stack: "dev", set: { exposure: "LoadBalancer", "loadBalancer.timeoutSeconds": "0" } });
        const annotations = find(noWait.objects, "Service", "vtm-services").metadata.annotations;
        assert.deepStrictEqual(annotations, { "pulumi.com/skipAwait": "true" });
        assert.strictEqual(outputValue(noWait, "serviceEndpoint"), "http://<pending-load-balancer-address>:80");
    });

    it("uses another wait when asked", async () => {
        const r = await renderDev({ exposure: "LoadBalancer", "loadBalancer.timeoutSeconds": "45" });
        assert.strictEqual(find(r.objects, "Service", "vtm-services").metadata.annotations["pulumi.com/timeoutSeconds"], "45");
    });
});

describe("exposure: HostNetwork", () => {
    let result: RenderResult;
    let vtm: KubeObject;
    before(async () => {
        result = await renderDev({ ...HOST_NETWORK });
        vtm = find(result.objects, "Deployment", "vtm");
    });

    it("runs the pod on the host network, as the seed's host-networking manifest does", () => {
        const spec = vtm.spec.template.spec;
        assert.strictEqual(spec.hostNetwork, true);
        assert.strictEqual(spec.dnsPolicy, "ClusterFirstWithHostNet");
        assert.deepStrictEqual(container(vtm).securityContext.capabilities.add.slice(0, 2), ["SYS_RESOURCE", "NET_ADMIN"]);
        // One replica on three nodes: the new pod starts on a free node before the old one stops.
        assert.deepStrictEqual(vtm.spec.strategy, { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    });

    it("creates neither the data Service nor the admin Service", () => {
        const services = result.objects.filter((o) => o.kind === "Service").map((o) => o.metadata.name);
        assert.deepStrictEqual(services, ["example-application-backend-service"]);
    });

    it("gives endpoints on the node itself: the virtual server's port and the admin ports", () => {
        assert.strictEqual(outputValue(result, "serviceEndpoint"), `http://${NODE}:80`);
        assert.strictEqual(outputValue(result, "adminUrl"), `https://${NODE}:9090`);
        assert.strictEqual(outputValue(result, "restApiUrl"), `https://${NODE}:9070`);
        assert.strictEqual(result.outputs.serviceNodePort?.value, undefined, "serviceNodePort is a NodePort-mode output");
    });
});
