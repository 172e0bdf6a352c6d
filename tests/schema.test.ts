// Every Kubernetes object the program emits, in every mode, validates against the Kubernetes schemas
// (types, enums and required fields from kubernetes-models; field names from the API's own models),
// and every resource has a unique URN, which the mock runtime does not check.
import * as assert from "assert";
import { RenderResult } from "../scripts/render";
import { KubeObject, renderDev, HOST_NETWORK, unknownFields, validateSchema } from "./helpers";

const STACKS: Record<string, Record<string, string>> = {
    "dev (NodePort)": {},
    LoadBalancer: { exposure: "LoadBalancer", "loadBalancer.sourceRanges": '["10.0.0.0/8"]', "loadBalancer.annotations": '{"a.example.com/x": "y"}' },
    "LoadBalancer without waiting": { exposure: "LoadBalancer", "loadBalancer.timeoutSeconds": "0" },
    HostNetwork: { ...HOST_NETWORK },
    "own backend, private registry": {
        "backend.enabled": "false",
        pools: '{"example-pool": {"serviceName": "shop"}}',
        imagePullSecrets: '["regcred"]',
        name: "edge",
        namespace: "traffic",
        replicas: "3",
    },
    "services of every frontend type, TLS, UDP and mounts": {
        services: JSON.stringify({
            web: { port: 8080, pool: "example-pool" },
            tls: { port: 8443, pool: "example-pool", tlsSecret: "web-tls" },
            dns: { protocol: "udp", port: 5353, pool: "discard" },
            lb: { port: 8081, pool: "example-pool", frontend: { type: "LoadBalancer", loadBalancerSourceRanges: ["10.0.0.0/8"], annotations: { x: "y" } } },
            np: { port: 8082, pool: "example-pool", frontend: { nodePort: 30082, port: 82 } },
            internal: { port: 8083, pool: "example-pool", frontend: { type: "ClusterIP" } },
        }),
        configMounts: '[{"name": "more-config", "items": [{"key": "a", "path": "a.yaml"}]}]',
        dataMounts: '[{"name": "more-data", "type": "secret"}]',
    },
    "no services": { services: "{}" },
    "production settings": {
        replicas: "3",
        networkPolicy: '{"enabled": true, "adminCidrs": ["10.0.0.0/8"], "adminNamespaces": ["ops"]}',
        security: '{"dropAllCapabilities": true, "acceptAdminExposure": ["CVE-2024-7593"]}',
        resources: '{"requests": {"cpu": "500m", "memory": "1Gi"}, "limits": {"memory": "2Gi"}}',
        nodeSelector: '{"kubernetes.io/os": "linux"}',
        tolerations: '[{"key": "dedicated", "operator": "Equal", "value": "vtm", "effect": "NoSchedule"}]',
        affinity: '{"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 1, "preference": {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]}}]}}',
        priorityClassName: "vtm-critical",
        extraEnv: '{"ZEUS_PACKAGES": "openjdk-8-jre-headless"}',
        adminService: '{"type": "LoadBalancer", "loadBalancerSourceRanges": ["10.0.0.0/8"], "nodePorts": {"webui": 30990}}',
        registry: '{"server": "registry.example.com", "username": "u"}',
        registryPassword: "token-1",
        imageDigest: `sha256:${"c".repeat(64)}`,
    },
    "production settings on the host network": { ...HOST_NETWORK, replicas: "2", networkPolicy: '{"enabled": true}' },
};

describe("Kubernetes schemas and URNs", () => {
    for (const [stack, set] of Object.entries(STACKS)) {
        describe(stack, () => {
            let result: RenderResult;
            before(async () => {
                result = await renderDev(set);
            });

            it("every object validates against its Kubernetes schema", () => {
                assert.ok(result.objects.length >= 5);
                for (const o of result.objects) validateSchema(o);
            });

            it("every object uses only fields the Kubernetes API knows", () => {
                for (const o of result.objects) {
                    assert.deepStrictEqual(unknownFields(o, `V1${o.kind}`, `${o.kind}/${o.metadata.name}`), []);
                }
            });

            it("every resource has a unique type and name, hence a unique URN", () => {
                const keys = result.recorder.resources.map((r) => `${r.type}::${r.name}`);
                const duplicates = keys.filter((k, i) => keys.indexOf(k) !== i);
                assert.deepStrictEqual(duplicates, []);
                const objects = result.objects.map((o: KubeObject) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);
                assert.strictEqual(new Set(objects).size, objects.length, "two objects with one Kubernetes name");
            });
        });
    }

    it("the schema checks catch what they are for", () => {
        const bad = { apiVersion: "v1", kind: "Service", metadata: { name: "x" }, spec: { type: "Nodeport", ports: [{ port: 80 }] } };
        assert.throws(() => validateSchema(bad), /Service\/x is not valid/);
        assert.deepStrictEqual(unknownFields({ metadata: { name: "x" }, spec: { sessionAfinity: "ClientIP" } }, "V1Service", "Service/x"), ["Service/x.spec.sessionAfinity"]);
    });
});
