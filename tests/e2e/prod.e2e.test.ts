// The prod stack (Pulumi.prod.yaml) under the real engine: before its documented prerequisites exist,
// `pulumi preview` names each missing one within seconds and nothing is created; once they exist
// (the TLS Secret, the registry password, the PriorityClass), `pulumi up` brings it up as configured.
import * as assert from "assert";
import { randomBytes } from "crypto";
import { EngineStack, World, changes, withWorld } from "./harness";

const TLS = { "tls.crt": Buffer.from("-----BEGIN CERTIFICATE-----\n").toString("base64"), "tls.key": Buffer.from("-----BEGIN PRIVATE KEY-----\n").toString("base64") };

describe("e2e: the prod stack and its prerequisites", function () {
    let world: World;
    let stack: EngineStack;
    // The stack file's PriorityClass, under a name of this run's own (PriorityClasses are cluster-wide).
    const priorityClass = `vtm-e2e-critical-${randomBytes(3).toString("hex")}`;

    withWorld({
        balancer: true,
        setup: async (w) => {
            world = w;
            stack = await w.stack({
                from: "Pulumi.prod.yaml",
                // The file's digest is a placeholder that is refused: a digest of the user's image (no image is pulled here).
                // This cluster's nodes have no zones: spread over nodes instead (the file says to change such things).
                config: { imageDigest: `sha256:${randomBytes(32).toString("hex")}`, priorityClassName: priorityClass, availability: { podDisruptionBudget: true, maxUnavailable: 1, spreadTopologyKey: "kubernetes.io/hostname" } },
                // As its header says: pulumi config set --secret registryPassword <token>
                secrets: { registryPassword: "e2e-registry-token" },
            });
        },
    });
    after(async () => {
        // After withWorld's own after hook: the stack is destroyed by then.
        await world?.cluster.objects.delete({ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: priorityClass } }).catch(() => undefined);
    });

    it("names every missing prerequisite in preview, within seconds, and creates nothing", async () => {
        const started = Date.now();
        const error = await stack.preview().then(
            () => assert.fail("the preview passed"),
            (err: Error) => err,
        );
        const seconds = (Date.now() - started) / 1000;
        assert.match(error.message, new RegExp(`priorityClassName: PriorityClass '${priorityClass}' does not exist`));
        assert.match(error.message, new RegExp(`services.secure.tlsSecret: Secret 'shop-tls' does not exist in namespace '${world.namespace}'`));
        // Seconds, against the 300 s the rollout would have waited.
        assert.ok(seconds < 30, `the preview took ${seconds} s`);
        assert.deepStrictEqual(await world.ns.leftovers(), []);
    });

    it("comes up once they exist: three spread pods of the pinned image from the registry, the budget, the policy, the balancer", async () => {
        await world.cluster.objects.create({ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: priorityClass }, value: 1000 } as never);
        await world.cluster.core.createNamespacedSecret({ namespace: world.namespace, body: { metadata: { name: "shop-tls" }, type: "kubernetes.io/tls", data: TLS } });
        assert.strictEqual((await stack.up()).summary.result, "succeeded");

        const pods = await world.vtmPods();
        assert.strictEqual(pods.length, 3);
        assert.strictEqual(new Set(pods.map((p) => p.spec!.nodeName)).size, 3, "one pod per node");
        const deployment = await world.ns.deployment("vtm");
        const spec = deployment.spec!.template.spec!;
        assert.strictEqual(spec.priorityClassName, priorityClass);
        assert.match(spec.containers[0].image!, /^registry\.example\.com\/pulsesecure\/vtm:19\.1@sha256:[0-9a-f]{64}$/);
        const objects = await world.objects();
        const pullSecret = spec.imagePullSecrets?.[0]?.name;
        assert.ok(pullSecret && objects.has(`Secret/${pullSecret}`), "the image pull Secret the program made");
        const secret = await world.cluster.core.readNamespacedSecret({ name: pullSecret, namespace: world.namespace });
        assert.strictEqual(secret.type, "kubernetes.io/dockerconfigjson");
        assert.ok(objects.has("PodDisruptionBudget/vtm") && objects.has("NetworkPolicy/vtm"), [...objects.keys()].join(", "));
        const services = await world.ns.services();
        assert.strictEqual(services.find((s) => s.metadata!.name === "vtm-admin-services")?.spec?.type, "ClusterIP");
        const balancer = services.find((s) => s.metadata!.name === "vtm-services")!;
        const ip = balancer.status!.loadBalancer!.ingress![0].ip;
        assert.deepStrictEqual(balancer.spec!.loadBalancerSourceRanges, ["203.0.113.0/24"]);
        assert.deepStrictEqual((await stack.outputs()).serviceEndpoints, { web: `http://${ip}:80`, secure: `https://${ip}:443` });
        assert.deepStrictEqual(changes((await stack.preview()).changeSummary), {});
    });
});
