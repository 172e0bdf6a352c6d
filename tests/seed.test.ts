// The dev stack against the upstream manifests (vtm-kubernetes-foundation.yaml, example-application.yaml,
// vtm-example-service.yaml). The seed's values are written out here so the tests need nothing outside
// the repository.
import * as assert from "assert";
import * as yaml from "js-yaml";
import { RenderResult } from "../scripts/render";
import { KubeObject, container, env, find, findAll, findByPrefix, mergedDocument, renderDev, selects, vtmObject, watchedDocuments } from "./helpers";
import { SEED_EXAMPLE_DOCUMENT } from "./fixtures";

const SEED_DEPLOYMENT_PROBES = {
    livenessProbe: {
        httpGet: { path: "/", port: 19999, scheme: "HTTP" },
        failureThreshold: 10,
        successThreshold: 1,
        periodSeconds: 5,
        timeoutSeconds: 5,
        initialDelaySeconds: 10,
    },
    readinessProbe: {
        httpGet: { path: "/", port: 19999, scheme: "HTTP" },
        failureThreshold: 2,
        successThreshold: 1,
        periodSeconds: 5,
        timeoutSeconds: 1,
    },
};

const SEED_BASE_DOCUMENT = {
    version: 6.2,
    global_settings: { properties: { java: { enabled: false }, fault_tolerance: { frontend_check_ips: [] } } },
};

// The upstream document, but the rule's file is named after the rule (config/rules/Response-Headers.trafficscript); the seed called it simple-rule.
const SEED_EXAMPLE_SERVICE = {
    ...SEED_EXAMPLE_DOCUMENT,
    rules: [{ name: "Response-Headers", content: { valueFrom: { fileRef: { name: "data/Response-Headers.trafficscript" } } } }],
};

const SEED_SIMPLE_RULE =
    'http.setResponseHeader( "X-Served-Via", sys.hostname() );\n' +
    'http.setResponseHeader( "X-Response-Time", stats.getServerResponseTime() );\n';

describe("dev stack against the seed manifests", () => {
    let result: RenderResult;
    let objects: KubeObject[];
    let vtm: KubeObject;

    before(async () => {
        result = await renderDev();
        objects = result.objects;
        vtm = find(objects, "Deployment", "vtm");
    });

    it("creates every seed object under its seed name, plus the admin Secret and the pods' ServiceAccount, and nothing else", () => {
        const names = objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
        const secret = findByPrefix(objects, "Secret", "vtm-admin-login-credentials");
        assert.deepStrictEqual(
            names,
            [
                "ConfigMap/vtm-base-config",
                "ConfigMap/vtm-config",
                "ConfigMap/vtm-extra-data",
                "ConfigMap/vtm-healthcheck-config",
                "Deployment/example-application-deployment",
                "Deployment/vtm",
                // The program's hardening: who may reach the admin ports and the example backend.
                "NetworkPolicy/example-application",
                "NetworkPolicy/vtm",
                `Secret/${secret.metadata.name}`,
                "Service/example-application-backend-service",
                "Service/vtm-admin-services",
                "Service/vtm-services",
                "ServiceAccount/vtm",
            ].sort(),
        );
    });

    it("puts every object in the default namespace with the seed's app label", () => {
        for (const o of objects) {
            assert.strictEqual(o.metadata.namespace, "default", `${o.kind}/${o.metadata.name}`);
            const app = o.metadata.name.startsWith("example-application") ? "example-application" : "vtm";
            assert.strictEqual(o.metadata.labels.app, app, `${o.kind}/${o.metadata.name}`);
            assert.strictEqual(o.metadata.labels["app.kubernetes.io/managed-by"], "pulumi");
        }
    });

    it("runs the seed's traffic manager container", () => {
        assert.strictEqual(vtm.spec.replicas, 1);
        const c = container(vtm);
        assert.strictEqual(c.image, "pulsesecure/vtm:19.1");
        assert.strictEqual(c.imagePullPolicy, "Always");
        assert.deepStrictEqual(c.ports, [
            { name: "vtm-webui", containerPort: 9090, protocol: "TCP" },
            { name: "vtm-restapi", containerPort: 9070, protocol: "TCP" },
        ]);
        // The seed's capability, plus the program's hardening: every other one dropped but what the image
        // needs, and no privilege escalation (tests/production.test.ts).
        assert.strictEqual(c.securityContext.allowPrivilegeEscalation, false);
        assert.deepStrictEqual(c.securityContext.capabilities.drop, ["ALL"]);
        assert.ok(c.securityContext.capabilities.add.includes("SYS_RESOURCE"));
        assert.deepStrictEqual(c.livenessProbe, SEED_DEPLOYMENT_PROBES.livenessProbe);
        assert.deepStrictEqual(c.readinessProbe, SEED_DEPLOYMENT_PROBES.readinessProbe);
        assert.strictEqual(c.terminationMessagePolicy, "FallbackToLogsOnError");
        assert.strictEqual(vtm.spec.template.spec.hostNetwork, undefined);
    });

    it("sets the seed's ZEUS_* environment and takes ZEUS_PASS from the admin Secret", () => {
        const c = container(vtm);
        assert.deepStrictEqual(env(c, "ZEUS_EULA"), { name: "ZEUS_EULA", value: "accept" });
        assert.deepStrictEqual(env(c, "ZEUS_COMMUNITY_EDITION"), { name: "ZEUS_COMMUNITY_EDITION", value: "yes" });
        assert.deepStrictEqual(env(c, "ZEUS_WATCHED_CONFIG"), { name: "ZEUS_WATCHED_CONFIG", value: "/import" });
        assert.deepStrictEqual(env(c, "ZEUS_CONFIG_IMPORT_ARGS"), { name: "ZEUS_CONFIG_IMPORT_ARGS", value: "--no-replicate" });
        const secret = findByPrefix(objects, "Secret", "vtm-admin-login-credentials");
        assert.deepStrictEqual(env(c, "ZEUS_PASS").valueFrom, { secretKeyRef: { name: secret.metadata.name, key: "vtm-admin-password" } });
    });

    it("mounts the configuration documents at /import/config and the extra data at /import/data", () => {
        assert.deepStrictEqual(container(vtm).volumeMounts, [
            { name: "config-volume", mountPath: "/import/config" },
            { name: "data-volume", mountPath: "/import/data" },
        ]);
        assert.deepStrictEqual(vtm.spec.template.spec.volumes, [
            {
                name: "config-volume",
                projected: {
                    sources: [
                        { configMap: { name: "vtm-base-config", items: [{ key: "config", path: "00-vtm-base-config.yaml" }] } },
                        { configMap: { name: "vtm-healthcheck-config", items: [{ key: "config", path: "00-vtm-healthcheck-config.yaml" }] } },
                        { configMap: { name: "vtm-config" } },
                    ],
                },
            },
            { name: "data-volume", projected: { sources: [{ configMap: { name: "vtm-extra-data" } }] } },
        ]);
    });

    it("carries the seed's base and health-check documents", () => {
        const base = yaml.load(find(objects, "ConfigMap", "vtm-base-config").data.config);
        assert.deepStrictEqual(base, SEED_BASE_DOCUMENT);
        const health = yaml.load(find(objects, "ConfigMap", "vtm-healthcheck-config").data.config) as any;
        assert.strictEqual(health.version, 6.2);
        assert.deepStrictEqual(health.virtual_servers[0].properties.basic, {
            enabled: true,
            port: 19999,
            protocol: "http",
            pool: "discard",
            request_rules: ["internal_healthcheck"],
        });
        assert.deepStrictEqual(health.rules, [{ name: "internal_healthcheck", content: "http.sendResponse( '200 OK', 'text/plain', '', '');" }]);
    });

    it("carries the seed's example service configuration, one document per object, and its TrafficScript rule", () => {
        assert.deepStrictEqual(mergedDocument(objects), SEED_EXAMPLE_SERVICE);
        for (const doc of Object.values(watchedDocuments(objects))) assert.strictEqual(doc.version, 6.2);
        assert.deepStrictEqual(find(objects, "ConfigMap", "vtm-extra-data").data, { "Response-Headers.trafficscript": SEED_SIMPLE_RULE });
    });

    it("has the seed's admin Service with client-IP affinity, inside the cluster (vTM 19.1 has an admin authentication bypass)", () => {
        const admin = find(objects, "Service", "vtm-admin-services");
        assert.strictEqual(admin.spec.type, "ClusterIP");
        assert.strictEqual(admin.spec.sessionAffinity, "ClientIP");
        assert.deepStrictEqual(admin.spec.ports, [
            { name: "vtm-webui", targetPort: "vtm-webui", protocol: "TCP", port: 9090 },
            { name: "vtm-restapi", targetPort: "vtm-restapi", protocol: "TCP", port: 9070 },
        ]);
        // Named target ports must name container ports.
        const names = container(vtm).ports.map((p: KubeObject) => p.name);
        for (const p of admin.spec.ports) assert.ok(names.includes(p.targetPort));
    });

    it("exposes the virtual server on port 80 through the NodePort Service vtm-services", () => {
        const svc = find(objects, "Service", "vtm-services");
        assert.strictEqual(svc.spec.type, "NodePort");
        assert.deepStrictEqual(svc.spec.ports.map(({ name: _n, ...p }: KubeObject) => p), [{ targetPort: 80, protocol: "TCP", port: 80 }]);
        const vs = vtmObject(objects, "virtual_servers", "example-service");
        assert.strictEqual(svc.spec.ports[0].targetPort, vs.properties.basic.port);
    });

    it("deploys the seed's example application behind a headless Service: its names, labels and Service port; a maintained, unprivileged nginx", () => {
        const app = find(objects, "Deployment", "example-application-deployment");
        assert.strictEqual(app.spec.replicas, 2);
        assert.deepStrictEqual(app.spec.selector.matchLabels, { app: "example-application" });
        const [nginx, ...others] = app.spec.template.spec.containers;
        assert.deepStrictEqual([nginx.name, others], ["nginx", []]);
        assert.strictEqual(nginx.image, "nginxinc/nginx-unprivileged:stable-alpine");
        assert.deepStrictEqual(nginx.ports, [{ name: "http", containerPort: 8080, protocol: "TCP" }]);
        const svc = find(objects, "Service", "example-application-backend-service");
        assert.strictEqual(svc.spec.clusterIP, "None");
        // The seed's port 80, to the named port the unprivileged nginx listens on.
        assert.deepStrictEqual(svc.spec.ports, [{ name: "http", protocol: "TCP", port: 80, targetPort: "http" }]);
    });

    it("hardens the example application: probes, requests and limits, non-root, read-only, seccomp, no capabilities, no token", () => {
        const spec = find(objects, "Deployment", "example-application-deployment").spec.template.spec;
        const nginx = spec.containers[0];
        assert.deepStrictEqual([nginx.readinessProbe.httpGet, nginx.livenessProbe.httpGet], [{ path: "/", port: "http" }, { path: "/", port: "http" }]);
        assert.deepStrictEqual(nginx.resources, { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } });
        assert.deepStrictEqual(nginx.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
        assert.deepStrictEqual(spec.securityContext, { runAsNonRoot: true, runAsUser: 10101, runAsGroup: 10101, seccompProfile: { type: "RuntimeDefault" } });
        assert.strictEqual(spec.automountServiceAccountToken, false);
        assert.deepStrictEqual(nginx.volumeMounts, [{ name: "tmp", mountPath: "/tmp" }]);
    });

    it("has selectors that really select the pods they mean, and only those", () => {
        const deployments = findAll(objects, "Deployment");
        for (const d of deployments) {
            assert.ok(selects(d.spec.selector.matchLabels, d.spec.template.metadata.labels), `${d.metadata.name} selects its own pods`);
        }
        const expected: Record<string, string> = {
            "vtm-admin-services": "vtm",
            "vtm-services": "vtm",
            "example-application-backend-service": "example-application-deployment",
        };
        for (const svc of findAll(objects, "Service")) {
            const selected = deployments.filter((d) => selects(svc.spec.selector, d.spec.template.metadata.labels)).map((d) => d.metadata.name);
            assert.deepStrictEqual(selected, [expected[svc.metadata.name]], svc.metadata.name);
        }
    });
});
