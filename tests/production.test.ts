// Production hardening: the prod stack file turns everything on; each setting's effect, each refusal,
// and what rolls the pods and what does not, proven on the rendered objects.
import * as assert from "assert";
import { createHash } from "crypto";
import { RenderResult } from "../scripts/render";
import { openPorts } from "../components/networkPolicy";
import { KubeObject, container, env, outputValue, find, findAll, findByPrefix, renderDev, HOST_NETWORK, ACCEPT_ADMIN_EXPOSURE, renderRefused, validateSchema } from "./helpers";

// The prod stack ships a placeholder digest, refused: a deployment sets its own.
const PROD_SECRETS = { registryPassword: "s3cret-Registry-Token", imageDigest: `sha256:${"d".repeat(64)}` };
const prod = (set: Record<string, string> = {}, password = "Generated-Prod-Password-1") =>
    renderDev({ ...PROD_SECRETS, ...set }, { stack: "prod" }, { password: () => password });
const deployment = (r: RenderResult) => find(r.objects, "Deployment", "vtm");
const podSpec = (r: RenderResult) => deployment(r).spec.template.spec;

describe("production stack (Pulumi.prod.yaml)", () => {
    let r: RenderResult;
    before(async () => {
        r = await prod();
    });

    it("renders objects that all validate against the Kubernetes schemas", () => {
        for (const o of r.objects) validateSchema(o);
        const kinds = [...new Set(r.objects.map((o) => o.kind))].sort();
        assert.deepStrictEqual(kinds, ["ConfigMap", "Deployment", "NetworkPolicy", "PodDisruptionBudget", "Secret", "Service", "ServiceAccount"]);
    });

    it("keeps the admin interfaces inside the cluster", () => {
        const admin = find(r.objects, "Service", "vtm-admin-services");
        assert.strictEqual(admin.spec.type, "ClusterIP");
        assert.ok(admin.spec.ports.every((p: KubeObject) => p.nodePort === undefined));
    });

    it("runs the pods under their own ServiceAccount with no API token", () => {
        const sa = find(r.objects, "ServiceAccount", "vtm");
        assert.strictEqual(sa.automountServiceAccountToken, false);
        assert.strictEqual(podSpec(r).serviceAccountName, "vtm");
        assert.strictEqual(podSpec(r).automountServiceAccountToken, false);
    });

    it("drops every capability but those vTM needs, with no privilege escalation and the runtime's seccomp profile", () => {
        const security = container(deployment(r)).securityContext;
        assert.strictEqual(security.allowPrivilegeEscalation, false);
        assert.deepStrictEqual(security.capabilities.drop, ["ALL"]);
        assert.ok(security.capabilities.add.includes("SYS_RESOURCE"));
        assert.ok(!security.capabilities.add.includes("NET_ADMIN"), "NET_ADMIN only on the host network");
        assert.ok(!security.capabilities.add.includes("SYS_ADMIN"));
        assert.deepStrictEqual(podSpec(r).securityContext, { seccompProfile: { type: "RuntimeDefault" } });
    });

    it("pulls the image by digest with a pull Secret made from the registry credentials", () => {
        assert.strictEqual(container(deployment(r)).image, `registry.example.com/pulsesecure/vtm:19.1@${PROD_SECRETS.imageDigest}`);
        const pull = findByPrefix(r.objects, "Secret", "vtm-registry-credentials");
        assert.strictEqual(pull.type, "kubernetes.io/dockerconfigjson");
        const auth = JSON.parse(pull.stringData[".dockerconfigjson"]).auths["registry.example.com"];
        assert.deepStrictEqual(auth, {
            username: "vtm-puller",
            password: PROD_SECRETS.registryPassword,
            auth: Buffer.from(`vtm-puller:${PROD_SECRETS.registryPassword}`).toString("base64"),
        });
        assert.deepStrictEqual(podSpec(r).imagePullSecrets, [{ name: pull.metadata.name }]);
    });

    it("sets requests, limits and placement", () => {
        assert.deepStrictEqual(container(deployment(r)).resources, { requests: { cpu: "1", memory: "2Gi" }, limits: { memory: "4Gi" } });
        assert.deepStrictEqual(podSpec(r).nodeSelector, { "kubernetes.io/os": "linux" });
        assert.deepStrictEqual(podSpec(r).tolerations, [{ key: "dedicated", operator: "Equal", value: "traffic", effect: "NoSchedule" }]);
        assert.strictEqual(podSpec(r).priorityClassName, "vtm-critical");
    });

    it("spreads three replicas over zones, keeps serving through a rollout, and budgets disruptions", () => {
        assert.strictEqual(deployment(r).spec.replicas, 3);
        const selector = deployment(r).spec.selector.matchLabels;
        assert.deepStrictEqual(podSpec(r).topologySpreadConstraints, [
            { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
        ]);
        assert.deepStrictEqual(deployment(r).spec.strategy, { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
        const pdb = find(r.objects, "PodDisruptionBudget", "vtm");
        assert.deepStrictEqual(pdb.spec, { maxUnavailable: 1, selector: { matchLabels: selector } });
    });

    it("bounds how long pulumi up waits for the Deployment and each balancer's address, and waits for no other Service", () => {
        assert.strictEqual(deployment(r).metadata.annotations["pulumi.com/timeoutSeconds"], "300");
        const services = findAll(r.objects, "Service");
        assert.ok(services.some((s) => s.spec.type === "LoadBalancer") && services.some((s) => s.spec.type !== "LoadBalancer"));
        for (const svc of services) {
            const expected =
                svc.spec.type === "LoadBalancer"
                    ? { "pulumi.com/waitFor": "jsonpath={.status.loadBalancer.ingress}", "pulumi.com/timeoutSeconds": "300" }
                    : { "pulumi.com/skipAwait": "true" };
            assert.deepStrictEqual(svc.metadata.annotations, expected, svc.metadata.name);
        }
    });

    it("skips every wait, the example application's too, when the waits are 0", async () => {
        const skip = await renderDev({ wait: '{"deploymentSeconds": 0, "serviceSeconds": 0}', "loadBalancer.timeoutSeconds": "0", exposure: "LoadBalancer" });
        for (const o of skip.objects.filter((x) => ["Deployment", "Service"].includes(x.kind))) {
            assert.deepStrictEqual(o.metadata.annotations, { "pulumi.com/skipAwait": "true" }, `${o.kind}/${o.metadata.name}`);
        }
    });

    it("lets only the admin sources reach 9090 and 9070, and everyone every other port", () => {
        const policy = find(r.objects, "NetworkPolicy", "vtm");
        assert.deepStrictEqual(policy.spec.podSelector.matchLabels, deployment(r).spec.selector.matchLabels);
        const [open, admin] = policy.spec.ingress;
        assert.strictEqual(open.from, undefined);
        assert.deepStrictEqual(admin.from, [{ ipBlock: { cidr: "10.20.0.0/16" } }, { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "platform-ops" } } }]);
        assert.deepStrictEqual(admin.ports, [{ protocol: "TCP", port: 9090 }, { protocol: "TCP", port: 9070 }]);
    });
});

describe("the NetworkPolicy's open ports", () => {
    const covers = (port: number, protocol: string) =>
        openPorts().some((p) => p.protocol === protocol && (p.port as number) <= port && port <= ((p.endPort as number | undefined) ?? (p.port as number)));

    it("cover every TCP port but the admin ones, and every UDP port", () => {
        for (const port of [1, 80, 443, 9069, 9071, 9080, 9089, 9091, 19999, 65535]) assert.ok(covers(port, "TCP"), `TCP ${port}`);
        for (const port of [9070, 9090]) assert.ok(!covers(port, "TCP"), `TCP ${port} must be closed`);
        for (const port of [53, 9090, 65535]) assert.ok(covers(port, "UDP"), `UDP ${port}`);
    });

    it("by default: the admin ports from pods of the cluster only (no ipBlock: nothing from outside), every other port open", async () => {
        const r = await renderDev();
        const adminPorts = [{ protocol: "TCP", port: 9090 }, { protocol: "TCP", port: 9070 }];
        assert.deepStrictEqual(find(r.objects, "NetworkPolicy", "vtm").spec.ingress, [{ ports: openPorts() }, { from: [{ namespaceSelector: {} }], ports: adminPorts }]);
    });

    it("admits the example backend's pods only to the traffic manager's pods, on nginx's port", async () => {
        const r = await renderDev();
        const policy = find(r.objects, "NetworkPolicy", "example-application");
        assert.deepStrictEqual(policy.spec.podSelector.matchLabels, find(r.objects, "Deployment", "example-application-deployment").spec.selector.matchLabels);
        assert.deepStrictEqual(policy.spec.ingress, [{ from: [{ podSelector: { matchLabels: find(r.objects, "Deployment", "vtm").spec.selector.matchLabels } }], ports: [{ protocol: "TCP", port: 8080 }] }]);
    });

    it("makes none in HostNetwork mode, where NetworkPolicy cannot apply, and says named sources do nothing there", async () => {
        const r = await renderDev({ ...HOST_NETWORK, "networkPolicy.adminCidrs": '["10.0.0.0/8"]' });
        assert.deepStrictEqual(findAll(r.objects, "NetworkPolicy"), []);
        assert.ok(r.notes.includes("warning: networkPolicy: no NetworkPolicy is made in HostNetwork exposure (pods on the host network are outside NetworkPolicy), so adminCidrs and adminNamespaces do nothing (see docs/production.md)"), r.notes.join("\n"));
    });

    it("makes none when networkPolicy.enabled is false", async () => {
        const r = await renderDev({ "networkPolicy.enabled": "false" });
        assert.deepStrictEqual(findAll(r.objects, "NetworkPolicy"), []);
    });
});

describe("admin Service", () => {
    it("defaults to ClusterIP, in the dev stack too (the upstream manifests used NodePort)", async () => {
        const r = await renderDev({ adminService: "{}" });
        assert.strictEqual(find(r.objects, "Service", "vtm-admin-services").spec.type, "ClusterIP");
        const dev = await renderDev();
        assert.strictEqual(find(dev.objects, "Service", "vtm-admin-services").spec.type, "ClusterIP");
    });

    it("gives admin URLs for each type: in-cluster name, nodePort or balancer", async () => {
        const clusterIP = await renderDev({ adminService: "{}", namespace: "edge" });
        assert.strictEqual(outputValue(clusterIP, "adminUrl"), "https://vtm-admin-services.edge.svc.cluster.local:9090");
        assert.strictEqual(outputValue(clusterIP, "restApiUrl"), "https://vtm-admin-services.edge.svc.cluster.local:9070");
        const balancer = await renderDev({ adminService: '{"type": "LoadBalancer", "loadBalancerSourceRanges": ["10.0.0.0/8"]}', ...ACCEPT_ADMIN_EXPOSURE }, {}, { balancerIngress: { hostname: "admin.example.com" } });
        assert.strictEqual(outputValue(balancer, "adminUrl"), "https://admin.example.com:9090");
    });

    it("takes fixed nodePorts, source ranges and annotations", async () => {
        const r = await renderDev({
            adminService: '{"type": "LoadBalancer", "nodePorts": {"webui": 30990, "restapi": 30970}, "loadBalancerSourceRanges": ["10.1.0.0/16"], "annotations": {"team": "ops"}}',
            ...ACCEPT_ADMIN_EXPOSURE,
        });
        const admin = find(r.objects, "Service", "vtm-admin-services");
        assert.deepStrictEqual(admin.spec.ports.map((p: KubeObject) => [p.name, p.nodePort]), [["vtm-webui", 30990], ["vtm-restapi", 30970]]);
        assert.deepStrictEqual(admin.spec.loadBalancerSourceRanges, ["10.1.0.0/16"]);
        assert.strictEqual(admin.metadata.annotations.team, "ops");
    });

    it("refuses a LoadBalancer open to everyone unless explicitly allowed", async () => {
        const { message, recorder } = await renderRefused({ adminService: '{"type": "LoadBalancer"}', ...ACCEPT_ADMIN_EXPOSURE });
        assert.ok(
            message.includes(
                "  - adminService.loadBalancerSourceRanges: is empty, so a LoadBalancer would open the admin UI and REST API to anyone who can reach the balancer; " +
                    "list the CIDRs allowed in, or set adminService.allowPublicLoadBalancer to true if that is what you want",
            ),
            message,
        );
        assert.deepStrictEqual(recorder.resources, []);
        const allowed = await renderDev({ adminService: '{"type": "LoadBalancer", "allowPublicLoadBalancer": true}', ...ACCEPT_ADMIN_EXPOSURE });
        assert.strictEqual(find(allowed.objects, "Service", "vtm-admin-services").spec.loadBalancerSourceRanges, undefined);
    });
});

describe("pod security defaults and host networking", () => {
    it("by default drops every capability but what the image needs (no NET_RAW without a Ping monitor), with no privilege escalation", async () => {
        const r = await renderDev();
        assert.deepStrictEqual(container(deployment(r)).securityContext, {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"], add: ["SYS_RESOURCE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "SETUID", "SETGID", "KILL", "NET_BIND_SERVICE"] },
        });
        assert.deepStrictEqual(podSpec(r).securityContext, { seccompProfile: { type: "RuntimeDefault" } });
        assert.deepStrictEqual(container(deployment(r)).resources, { requests: { cpu: "500m", memory: "1Gi" } });
    });

    it("adds NET_RAW only when a Ping monitor is configured: a pool's built-in Ping, or a monitor of type ping in a document", async () => {
        const pool = await renderDev({ pools: '{"example-pool": {"monitors": ["Ping"]}}' });
        assert.ok(container(deployment(pool)).securityContext.capabilities.add.includes("NET_RAW"));
        const { usesPing } = await import("../vtm/configuration");
        assert.strictEqual(usesPing([{ monitors: [{ name: "icmp", properties: { basic: {} } }] }]), true);
        assert.strictEqual(usesPing([{ monitors: [{ name: "web", properties: { basic: { type: "http" } } }] }]), false);
        assert.strictEqual(usesPing([{ pools: [{ name: "p", properties: { basic: { monitors: ["Simple HTTP"] } } }] }]), false);
    });

    it("keeps the runtime's capabilities plus SYS_RESOURCE, as upstream, with dropAllCapabilities false", async () => {
        const r = await renderDev({ "security.dropAllCapabilities": "false" });
        assert.deepStrictEqual(container(deployment(r)).securityContext, { allowPrivilegeEscalation: false, capabilities: { add: ["SYS_RESOURCE"] } });
    });

    it("on the host network adds NET_ADMIN, forbids two host-network pods per node, and with a pod on every node stops one first", async () => {
        const r = await renderDev({ exposure: "HostNetwork", replicas: "3", security: '{"dropAllCapabilities": true, "extraCapabilities": ["SYS_PTRACE"], "acceptAdminExposure": ["CVE-2024-7593"]}' });
        const caps = container(deployment(r)).securityContext.capabilities;
        assert.ok(caps.add.includes("NET_ADMIN") && caps.add.includes("SYS_PTRACE"));
        const selector = deployment(r).spec.selector.matchLabels;
        const labels = deployment(r).spec.template.metadata.labels;
        // The rule matches host-network pods only: the pod carries a label its Deployment does not select on.
        assert.strictEqual(labels["vtm-kubernetes/host-network"], "true");
        assert.strictEqual(selector["vtm-kubernetes/host-network"], undefined);
        assert.deepStrictEqual(podSpec(r).affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution, [
            { labelSelector: { matchLabels: { ...selector, "vtm-kubernetes/host-network": "true" } }, topologyKey: "kubernetes.io/hostname" },
        ]);
        // Three replicas on the fake cluster's three nodes: no node to spare.
        assert.deepStrictEqual(deployment(r).spec.strategy.rollingUpdate, { maxUnavailable: 1, maxSurge: 1 });
        // Pods of the other modes carry no such label, so the rule never holds them back.
        assert.strictEqual(deployment(await renderDev({ replicas: "3" })).spec.template.metadata.labels["vtm-kubernetes/host-network"], undefined);
    });

    it("keeps the user's affinity and adds the host-network rule to it", async () => {
        const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "edge", operator: "Exists" }] }] } } };
        const r = await renderDev({ ...HOST_NETWORK, affinity: JSON.stringify(affinity) });
        assert.deepStrictEqual(podSpec(r).affinity.nodeAffinity, affinity.nodeAffinity);
        assert.strictEqual(podSpec(r).affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution.length, 1);
    });

    it("one replica: no disruption budget and no spread", async () => {
        const r = await renderDev();
        assert.strictEqual(findAll(r.objects, "PodDisruptionBudget").length, 0);
        assert.strictEqual(podSpec(r).topologySpreadConstraints, undefined);
    });
});

describe("what rolls the pods and what does not", () => {
    const template = (r: RenderResult) => JSON.stringify(deployment(r).spec.template);
    let base: RenderResult;
    before(async () => {
        base = await prod();
    });

    it("documents, rules, services and pools are re-imported live: the pod template does not change", async () => {
        const edited = await prod({ pools: '{"shop": {"serviceName": "shop-web-v2", "portName": "http"}}' });
        assert.notDeepStrictEqual(find(edited.objects, "ConfigMap", "vtm-config").data, find(base.objects, "ConfigMap", "vtm-config").data);
        assert.strictEqual(template(edited), template(base));
    });

    it("admin Service, NetworkPolicy, waits and budgets do not change the pod template", async () => {
        const other = await prod({
            adminService: '{"type": "NodePort"}',
            ...ACCEPT_ADMIN_EXPOSURE,
            networkPolicy: '{"enabled": false}',
            wait: '{"deploymentSeconds": 0, "serviceSeconds": 0}',
            "loadBalancer.timeoutSeconds": "0",
        });
        assert.strictEqual(template(other), template(base));
        assert.strictEqual(deployment(other).metadata.annotations["pulumi.com/skipAwait"], "true");
    });

    for (const [what, set] of [
        ["the image", { imageDigest: "sha256:" + "1".repeat(64) }],
        ["the environment", { extraEnv: '{"ZEUS_PACKAGES": "openjdk-8-jre-headless"}' }],
        ["the registry credentials", { registryPassword: "another-Token-2" }],
        ["the capabilities", { security: '{"dropAllCapabilities": false}' }],
        ["the resources", { resources: '{"requests": {"cpu": "2"}}' }],
    ] as const) {
        it(`${what}, read only at start, changes the pod template`, async () => {
            const changed = await prod(set);
            assert.notStrictEqual(template(changed), template(base));
        });
    }

    it("a new rotation value generates a new password, a new Secret and so a new pod template", async () => {
        // The provider replaces a RandomPassword whose keepers change, and so makes a new password.
        const byRotation = (inputs: Record<string, any>) => `Generated-${inputs.keepers?.rotation ?? "none"}-Password`;
        const before = await renderDev({ ...PROD_SECRETS }, { stack: "prod" }, { password: byRotation });
        const after = await renderDev({ ...PROD_SECRETS, adminPasswordRotation: "2026-12" }, { stack: "prod" }, { password: byRotation });
        const secretName = (x: RenderResult) => env(container(deployment(x)), "ZEUS_PASS").valueFrom.secretKeyRef.name;
        assert.notStrictEqual(secretName(after), secretName(before));
        assert.notStrictEqual(template(after), template(before));
        assert.strictEqual(findByPrefix(after.objects, "Secret", "vtm-admin-login-credentials").stringData["vtm-admin-password"], "Generated-2026-12-Password");
    });

    it("never puts the password, or anything derived from it, in an annotation or label", async () => {
        const password = "Generated-Prod-Password-1";
        const derived = [
            password,
            Buffer.from(password).toString("base64"),
            ...["md5", "sha1", "sha256", "sha512"].map((h) => createHash(h).update(password).digest("hex")),
            ...["md5", "sha1", "sha256", "sha512"].map((h) => createHash(h).update(password).digest("base64")),
        ];
        const r = await prod({}, password);
        for (const o of r.objects) {
            const text = JSON.stringify([o.metadata.annotations ?? {}, o.metadata.labels ?? {}, o.spec?.template?.metadata ?? {}]);
            for (const d of derived) assert.ok(!text.includes(d), `${o.kind}/${o.metadata.name} carries ${d}`);
            if (o.kind !== "Secret") assert.ok(!JSON.stringify(o).includes(password), `${o.kind}/${o.metadata.name} holds the password`);
        }
    });
});

describe("production settings: refused before anything is registered", () => {
    const cases: [string, Record<string, string>, string][] = [
        ["an admin Service type", { adminService: '{"type": "Ingress"}' }, "adminService.type: 'Ingress' is not one of ClusterIP, NodePort, LoadBalancer"],
        ["nodePorts on a ClusterIP admin Service", { adminService: '{"type": "ClusterIP", "nodePorts": {"webui": 30990}}' }, "adminService.nodePorts: need type NodePort or LoadBalancer (type is ClusterIP)"],
        ["a capability that is not one", { security: '{"extraCapabilities": ["cap_net_raw"]}' }, `security.extraCapabilities: ["cap_net_raw"] is not a list of capability names such as NET_RAW (upper case, without CAP_)`],
        ["a bad quantity", { resources: '{"limits": {"memory": "4 GB"}}' }, `resources.limits: {"memory":"4 GB"} has memory '4 GB', not a quantity such as 500m or 2Gi`],
        ["an unknown resource", { resources: '{"requests": {"gpu": "1"}}' }, `resources.requests: {"gpu":"1"} has 'gpu' (allowed: cpu, memory, ephemeral-storage)`],
        ["a toleration effect", { tolerations: '[{"key": "a", "effect": "NoRun"}]' }, "tolerations[0].effect: 'NoRun' is not one of NoSchedule, PreferNoSchedule, NoExecute"],
        ["an affinity kind", { affinity: '{"nodeAfinity": {}}' }, "affinity.nodeAfinity: is not a setting (allowed: nodeAffinity, podAffinity, podAntiAffinity)"],
        ["a managed environment variable", { extraEnv: '{"ZEUS_PASS": "x"}' }, "extraEnv.ZEUS_PASS: is set by the program itself; the setting that controls it: adminPassword (npm run pulumi -- config set --secret adminPassword <password>)"],
        ["maxUnavailable as large as the replicas", { replicas: "2", availability: '{"maxUnavailable": 2}' }, "availability.maxUnavailable: 2 would let every one of the 2 replicas go down at once; use at most 1"],
        ["a malformed digest", { imageDigest: "sha256:abc" }, "imageDigest: 'sha256:abc' is not an image digest: sha256: and 64 lower-case hex digits"],
        [
            "the placeholder digest of Pulumi.prod.yaml",
            { imageDigest: `sha256:${"0".repeat(64)}` },
            `imageDigest: 'sha256:${"0".repeat(64)}' is the placeholder of Pulumi.prod.yaml, not your image's digest; set the digest of your image (docker buildx imagetools inspect <image>), or unset imageDigest to use the image by tag`,
        ],
        ["an advisory acceptance that is not a list of ids", { security: '{"acceptAdminExposure": [7593]}' }, "security.acceptAdminExposure: [7593] is not a list of advisory ids (known: CVE-2024-7593)"],
        ["a digest on a pinned image", { image: `vtm@sha256:${"a".repeat(64)}`, imageDigest: `sha256:${"b".repeat(64)}` }, `imageDigest: cannot pin image 'vtm@sha256:${"a".repeat(64)}', which already names a digest; set one or the other`],
        ["a registry password without a registry", { registryPassword: "tok" }, "registryPassword: needs registry.server and registry.username, to make the image pull Secret (npm run pulumi -- config set --path registry.server <host>)"],
        ["a rotation with a set password", { adminPassword: "Own-Password-9", adminPasswordRotation: "1" }, "adminPasswordRotation: only rotates a generated password; with adminPassword set, set a new adminPassword to rotate it"],
        ["a negative wait", { wait: '{"deploymentSeconds": -1}' }, "wait.deploymentSeconds: -1 is not a whole number of at least 0"],
        ["a request above its limit", { resources: '{"requests": {"memory": "4Gi"}, "limits": {"memory": "3800Mi"}}' }, "resources.requests.memory: '4Gi' is more than resources.limits.memory '3800Mi'; a request cannot be above its limit"],
        [
            "the example application's name as the traffic manager's",
            { name: "example-application" },
            "backend.name: 'example-application' is the same as name: the example application's and the traffic manager's selectors (label app) would pick each other's pods; choose another name or backend.name",
        ],
        [
            "the example application's Deployment name",
            { name: "example-application-deployment" },
            "name: 'example-application-deployment' gives Deployment 'example-application-deployment', which the example application (backend.name 'example-application') also uses; choose another name or backend.name",
        ],
        [
            "a service's nodePort that the admin Service has",
            { adminService: '{"type": "NodePort", "nodePorts": {"webui": 30090}}', services: '{"web": {"port": 8081, "pool": "discard", "frontend": {"nodePort": 30090}}}' },
            "services.web.frontend.nodePort: 30090 is already used by adminService.nodePorts.webui",
        ],
        ["a priority class name", { priorityClassName: "High Priority" }, "priorityClassName: 'High Priority' is not a Kubernetes object name (lower-case letters, digits, '-' and '.')"],
    ];
    for (const [what, set, expected] of cases) {
        it(`refuses ${what}`, async () => {
            const { message, recorder } = await renderRefused(set);
            assert.ok(message.split("\n").includes(`  - ${expected}`), message);
            assert.deepStrictEqual(recorder.resources, []);
        });
    }
});
