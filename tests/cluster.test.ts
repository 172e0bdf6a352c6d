// What the program reads of the cluster before it registers anything (components/cluster.ts and
// prerequisites.ts): the nodes, for the endpoint outputs and a host-network rollout's room, and every
// object the stack refers to but does not create. Missing ones are named, all at once, and nothing is
// registered; a cluster that cannot be read is said so, and the deployment goes on.
import * as assert from "assert";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { KubeClient, kubernetesCluster } from "../components/cluster";
import { directAccess } from "../components/directCluster";
import { Recorder } from "../scripts/mockRuntime";
import { render } from "../scripts/render";
import { FakeApiServer, apiNode, startFakeApiServer } from "./fakeApiServer";
import { fakeCluster, node } from "./fakeCluster";
import { selfSigned } from "./verifyStandIns";
import { find, outputValue, renderDev, HOST_NETWORK } from "./helpers";

/** Renders with a cluster and expects a refusal; returns the listed problems and what was registered. */
async function refusedBy(cluster: ReturnType<typeof fakeCluster>, set: Record<string, string>): Promise<{ problems: string[]; heading: string; recorder: Recorder }> {
    const recorder = new Recorder({ simulateCluster: true });
    try {
        await render({ stack: "dev", set, cluster }, recorder);
    } catch (err) {
        const [heading, ...lines] = (err as Error).message.split("\n");
        return { heading, problems: lines.map((l) => l.replace(/^ {2}- /, "")), recorder };
    }
    throw new Error(`accepted: ${JSON.stringify(set)}`);
}

describe("cluster: connecting with the provider's settings", () => {
    interface Calls {
        loaded: string[];
        context?: string;
    }
    /** A stand-in for @kubernetes/client-node that records how it was configured. */
    function fakeClient(calls: Calls): KubeClient {
        class KubeConfig {
            loadFromDefault() {
                calls.loaded.push("default");
            }
            loadFromFile(file: string) {
                calls.loaded.push(`file:${file}`);
            }
            loadFromString(contents: string) {
                calls.loaded.push(`string:${contents.length}`);
            }
            setCurrentContext(context: string) {
                calls.context = context;
            }
            makeApiClient() {
                return { listNode: async () => ({ items: [] }) };
            }
        }
        return { KubeConfig, CoreV1Api: class {}, SchedulingV1Api: class {} } as unknown as KubeClient;
    }

    it("uses the default kubeconfig and the provider's context", async () => {
        // A default kubeconfig to find (without one it says so: tests/noCluster.test.ts).
        const saved = process.env.KUBECONFIG;
        process.env.KUBECONFIG = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vtm-kube-")), "config");
        fs.writeFileSync(process.env.KUBECONFIG, "apiVersion: v1\nkind: Config\n");
        try {
            const calls: Calls = { loaded: [] };
            await kubernetesCluster({ context: "kind-vtm" }, async () => fakeClient(calls));
            assert.deepStrictEqual(calls, { loaded: ["default"], context: "kind-vtm" });
        } finally {
            if (saved === undefined) delete process.env.KUBECONFIG;
            else process.env.KUBECONFIG = saved;
        }
    });

    it("reads kubernetes:kubeconfig as a path (with ~) or as the file's contents, as the provider does", async () => {
        const home = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-home-"));
        fs.writeFileSync(path.join(home, "config"), "apiVersion: v1\n");
        const original = process.env.HOME;
        process.env.HOME = home;
        try {
            const calls: Calls = { loaded: [] };
            await kubernetesCluster({ kubeconfig: "~/config" }, async () => fakeClient(calls));
            await kubernetesCluster({ kubeconfig: "apiVersion: v1\nkind: Config\n" }, async () => fakeClient(calls));
            assert.deepStrictEqual(calls.loaded, [`file:${path.join(home, "config")}`, "string:28"]);
            await assert.rejects(kubernetesCluster({ kubeconfig: "/nonexistent/kubeconfig" }, async () => fakeClient(calls)), /kubeconfig file \/nonexistent\/kubeconfig does not exist/);
        } finally {
            process.env.HOME = original;
        }
    });

    it("asks no cluster when the provider renders to a directory", async () => {
        let loaded = false;
        const reader = await kubernetesCluster({ renderYamlToDirectory: "out" }, async () => ((loaded = true), fakeClient({ loaded: [] })));
        assert.strictEqual(reader, undefined);
        assert.strictEqual(loaded, false);
    });
});

/** A loader of client-node that fails the test: where Node's https reads the cluster, client-node is never loaded. */
const noClientNode = async (): Promise<KubeClient> => assert.fail("@kubernetes/client-node was loaded");

describe("cluster: the real clients against an API server", () => {
    let api: FakeApiServer;
    before(async () => {
        api = await startFakeApiServer({
            nodes: [apiNode("worker-a", "10.1.0.5", { "topology.kubernetes.io/zone": "a" }), apiNode("worker-b", "10.1.0.6")],
            namespaces: ["shop"],
            priorityClasses: ["vtm-critical"],
            secrets: { "shop/shop-tls": { type: "kubernetes.io/tls", data: { "tls.crt": "Q0VSVA==", "tls.key": "S0VZ" } } },
            configMaps: { "shop/extra": { data: { "a.yaml": "x" }, binaryData: { "b.bin": "AA==" } } },
        });
    });
    after(() => api.close());

    // The same reads through Node's https (a kubeconfig of a server and static credentials) and through
    // @kubernetes/client-node (any other kubeconfig; here forced).
    const clients: [string, Parameters<typeof kubernetesCluster>[1], Parameters<typeof kubernetesCluster>[2]][] = [
        ["Node's https", noClientNode, undefined],
        ["@kubernetes/client-node", undefined, () => undefined],
    ];
    for (const [client, load, direct] of clients) {
        it(`${client}: reads nodes, objects and their keys (never the values), and tells a missing object from a present one`, async () => {
            const reader = (await kubernetesCluster({ kubeconfig: api.kubeconfig }, load, direct))!;
            const nodes = await reader.nodes();
            assert.deepStrictEqual(nodes.map((n) => [n.name, n.addresses, n.labels["topology.kubernetes.io/zone"]]), [["worker-a", ["10.1.0.5"], "a"], ["worker-b", ["10.1.0.6"], undefined]]);
            assert.strictEqual(await reader.namespaceExists("shop"), true);
            assert.strictEqual(await reader.namespaceExists("nope"), false);
            assert.strictEqual(await reader.priorityClassExists("vtm-critical"), true);
            assert.strictEqual(await reader.priorityClassExists("nope"), false);
            assert.deepStrictEqual(await reader.secret("shop", "shop-tls"), { type: "kubernetes.io/tls", keys: ["tls.crt", "tls.key"] });
            assert.strictEqual(await reader.secret("shop", "nope"), undefined);
            assert.deepStrictEqual(await reader.configMap("shop", "extra"), { keys: ["a.yaml", "b.bin"] });
            assert.ok(api.requests.includes("/api/v1/namespaces/shop/secrets/shop-tls"), api.requests.join(", "));
        });

        it(`${client}: a cluster that refuses the connection is reported as a warning, and the outputs say the address is unknown`, async function () {
            this.timeout(20_000);
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-kube-"));
            const kubeconfig = path.join(dir, "config");
            fs.writeFileSync(kubeconfig, fs.readFileSync(api.kubeconfig, "utf8").replace(/127\.0\.0\.1:\d+/, "127.0.0.1:1"));
            const reader = (await kubernetesCluster({ kubeconfig }, load, direct))!;
            const r = await render({ stack: "dev", cluster: reader, set: { ...HOST_NETWORK } });
            assert.strictEqual(r.outputs.serviceEndpoint.value, "http://<node-address>:80");
            const warning = r.notes.find((n) => n.includes("Could not read the cluster"));
            assert.match(String(warning), /ECONNREFUSED/);
            assert.match(String(warning), /npm run pulumi -- config set nodeAddress <address>/);
        });
    }

    it("Node's https: an answer other than 404 is a failure to read, with the API server's reason", async () => {
        const refusing = http.createServer((_req, res) => {
            res.writeHead(403, { "content-type": "application/json" });
            res.end(JSON.stringify({ kind: "Status", code: 403, message: 'namespaces "shop" is forbidden: User "dev" cannot get resource "namespaces"' }));
        });
        await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
        try {
            const server = `http://127.0.0.1:${(refusing.address() as net.AddressInfo).port}`;
            const reader = (await kubernetesCluster({ kubeconfig: kubeconfigOf({ server }, { token: "t" }) }, noClientNode))!;
            await assert.rejects(reader.namespaceExists("shop"), (err: Error & { code?: number }) => {
                assert.strictEqual(err.code, 403);
                assert.match(err.message, /HTTP 403 from http:\/\/127\.0\.0\.1:\d+\/api\/v1\/namespaces\/shop: namespaces "shop" is forbidden/);
                return true;
            });
        } finally {
            await new Promise((resolve) => refusing.close(resolve));
        }
    });
});

/** A kubeconfig's text with one cluster, user and context. */
function kubeconfigOf(cluster: Record<string, unknown>, user: Record<string, unknown>, more: Record<string, unknown> = {}): string {
    return yaml.dump({ apiVersion: "v1", kind: "Config", clusters: [{ name: "c", cluster }], users: [{ name: "u", user }], contexts: [{ name: "ctx", context: { cluster: "c", user: "u" } }], "current-context": "ctx", ...more });
}

describe("cluster: which kubeconfigs are read without @kubernetes/client-node", () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-home-"));
    const env = {};

    it("a server with certificates, a token or a user and password: read directly, files relative to the kubeconfig", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-kube-"));
        fs.writeFileSync(path.join(dir, "ca.crt"), "CA");
        fs.writeFileSync(path.join(dir, "token"), "from-a-file\n");
        const file = path.join(dir, "config");
        fs.writeFileSync(file, kubeconfigOf({ server: "https://10.0.0.1:6443/", "certificate-authority": "ca.crt", "tls-server-name": "api.local" }, { "client-certificate-data": Buffer.from("CERT").toString("base64"), "client-key-data": Buffer.from("KEY").toString("base64"), tokenFile: "token" }));
        const access = directAccess({ kubeconfig: file }, env, home)!;
        assert.deepStrictEqual(
            { ...access, ca: access.ca?.toString(), cert: access.cert?.toString(), key: access.key?.toString() },
            { server: "https://10.0.0.1:6443", ca: "CA", cert: "CERT", key: "KEY", token: "from-a-file", username: undefined, password: undefined, insecure: false, servername: "api.local" },
        );
        assert.deepStrictEqual(directAccess({ kubeconfig: kubeconfigOf({ server: "https://a", "insecure-skip-tls-verify": true }, { username: "admin", password: "pw" }) }, env, home), {
            server: "https://a", ca: undefined, cert: undefined, key: undefined, token: undefined, username: "admin", password: "pw", insecure: true, servername: undefined,
        });
    });

    it("follows kubernetes:context, KUBECONFIG's one file, then ~/.kube/config, as the provider does", () => {
        const two = yaml.dump({
            clusters: [{ name: "a", cluster: { server: "https://a" } }, { name: "b", cluster: { server: "https://b" } }],
            users: [{ name: "u", user: { token: "t" } }],
            contexts: [{ name: "one", context: { cluster: "a", user: "u" } }, { name: "two", context: { cluster: "b", user: "u" } }],
            "current-context": "one",
        });
        assert.strictEqual(directAccess({ kubeconfig: two }, env, home)?.server, "https://a");
        assert.strictEqual(directAccess({ kubeconfig: two, context: "two" }, env, home)?.server, "https://b");
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vtm-kube-")), "config");
        fs.writeFileSync(file, two);
        assert.strictEqual(directAccess({}, { KUBECONFIG: file }, home)?.server, "https://a");
        const userHome = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-home-"));
        fs.mkdirSync(path.join(userHome, ".kube"));
        fs.writeFileSync(path.join(userHome, ".kube", "config"), two.replace("current-context: one", "current-context: two"));
        assert.strictEqual(directAccess({}, {}, userHome)?.server, "https://b");
    });

    it("leaves plugins, proxies, impersonation, merged files, in-cluster credentials and what it cannot read to client-node", () => {
        const plain = { server: "https://a" };
        const cases: [string, ReturnType<typeof directAccess>][] = [
            ["an exec plugin", directAccess({ kubeconfig: kubeconfigOf(plain, { exec: { command: "aws", apiVersion: "client.authentication.k8s.io/v1beta1" } }) }, env, home)],
            ["an auth-provider", directAccess({ kubeconfig: kubeconfigOf(plain, { "auth-provider": { name: "oidc" } }) }, env, home)],
            ["impersonation", directAccess({ kubeconfig: kubeconfigOf(plain, { token: "t", as: "admin" }) }, env, home)],
            ["a proxy-url", directAccess({ kubeconfig: kubeconfigOf({ ...plain, "proxy-url": "http://proxy:3128" }, { token: "t" }) }, env, home)],
            ["a proxy in the environment", directAccess({ kubeconfig: kubeconfigOf(plain, { token: "t" }) }, { HTTPS_PROXY: "http://proxy:3128" }, home)],
            ["several KUBECONFIG files", directAccess({}, { KUBECONFIG: ["/a", "/b"].join(path.delimiter) }, home)],
            ["no kubeconfig (in a pod, or none: client-node says which)", directAccess({}, {}, home)],
            ["an unknown context", directAccess({ kubeconfig: kubeconfigOf(plain, {}), context: "nope" }, env, home)],
            ["a context whose user the file lacks", directAccess({ kubeconfig: kubeconfigOf(plain, {}).replace("user: u\n", "user: nobody\n") }, env, home)],
            ["a file it names that is missing", directAccess({ kubeconfig: kubeconfigOf({ ...plain, "certificate-authority": "/nonexistent/ca.crt" }, {}) }, env, home)],
            ["YAML it cannot parse", directAccess({ kubeconfig: "apiVersion: v1\nclusters: [" }, env, home)],
        ];
        assert.deepStrictEqual(cases.filter(([, access]) => access !== undefined).map(([what]) => what), []);
    });

    it("presents the client certificate and checks the server's against the kubeconfig's CA", async () => {
        const { key, cert } = selfSigned();
        const seen: string[] = [];
        const server = https.createServer({ key, cert, ca: [cert], requestCert: true, rejectUnauthorized: true }, (req, res) => {
            seen.push(String((req.socket as import("tls").TLSSocket).getPeerCertificate().subject?.CN));
            res.writeHead(200, { "content-type": "application/json" });
            res.end(JSON.stringify({ items: [apiNode("tls-node", "10.2.0.1")] }));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        try {
            const url = `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
            const b64 = (s: string) => Buffer.from(s).toString("base64");
            const trusted = (await kubernetesCluster({ kubeconfig: kubeconfigOf({ server: url, "certificate-authority-data": b64(cert) }, { "client-certificate-data": b64(cert), "client-key-data": b64(key) }) }, noClientNode))!;
            assert.deepStrictEqual((await trusted.nodes()).map((n) => n.name), ["tls-node"]);
            assert.deepStrictEqual(seen, ["vtm-standin"]);
            // Without the CA the server's certificate is not trusted, and nothing is read.
            const untrusted = (await kubernetesCluster({ kubeconfig: kubeconfigOf({ server: url }, { "client-certificate-data": b64(cert), "client-key-data": b64(key) }) }, noClientNode))!;
            await assert.rejects(untrusted.nodes(), /self[- ]signed certificate/);
            assert.strictEqual(seen.length, 1);
        } finally {
            await new Promise((resolve) => server.close(resolve));
        }
    });
});

describe("cluster: the node address and the rollout's room", () => {
    it("takes the first node's first address, as the seed README's jsonpath does, during preview too", async () => {
        const cluster = fakeCluster({ nodes: [node(0, {}, { addresses: ["198.51.100.4", "node-0"] }), node(1)] });
        const up = await renderDev({}, { cluster });
        assert.match(String(up.outputs.serviceEndpoint.value), /^http:\/\/198\.51\.100\.4:\d+$/);
        // In preview a nodePort is not allocated yet, but on the host network the whole address is known.
        const preview = await render({ stack: "dev", preview: true, cluster, set: { ...HOST_NETWORK } });
        assert.deepStrictEqual(preview.outputs.adminUrl, { value: "https://198.51.100.4:9090", secret: false, known: true });
    });

    it("shows <node-address> when no cluster is read (offline rendering)", async () => {
        const r = await render({ stack: "dev", set: { ...HOST_NETWORK } });
        assert.strictEqual(r.outputs.serviceEndpoint.value, "http://<node-address>:80");
        assert.strictEqual(r.outputs.adminUrl.value, "https://<node-address>:9090");
    });

    const strategy = async (replicas: number, nodes: number, set: Record<string, string> = {}) => {
        const cluster = fakeCluster({ nodes: Array.from({ length: nodes }, (_, i) => node(i)) });
        const r = await renderDev({ ...HOST_NETWORK, replicas: String(replicas), ...set }, { cluster });
        return find(r.objects, "Deployment", "vtm").spec.strategy.rollingUpdate;
    };

    it("on the host network, a new pod starts before an old one stops when a node is free for it", async () => {
        assert.deepStrictEqual(await strategy(2, 3), { maxSurge: 1, maxUnavailable: 0 });
        assert.deepStrictEqual(await strategy(1, 2), { maxSurge: 1, maxUnavailable: 0 });
    });

    it("on the host network with a pod on every node, an old pod stops first (availability.maxUnavailable at a time)", async () => {
        assert.deepStrictEqual(await strategy(3, 3), { maxSurge: 1, maxUnavailable: 1 });
        assert.deepStrictEqual(await strategy(3, 3, { "availability.maxUnavailable": "2" }), { maxSurge: 1, maxUnavailable: 2 });
        // Nodes that the pods may not use leave no room either.
        const tainted = fakeCluster({ nodes: [node(0), node(1), node(2, {}, { taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }] })] });
        const r = await renderDev({ ...HOST_NETWORK, replicas: "2" }, { cluster: tainted });
        assert.deepStrictEqual(find(r.objects, "Deployment", "vtm").spec.strategy.rollingUpdate, { maxSurge: 1, maxUnavailable: 1 });
    });

    it("without a cluster to ask, assumes there is no node to spare", async () => {
        const r = await render({ stack: "dev", set: { ...HOST_NETWORK } });
        assert.deepStrictEqual(find(r.objects, "Deployment", "vtm").spec.strategy.rollingUpdate, { maxSurge: 1, maxUnavailable: 1 });
    });
});

describe("cluster: prerequisites are named before anything is registered", () => {
    it("names every missing object with the setting that refers to it, at once", async () => {
        const cluster = fakeCluster({ missing: ["Namespace/shop", "PriorityClass/vtm-critical", "Secret/shop-tls", "Secret/regcred", "ConfigMap/extra-docs"] });
        const { heading, problems, recorder } = await refusedBy(cluster, {
            namespace: "shop",
            priorityClassName: "vtm-critical",
            services: '{"web": {"port": 443, "pool": "discard", "tlsSecret": "shop-tls"}}',
            imagePullSecrets: '["regcred"]',
            configMounts: '[{"name": "extra-docs"}]',
        });
        assert.strictEqual(heading, "The cluster lacks what the stack needs (5 missing; nothing was deployed or changed):");
        assert.deepStrictEqual(problems, [
            "namespace: Namespace 'shop' does not exist; create it first (kubectl create namespace shop)",
            "priorityClassName: PriorityClass 'vtm-critical' does not exist (kubectl get priorityclasses); create it or unset priorityClassName",
            "services.web.tlsSecret: Secret 'shop-tls' does not exist in namespace 'shop'; create it first (kubectl -n shop create secret tls shop-tls --cert=<file> --key=<file>)",
            "imagePullSecrets[0]: Secret 'regcred' does not exist in namespace 'shop'; create it first (kubectl -n shop create secret docker-registry regcred …)",
            "configMounts[0]: ConfigMap 'extra-docs' does not exist in namespace 'shop'; create it first",
        ]);
        assert.deepStrictEqual(recorder.resources, []);
    });

    it("names a TLS Secret of the wrong type and a mount without the keys its items name", async () => {
        const cluster = fakeCluster({
            objects: { "Secret/shop-tls": { type: "Opaque", keys: ["tls.crt", "tls.key"] }, "ConfigMap/extra-data": { keys: ["other"] } },
        });
        const { problems } = await refusedBy(cluster, {
            services: '{"web": {"port": 443, "pool": "discard", "tlsSecret": "shop-tls"}}',
            dataMounts: '[{"name": "extra-data", "items": [{"key": "geo.csv", "path": "geo.csv"}]}]',
        });
        assert.deepStrictEqual(problems, [
            "services.web.tlsSecret: Secret 'shop-tls' is of type 'Opaque', not kubernetes.io/tls (kubectl -n default create secret tls shop-tls --cert=<file> --key=<file>)",
            "dataMounts[0]: ConfigMap 'extra-data' has no key 'geo.csv' (it has: other)",
        ]);
    });

    it("names the licence Secret the licensing setting refers to, and the key it lacks", async () => {
        const set = { licensing: '{"mode": "licenseKey", "licenseSecret": "vtm-licence", "licenseSecretKey": "vtm.lic"}' };
        const missing = await refusedBy(fakeCluster({ missing: ["Secret/vtm-licence"] }), set);
        assert.deepStrictEqual(missing.problems, [
            "licensing.licenseSecret: Secret 'vtm-licence' does not exist in namespace 'default'; create it first (kubectl -n default create secret generic vtm-licence --from-file=vtm.lic=<licence file>)",
        ]);
        const keyless = await refusedBy(fakeCluster({ objects: { "Secret/vtm-licence": { type: "Opaque", keys: ["license"] } } }), set);
        assert.deepStrictEqual(keyless.problems, ["licensing.licenseSecret: Secret 'vtm-licence' has no key 'vtm.lic' (it has: license)"]);
    });

    it("names placement that would leave pods Pending: no node for the nodeSelector", async () => {
        const { problems } = await refusedBy(fakeCluster(), { nodeSelector: '{"pool": "edge"}' });
        assert.deepStrictEqual(problems, ["nodeSelector: the cluster has 3 node(s) and none is schedulable and has the labels pool=edge; the traffic manager's pods could not start anywhere"]);
    });

    it("names a spread key that no node has, and more host-network replicas than nodes", async () => {
        const cluster = fakeCluster({ nodes: [node(0), node(1)] });
        const { problems } = await refusedBy(cluster, { ...HOST_NETWORK, replicas: "3", "availability.spreadTopologyKey": "example.com/rack" });
        assert.deepStrictEqual(problems, [
            "availability.spreadTopologyKey: no node the pods may run on has the label 'example.com/rack', so the 3 replicas would not be spread; label the nodes or choose another key (kubernetes.io/hostname spreads over nodes)",
            "replicas: 3 host-network traffic managers need 3 nodes (one per node), and only 2 can run them; lower replicas to 2 or add nodes",
        ]);
    });

    it("counts only nodes the pods may use: cordoned ones and taints not tolerated do not count", async () => {
        const cluster = fakeCluster({
            nodes: [node(0), node(1, {}, { unschedulable: true }), node(2, {}, { taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }] })],
        });
        const refused = await refusedBy(cluster, { ...HOST_NETWORK, replicas: "2" });
        assert.match(refused.problems[0], /^replicas: 2 host-network traffic managers need 2 nodes \(one per node\), and only 1 can run them/);
        const tolerated = await renderDev({ ...HOST_NETWORK, replicas: "2", tolerations: '[{"key": "dedicated", "operator": "Equal", "value": "db", "effect": "NoSchedule"}]' }, { cluster });
        assert.strictEqual(find(tolerated.objects, "Deployment", "vtm").spec.replicas, 2);
    });

    it("a stack whose prerequisites exist is not held back, and the objects it creates itself are not asked for", async () => {
        const cluster = fakeCluster();
        const r = await renderDev({ services: '{"web": {"port": 443, "pool": "discard", "tlsSecret": "shop-tls"}}' }, { cluster });
        assert.ok(find(r.objects, "Deployment", "vtm"));
        assert.deepStrictEqual(cluster.asked.filter((a) => a !== "nodes").sort(), ["Namespace/default", "Secret/shop-tls"]);
        assert.strictEqual(outputValue(r, "namespace"), "default");
    });
});
