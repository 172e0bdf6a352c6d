// A missing prerequisite is named before any wait: the program reads the real API server before it
// registers anything. Without that check, Kubernetes knows the reason at once but only says it in an
// event, while the rollout waits out its timeout; with the prerequisites in place the stack deploys.
import * as assert from "assert";
import { PrerequisiteError } from "../../components/prerequisites";
import { render } from "../../scripts/render";
import { Cluster, Namespace, connect, until } from "./harness";

const TLS = { "tls.crt": Buffer.from("-----BEGIN CERTIFICATE-----\n").toString("base64"), "tls.key": Buffer.from("-----BEGIN PRIVATE KEY-----\n").toString("base64") };

describe("cluster: prerequisites", function () {
    this.timeout(180_000);
    let cluster: Cluster;
    let ns: Namespace;
    const priorityClass = `vtm-critical-${process.pid}`;

    before(async () => {
        cluster = await connect();
        ns = await cluster.namespace("vtm-prereq");
    });
    after(async () => {
        await ns?.cleanup();
        await cluster?.objects.delete({ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: priorityClass } }).catch(() => undefined);
    });

    const stack = { stack: "dev", set: { replicas: "2", priorityClassName: priorityClass, services: '{"web": {"port": 443, "pool": "example-pool", "tlsSecret": "shop-tls"}}', "availability.spreadTopologyKey": "example.com/rack" } };

    it("names every missing prerequisite within seconds, and nothing is created", async () => {
        const started = Date.now();
        const error = await ns.render(stack).then(
            () => assert.fail("the stack was rendered"),
            (err: Error) => err,
        );
        assert.ok(error instanceof PrerequisiteError, String(error));
        assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
        assert.deepStrictEqual(error.problems, [
            `priorityClassName: PriorityClass '${priorityClass}' does not exist (kubectl get priorityclasses); create it or unset priorityClassName`,
            `services.web.tlsSecret: Secret 'shop-tls' does not exist in namespace '${ns.name}'; create it first (kubectl -n ${ns.name} create secret tls shop-tls --cert=<file> --key=<file>)`,
            "availability.spreadTopologyKey: no node the pods may run on has the label 'example.com/rack', so the 2 replicas would not be spread; label the nodes or choose another key (kubernetes.io/hostname spreads over nodes)",
        ]);
        assert.deepStrictEqual(await ns.leftovers(), []);
        // A namespace that does not exist is named too.
        const gone = await render({ stack: "dev", set: { namespace: `${ns.name}-missing` }, cluster: await cluster.reader() }).then(() => undefined, (err: Error) => err);
        assert.match(String(gone?.message), new RegExp(`namespace: Namespace '${ns.name}-missing' does not exist; create it first`));
    });

    it("the check says what Kubernetes would only say in an event: applied anyway, the pods never come", async () => {
        const unchecked = await render({ ...stack, includeSecrets: true, set: { ...stack.set, namespace: ns.name, adminPassword: "Cluster-Suite-Password-1" } });
        await ns.apply(unchecked.objects);
        const event = await until("the ReplicaSet's FailedCreate event", async () => {
            const events = await cluster.core.listNamespacedEvent({ namespace: ns.name, fieldSelector: "reason=FailedCreate" });
            return events.items.find((e) => e.involvedObject.kind === "ReplicaSet")?.message;
        }, 60_000);
        assert.match(event, new RegExp(`no PriorityClass with name ${priorityClass} was found`));
        assert.strictEqual((await ns.deployment("vtm")).status?.readyReplicas, undefined);
        await ns.remove(unchecked.objects);
    });

    it("with the prerequisites in place the same stack deploys", async () => {
        await cluster.objects.create({ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: priorityClass }, value: 1000 } as never);
        await cluster.core.createNamespacedSecret({ namespace: ns.name, body: { metadata: { name: "shop-tls" }, type: "kubernetes.io/tls", data: TLS } });
        const ready = await ns.render({ ...stack, set: { ...stack.set, "availability.spreadTopologyKey": "kubernetes.io/hostname" } });
        await ns.up(ready.objects);
        const pods = await ns.pods({ app: "vtm" });
        assert.deepStrictEqual(pods.map((p) => p.spec?.priorityClassName), [priorityClass, priorityClass]);
    });
});
