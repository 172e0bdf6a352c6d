// Stack configuration: every key's default and effect, and every bad value refused with a message
// naming the key, the value and what is allowed, before any resource is registered.
import * as assert from "assert";
import { ConfigError, ConfigSource, configSource, parseSettings } from "../settings/settings";
import { RenderResult, render } from "../scripts/render";
import { projectWith } from "./docExamples";
import { fakeCluster } from "./fakeCluster";
import { container, find, outputValue, renderDev, HOST_NETWORK, ACCEPT_ADMIN_EXPOSURE, renderRefused, vtmObject } from "./helpers";

/** Keys as the CLI hands them over: `<namespace>:<key>`. */
export function prefixed(namespace: string, values: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [`${namespace}:${k}`, v]));
}

/** A config source over plain values (strings as the CLI hands them over). */
function source(values: Record<string, string>, kubernetes: Record<string, string> = {}, secrets: string[] = []): ConfigSource {
    const config = { ...prefixed("vtm-kubernetes", values), ...prefixed("kubernetes", kubernetes) };
    return configSource("vtm-kubernetes", config, (k) => secrets.includes(k));
}

/** The problems parseSettings reports for some values (with the licence accepted unless overridden). */
function problems(values: Record<string, string>, kubernetes: Record<string, string> = {}): readonly string[] {
    try {
        parseSettings(source({ eula: "accept", ...values }, kubernetes));
    } catch (err) {
        assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${err}`);
        return err.problems;
    }
    return [];
}

function poolArgs(result: RenderResult): string {
    return vtmObject(result.objects, "pools", "example-pool").properties.service_discovery.plugin_args;
}

describe("settings: defaults", () => {
    it("applies the documented defaults when only the licence is accepted", () => {
        const s = parseSettings(source({ eula: "accept" }));
        assert.strictEqual(s.exposure, "NodePort");
        assert.strictEqual(s.name, "vtm");
        assert.strictEqual(s.namespace, "default");
        assert.strictEqual(s.replicas, 1);
        assert.strictEqual(s.image, "pulsesecure/vtm:19.1");
        assert.strictEqual(s.imagePullPolicy, "Always");
        assert.deepStrictEqual(s.imagePullSecrets, []);
        assert.strictEqual(s.adminPassword, undefined);
        assert.strictEqual(s.nodeAddress, undefined);
        assert.deepStrictEqual(s.backend, {
            enabled: true,
            name: "example-application",
            image: "nginxinc/nginx-unprivileged:stable-alpine",
            replicas: 2,
            portName: "http",
        });
        assert.deepStrictEqual(s.loadBalancer, { sourceRanges: [], annotations: {}, timeoutSeconds: 120 });
        assert.deepStrictEqual(s.kubernetes, {});
        // The upstream example service over the example application.
        assert.deepStrictEqual(s.services, [
            {
                name: "example-service",
                protocol: "http",
                port: 80,
                pool: "example-pool",
                tlsSecret: undefined,
                requestRules: [],
                responseRules: ["Response-Headers"],
                frontend: undefined,
            },
        ]);
        assert.deepStrictEqual(s.pools, [
            {
                name: "example-pool",
                serviceName: undefined,
                serviceNamespace: undefined,
                portName: undefined,
                portProtocol: undefined,
                port: undefined,
                tls: false,
                monitors: ["Simple HTTP"],
                algorithm: undefined,
            },
        ]);
        assert.deepStrictEqual([s.documents, s.configMounts, s.dataMounts, s.apiVersion], [[], [], [], undefined]);
    });

    it("defaults a service's protocol to http and a frontend's fields to nothing", () => {
        const s = parseSettings(source({ eula: "accept", services: '{"web": {"port": 81, "pool": "discard", "frontend": {}}}' }));
        assert.strictEqual(s.services[0].protocol, "http");
        assert.deepStrictEqual(s.services[0].frontend, { type: undefined, port: undefined, nodePort: undefined, annotations: {}, loadBalancerSourceRanges: [] });
    });

    it("sorts services and pools by name, whatever order the config gives", () => {
        const s = parseSettings(source({ eula: "accept", services: '{"b": {"port": 2, "pool": "discard"}, "a": {"port": 1, "pool": "discard"}}', pools: '{"z": {}, "y": {}}' }));
        assert.deepStrictEqual([s.services.map((x) => x.name), s.pools.map((x) => x.name)], [["a", "b"], ["y", "z"]]);
    });

    it("returns frozen settings", () => {
        const s = parseSettings(source({ eula: "accept" }));
        assert.ok(Object.isFrozen(s) && Object.isFrozen(s.backend) && Object.isFrozen(s.loadBalancer.sourceRanges));
    });

    it("treats the empty strings Pulumi.yaml declares as defaults as unset", () => {
        const s = parseSettings(source({ eula: "accept", adminPassword: "", nodeAddress: "" }));
        assert.strictEqual(s.adminPassword, undefined);
        assert.strictEqual(s.nodeAddress, undefined);
    });
});

describe("settings: each key's effect on the rendered stack", () => {
    it("name prefixes every vTM object and its app label, so a second set can share the namespace", async () => {
        const r = await renderDev({ name: "edge" });
        const vtmObjects = r.objects.filter((o) => o.metadata.labels["app.kubernetes.io/name"] === "vtm");
        for (const o of vtmObjects) {
            assert.ok(o.metadata.name === "edge" || o.metadata.name.startsWith("edge-"), `${o.kind}/${o.metadata.name}`);
            assert.strictEqual(o.metadata.labels.app, "edge");
        }
        const names = vtmObjects.map((o) => `${o.kind}/${o.metadata.name}`);
        for (const expected of ["ConfigMap/edge-config", "ConfigMap/edge-extra-data", "Service/edge-admin-services", "Service/edge-services", "Deployment/edge"]) {
            assert.ok(names.includes(expected), expected);
        }
        assert.deepStrictEqual(find(r.objects, "Deployment", "edge").spec.selector.matchLabels, { app: "edge" });
        const volumes = find(r.objects, "Deployment", "edge").spec.template.spec.volumes;
        assert.strictEqual(volumes[0].projected.sources[2].configMap.name, "edge-config");
    });

    it("namespace places every object and the provider there", async () => {
        const r = await renderDev({ namespace: "traffic" });
        for (const o of r.objects) assert.strictEqual(o.metadata.namespace, "traffic", `${o.kind}/${o.metadata.name}`);
        const provider = r.recorder.resources.find((x) => x.type === "pulumi:providers:kubernetes")!;
        assert.strictEqual(provider.inputs.namespace, "traffic");
        assert.strictEqual(outputValue(r, "namespace"), "traffic");
    });

    it("replicas, image, imagePullPolicy and imagePullSecrets shape the traffic manager Deployment", async () => {
        const r = await renderDev({
            replicas: "3",
            image: "registry.example.com/vtm:19.1",
            imagePullPolicy: "IfNotPresent",
            imagePullSecrets: '["regcred", "backup-cred"]',
        });
        const vtm = find(r.objects, "Deployment", "vtm");
        assert.strictEqual(vtm.spec.replicas, 3);
        assert.strictEqual(container(vtm).image, "registry.example.com/vtm:19.1");
        assert.strictEqual(container(vtm).imagePullPolicy, "IfNotPresent");
        assert.deepStrictEqual(vtm.spec.template.spec.imagePullSecrets, [{ name: "regcred" }, { name: "backup-cred" }]);
        assert.strictEqual(find(r.objects, "Deployment", "example-application-deployment").spec.template.spec.imagePullSecrets, undefined);
    });

    it("nodeAddress is the host of the endpoint outputs, whatever the cluster's nodes say", async () => {
        const r = await renderDev({ nodeAddress: "vtm.example.com", "adminService.type": "NodePort", ...ACCEPT_ADMIN_EXPOSURE });
        assert.ok(String(outputValue(r, "serviceEndpoint")).startsWith("http://vtm.example.com:"));
        assert.ok(String(outputValue(r, "adminUrl")).startsWith("https://vtm.example.com:"));
    });

    it("an IPv6 nodeAddress is bracketed in URLs", async () => {
        const r = await renderDev({ nodeAddress: "2001:db8::7", ...HOST_NETWORK });
        assert.strictEqual(outputValue(r, "serviceEndpoint"), "http://[2001:db8::7]:80");
    });

    it("backend.enabled false drops the example application and the pool discovers the Service it names", async () => {
        const r = await renderDev({ "backend.enabled": "false", pools: '{"example-pool": {"serviceName": "shop-frontend", "portName": "web"}}' });
        assert.deepStrictEqual(
            r.objects.filter((o) => o.metadata.labels.app === "example-application"),
            [],
        );
        assert.strictEqual(poolArgs(r), "--servicename=_web._tcp.shop-frontend");
    });

    it("backend.name, image, replicas and portName shape the example application and its discovery", async () => {
        const r = await renderDev({ "backend.name": "demo", "backend.image": "nginx:1.27", "backend.replicas": "4", "backend.portName": "web" });
        const app = find(r.objects, "Deployment", "demo-deployment");
        assert.strictEqual(app.spec.replicas, 4);
        assert.strictEqual(app.spec.template.spec.containers[0].image, "nginx:1.27");
        const svc = find(r.objects, "Service", "demo-backend-service");
        assert.strictEqual(svc.spec.ports[0].name, "web");
        assert.strictEqual(poolArgs(r), "--servicename=_web._tcp.demo-backend-service");
    });
});

describe("settings: bad values", () => {
    const cases: [string, Record<string, string>, string][] = [
        ["exposure", { exposure: "Bogus" }, "exposure: 'Bogus' is not one of NodePort, LoadBalancer, HostNetwork"],
        ["name (upper case)", { name: "VTM" }, "name: 'VTM' is not a DNS-1035 label of at most 48 characters (lower-case letters, digits and '-', starting with a letter)"],
        ["name (too long for its Services)", { name: "a".repeat(49) }, `name: '${"a".repeat(49)}' is not a DNS-1035 label of at most 48 characters (lower-case letters, digits and '-', starting with a letter)`],
        ["namespace", { namespace: "Team_A" }, "namespace: 'Team_A' is not a DNS-1123 label of at most 63 characters (lower-case letters, digits and '-')"],
        ["replicas (zero)", { replicas: "0" }, "replicas: '0' is not a whole number of at least 1"],
        ["replicas (fraction)", { replicas: "1.5" }, "replicas: '1.5' is not a whole number of at least 1"],
        ["replicas (text)", { replicas: "two" }, "replicas: 'two' is not a whole number of at least 1"],
        ["image", { image: "pulsesecure/vtm 19.1" }, "image: 'pulsesecure/vtm 19.1' is not an image reference (a non-empty string without spaces)"],
        ["imagePullPolicy", { imagePullPolicy: "always" }, "imagePullPolicy: 'always' is not one of Always, IfNotPresent, Never"],
        ["imagePullSecrets", { imagePullSecrets: '["Reg Cred"]' }, `imagePullSecrets: '["Reg Cred"]' is not a list of Secret names: item [0] 'Reg Cred' is not one`],
        ["eula", { eula: "yes" }, "eula: 'yes' does not accept the vTM licence; read it and accept it with: npm run pulumi -- config set eula accept"],
        ["nodeAddress", { nodeAddress: "http://10.0.0.1:30080" }, "nodeAddress: 'http://10.0.0.1:30080' is not an IP address or host name (no scheme, port or path)"],
        ["backend (not an object)", { backend: "off" }, "backend: 'off' is not an object (set its fields with: npm run pulumi -- config set --path backend.<field> <value>)"],
        ["backend.enabled", { backend: '{"enabled": "no"}' }, "backend.enabled: 'no' is not true or false"],
        ["backend.replicas", { backend: '{"replicas": -1}' }, "backend.replicas: -1 is not a whole number of at least 1"],
        ["backend.portName", { backend: '{"portName": "http_port"}' }, "backend.portName: 'http_port' is not a port name of at most 15 characters (lower-case letters, digits and '-')"],
        ["backend unknown field", { backend: '{"enable": false}' }, "backend.enable: is not a setting (allowed: enabled, name, image, replicas, portName)"],
        [
            "backend off without a Service",
            { backend: '{"enabled": false}' },
            "pools.example-pool.serviceName: is required when backend.enabled is false: name the Service whose pods the pool balances over (npm run pulumi -- config set --path 'pools.example-pool.serviceName' <service>)",
        ],
        ["loadBalancer.sourceRanges", { loadBalancer: '{"sourceRanges": ["10.0.0.0/33"]}' }, `loadBalancer.sourceRanges: ["10.0.0.0/33"] is not a list of CIDR ranges such as 203.0.113.0/24: item [0] '10.0.0.0/33' is not one`],
        ["loadBalancer.annotations", { loadBalancer: '{"annotations": {"a": {"b": 1}}}' }, `loadBalancer.annotations: {"a":{"b":1}} is not a map of strings to strings`],
        ["loadBalancer.timeoutSeconds", { loadBalancer: '{"timeoutSeconds": -5}' }, "loadBalancer.timeoutSeconds: -5 is not a whole number of at least 0"],
        ["documents", { documents: "config/more" }, `documents: 'config/more' is not a list of file or directory paths; a list is written ["config/more"], or item by item: npm run pulumi -- config set --path 'documents[0]' config/more`],
        ["configMounts (not a list)", { configMounts: '{"name": "x"}' }, `configMounts: '{"name": "x"}' is not a list of {name, type, items} (npm run pulumi -- config set --path 'configMounts[0].name' <name>)`],
        ["dataMounts without a name", { dataMounts: '[{"type": "secret"}]' }, "dataMounts[0].name: is required: the name of an existing ConfigMap or Secret"],
        ["dataMounts type", { dataMounts: '[{"name": "x", "type": "Secret"}]' }, "dataMounts[0].type: 'Secret' is not one of configMap, secret"],
        ["dataMounts item path", { dataMounts: '[{"name": "x", "items": [{"key": "a", "path": "../a"}]}]' }, "dataMounts[0].items[0].path: '../a' is not a relative file path inside the mount (no leading '/', no '..')"],
        ["apiVersion", { apiVersion: "latest" }, "apiVersion: 'latest' is not a positive number such as 6.2"],
    ];
    for (const [what, values, message] of cases) {
        it(`refuses ${what}, with nothing registered`, async () => {
            assert.deepStrictEqual(problems(values), [message]);
            // The same value through the whole program, as `pulumi up` would run it.
            const refused = await renderRefused(values);
            assert.ok(refused.message.includes(`  - ${message}`), refused.message);
            assert.deepStrictEqual(refused.recorder.resources, []);
        });
    }

    it("shows a long value cut short", () => {
        const [message] = problems({ image: `registry/${"x".repeat(5000)} latest` });
        assert.strictEqual(message, `image: 'registry/${"x".repeat(71)}… (5016 characters)' is not an image reference (a non-empty string without spaces)`);
    });

    it("refuses an unaccepted licence by default", () => {
        assert.deepStrictEqual(problems({ eula: "" }), ["eula: '' does not accept the vTM licence; read it and accept it with: npm run pulumi -- config set eula accept"]);
    });

    it("refuses kubernetes: settings the provider would refuse", () => {
        assert.deepStrictEqual(problems({}, { renderYamlToDirectory: "out", context: "kind-kind" }), [
            "kubernetes:context: cannot be combined with kubernetes:renderYamlToDirectory (rendering writes manifests and talks to no cluster); unset one of them",
        ]);
        assert.deepStrictEqual(problems({}, { enableServerSideApply: "maybe" }), ["kubernetes:enableServerSideApply: 'maybe' is not true or false"]);
    });

    it("refuses an admin password stored in plain text, without repeating it", () => {
        const found = problems({ adminPassword: "hunter2-plain" });
        assert.deepStrictEqual(found, ["adminPassword: is stored in plain text; set it as a secret: npm run pulumi -- config set --secret adminPassword <password>"]);
    });

    it("refuses a registry password stored in plain text, without repeating it", () => {
        const found = problems({ registryPassword: "tok3n-plain", registry: '{"server": "r.example.com", "username": "u"}' });
        assert.deepStrictEqual(found, ["registryPassword: is stored in plain text; set it as a secret: npm run pulumi -- config set --secret registryPassword <password>"]);
        const s = parseSettings(source({ eula: "accept", registryPassword: "tok3n", registry: '{"server": "r.example.com", "username": "u"}' }, {}, ["registryPassword"]));
        assert.ok(s.registryPassword !== undefined);
    });

    it("reports every problem at once, in one error whose message lists them all", () => {
        let error: ConfigError | undefined;
        try {
            parseSettings(source({ exposure: "Bogus", replicas: "0", eula: "no" }));
        } catch (err) {
            error = err as ConfigError;
        }
        assert.ok(error instanceof ConfigError);
        assert.strictEqual(error.problems.length, 3);
        assert.ok(error.message.startsWith("Invalid stack configuration (3 problems; nothing was deployed or changed):\n"));
        for (const p of error.problems) assert.ok(error.message.includes(`  - ${p}`));
    });

    it("registers no resource at all when the configuration is bad", async () => {
        const { message, recorder } = await renderRefused({ exposure: "Bogus", "backend.replicas": "0" });
        assert.match(message, /exposure: 'Bogus' is not one of NodePort, LoadBalancer, HostNetwork/);
        assert.match(message, /backend\.replicas: 0 is not a whole number of at least 1/);
        assert.deepStrictEqual(recorder.resources, []);
    });

    it("registers no resource when the licence is not accepted", async () => {
        const { message, recorder } = await renderRefused({ eula: "" });
        assert.match(message, /npm run pulumi -- config set eula accept/);
        assert.deepStrictEqual(recorder.resources, []);
    });
});

describe("settings: everyday mistakes", () => {
    /** Renders a stack file as written (with the licence accepted). */
    const stackFile = (body: string) => render({ stack: "mine", projectDir: projectWith("mine", `config:\n  vtm-kubernetes:eula: accept\n${body}`), cluster: fakeCluster() });

    it("refuses a misspelt key of the project, naming the closest setting, instead of using the default", async () => {
        await assert.rejects(stackFile("  vtm-kubernetes:replica: 2\n  vtm-kubernetes:exposur: LoadBalancer\n  vtm-kubernetes:frobnicate: yes\n"), (err: Error) => {
            assert.deepStrictEqual(err.message.split("\n").slice(1), [
                "  - exposur: is not a setting of vtm-kubernetes (did you mean exposure?); Pulumi.yaml lists every setting",
                "  - frobnicate: is not a setting of vtm-kubernetes; Pulumi.yaml lists every setting",
                "  - replica: is not a setting of vtm-kubernetes (did you mean replicas?); Pulumi.yaml lists every setting",
            ].sort());
            return true;
        });
    });

    it("warns about a key in a namespace nothing reads, and a provider key the program's provider does not take", async () => {
        const r = await stackFile("  vtm-kubrnetes:image: registry.example.com/vtm:19.1\n  kubernetes:namespace: shop\n  kubernetes:contxt: kind-vtm\n");
        assert.deepStrictEqual(r.notes.filter((n) => n.startsWith("warning:")).sort(), [
            "warning: kubernetes:contxt: is not passed to the program's Kubernetes provider and does nothing (did you mean kubernetes:context?); it takes kubeconfig, context, cluster, clusterIdentifier, renderYamlToDirectory, enableServerSideApply, deleteUnreachable, skipUpdateUnreachable, suppressDeprecationWarnings, upsertExistingObjects, enablePatchForce",
            "warning: kubernetes:namespace: is not passed to the program's Kubernetes provider and does nothing; it takes kubeconfig, context, cluster, clusterIdentifier, renderYamlToDirectory, enableServerSideApply, deleteUnreachable, skipUpdateUnreachable, suppressDeprecationWarnings, upsertExistingObjects, enablePatchForce",
            "warning: vtm-kubrnetes:image: no part of this program reads the namespace 'vtm-kubrnetes' (did you mean vtm-kubernetes:image?)",
        ]);
        // The misspelt key did nothing: the default image is used.
        assert.strictEqual(container(find(r.objects, "Deployment", "vtm")).image, "pulsesecure/vtm:19.1");
    });

    it("refuses an admin password shorter than 12 characters, without repeating it", async () => {
        const { message } = await renderRefused({ adminPassword: "abc" });
        assert.deepStrictEqual(message.split("\n").slice(1), ["  - adminPassword: is 3 characters long; use at least 12 (or unset it for a generated 24-character password)"]);
        assert.ok(!message.includes("abc'"));
        const ok = await renderDev({ adminPassword: "twelve-chars" });
        assert.strictEqual(outputValue(ok, "adminPassword"), "twelve-chars");
    });

    it("warns about settings that do nothing in the combination given", async () => {
        const warnings = async (set: Record<string, string>) => (await renderDev(set)).notes.filter((n) => n.startsWith("warning:"));
        assert.deepStrictEqual(await warnings({ "registry.server": "registry.example.com", "registry.username": "puller" }), [
            "warning: registry.server: is ignored without registryPassword, which makes the image pull Secret (npm run pulumi -- config set --secret registryPassword <password>)",
            "warning: registry.username: is ignored without registryPassword, which makes the image pull Secret (npm run pulumi -- config set --secret registryPassword <password>)",
        ]);
        assert.deepStrictEqual(await warnings({ "loadBalancer.timeoutSeconds": "30", "loadBalancer.sourceRanges": '["10.0.0.0/8"]' }), [
            "warning: loadBalancer.sourceRanges: is ignored: no Service is a LoadBalancer (exposure is NodePort, and no services.<name>.frontend.type is LoadBalancer)",
            "warning: loadBalancer.timeoutSeconds: is ignored: no Service is a LoadBalancer (exposure is NodePort, and no services.<name>.frontend.type is LoadBalancer)",
        ]);
        // A frontend of type LoadBalancer uses them: no warning.
        assert.deepStrictEqual(await warnings({ "loadBalancer.timeoutSeconds": "30", services: '{"web": {"port": 80, "pool": "example-pool", "frontend": {"type": "LoadBalancer"}}}' }), []);
        assert.deepStrictEqual((await warnings({ ...HOST_NETWORK, "adminService.loadBalancerSourceRanges": '["10.0.0.0/8"]' })).filter((w) => !w.includes("acceptAdminExposure")), [
            "warning: adminService.loadBalancerSourceRanges: is ignored in HostNetwork exposure, which has no admin Service (the admin interfaces listen on the node's ports 9090 and 9070)",
        ]);
        assert.deepStrictEqual(await warnings({}), []);
    });
});
