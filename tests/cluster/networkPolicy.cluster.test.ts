// The default NetworkPolicies, as Kubernetes reads them: the API server stores them as rendered, and
// their selectors, evaluated by the API server against the pods the stack really runs, pick the pods
// they mean (the traffic manager's, the example backend's) and admit the traffic manager's pods to the
// backend. Whether a network plugin enforces them is another matter: the loopback cluster's fake nodes
// run no CNI, so enforcement itself is not proven here (docs/production.md says so).
import * as assert from "assert";
import * as k8s from "@kubernetes/client-node";
import { Cluster, KubeObject, Namespace, connect } from "./harness";

describe("cluster: the default NetworkPolicies select the pods they mean", function () {
    this.timeout(300_000);
    let cluster: Cluster;
    let ns: Namespace;
    let objects: KubeObject[];

    before(async () => {
        cluster = await connect();
        ns = await cluster.namespace("vtm-it-17-netpol");
        objects = (await ns.render({ stack: "dev", set: { replicas: "2" } })).objects;
        await ns.up(objects);
    });
    after(() => ns?.cleanup());

    const names = (pods: k8s.V1Pod[]) => pods.map((p) => p.metadata!.name!).sort();
    const deploymentPods = async (name: string) => names(await ns.pods(objects.find((o) => o.kind === "Deployment" && o.metadata.name === name)!.spec.selector.matchLabels));
    /** The policy as the API server stores it, in its wire form (`from`, plain objects). */
    const stored = async (name: string): Promise<KubeObject> => {
        const read = await cluster.objects.read({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace: ns.name } });
        // The client's models name `from` `_from` (a reserved word in its generator); nothing else differs.
        return JSON.parse(JSON.stringify(read).replace(/"_from":/g, '"from":'));
    };

    it("stores both policies exactly as rendered", async () => {
        for (const policy of objects.filter((o) => o.kind === "NetworkPolicy")) {
            const s = await stored(policy.metadata.name);
            assert.deepStrictEqual(s.spec, policy.spec);
        }
        assert.deepStrictEqual(objects.filter((o) => o.kind === "NetworkPolicy").map((o) => o.metadata.name).sort(), ["example-application", "vtm"]);
    });

    it("the traffic manager's policy selects its two pods and nothing else", async () => {
        const policy = await stored("vtm");
        const selected = names(await ns.pods(policy.spec.podSelector.matchLabels));
        assert.deepStrictEqual(selected, await deploymentPods("vtm"));
        assert.strictEqual(selected.length, 2);
        // The admin ports admit every namespace's pods (an empty namespaceSelector) and no address block.
        const admin = policy.spec.ingress.find((rule: KubeObject) => rule.ports.some((p: KubeObject) => p.port === 9090));
        assert.deepStrictEqual(admin.from, [{ namespaceSelector: {} }]);
    });

    it("the example backend's policy selects its pods and admits exactly the traffic manager's", async () => {
        const policy = await stored("example-application");
        assert.deepStrictEqual(names(await ns.pods(policy.spec.podSelector.matchLabels)), await deploymentPods("example-application-deployment"));
        const from = policy.spec.ingress[0].from;
        assert.strictEqual(from.length, 1);
        const admitted = names(await ns.pods(from[0].podSelector.matchLabels));
        assert.deepStrictEqual(admitted, await deploymentPods("vtm"));
        // nginx's container port, which the Service's named target port resolves to.
        const backend = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "example-application-deployment")!;
        assert.deepStrictEqual(policy.spec.ingress[0].ports.map((p: KubeObject) => p.port), backend.spec.template.spec.containers[0].ports.map((p: KubeObject) => p.containerPort));
    });
});
