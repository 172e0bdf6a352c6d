// Finding the node address for the endpoint outputs when `nodeAddress` is not set: asked of the
// cluster with the provider's kubeconfig and context at deploy time, never during preview, and
// "unknown" instead of a failure when no cluster answers.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { KubeClient, NodeList, clusterNodeAddress, firstNodeAddress } from "../components/nodeAddress";
import { render } from "../scripts/render";
import { renderDev } from "./helpers";

interface Calls {
    loaded: string[];
    context?: string;
}

/** A stand-in for @kubernetes/client-node that records how it was configured. */
function fakeClient(calls: Calls, listNode: () => Promise<NodeList>): KubeClient {
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
            return { listNode };
        }
    }
    return { KubeConfig, CoreV1Api: class {} } as unknown as KubeClient;
}

const NODES: NodeList = {
    items: [
        { status: { addresses: [{ address: "172.18.0.2" }, { address: "kind-control-plane" }] } },
        { status: { addresses: [{ address: "172.18.0.3" }] } },
    ],
};

describe("node address lookup", () => {
    it("takes the first address of the first node, as the seed README's jsonpath does", () => {
        assert.strictEqual(firstNodeAddress(NODES), "172.18.0.2");
        assert.strictEqual(firstNodeAddress({ items: [] }), undefined);
        assert.strictEqual(firstNodeAddress({ items: [{ status: {} }] }), undefined);
    });

    it("uses the default kubeconfig and the provider's context", async () => {
        const calls: Calls = { loaded: [] };
        const lookup = clusterNodeAddress({ context: "kind-vtm" }, async () => fakeClient(calls, async () => NODES));
        assert.strictEqual(await lookup(), "172.18.0.2");
        assert.deepStrictEqual(calls, { loaded: ["default"], context: "kind-vtm" });
    });

    it("reads kubernetes:kubeconfig as a path (with ~) or as the file's contents, as the provider does", async () => {
        const home = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-home-"));
        fs.writeFileSync(path.join(home, "config"), "apiVersion: v1\n");
        const original = process.env.HOME;
        process.env.HOME = home;
        try {
            const calls: Calls = { loaded: [] };
            await clusterNodeAddress({ kubeconfig: "~/config" }, async () => fakeClient(calls, async () => NODES))();
            await clusterNodeAddress({ kubeconfig: "apiVersion: v1\nkind: Config\n" }, async () => fakeClient(calls, async () => NODES))();
            assert.deepStrictEqual(calls.loaded, [`file:${path.join(home, "config")}`, "string:28"]);
        } finally {
            process.env.HOME = original;
        }
    });

    it("says the address is unknown when the API server fails, has no nodes, or does not answer in time", async () => {
        const failing = clusterNodeAddress({}, async () => fakeClient({ loaded: [] }, async () => Promise.reject(new Error("connection refused"))));
        assert.strictEqual(await failing(), undefined);
        const empty = clusterNodeAddress({}, async () => fakeClient({ loaded: [] }, async () => ({ items: [] })));
        assert.strictEqual(await empty(), undefined);
        const silent = clusterNodeAddress({}, async () => fakeClient({ loaded: [] }, () => new Promise(() => undefined)), 50);
        assert.strictEqual(await silent(), undefined);
        const missingFile = clusterNodeAddress({ kubeconfig: "/nonexistent/kubeconfig" }, async () => fakeClient({ loaded: [] }, async () => NODES));
        assert.strictEqual(await missingFile(), undefined);
    });

    it("asks no cluster when the provider renders to a directory", async () => {
        let loaded = false;
        const lookup = clusterNodeAddress({ renderYamlToDirectory: "out" }, async () => ((loaded = true), fakeClient({ loaded: [] }, async () => NODES)));
        assert.strictEqual(await lookup(), undefined);
        assert.strictEqual(loaded, false);
    });

    it("with the real client library, a cluster that refuses the connection gives unknown, not a failure", async function () {
        this.timeout(20_000);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-kube-"));
        const kubeconfig = path.join(dir, "config");
        fs.writeFileSync(
            kubeconfig,
            [
                "apiVersion: v1",
                "kind: Config",
                "clusters: [{name: local, cluster: {server: 'https://127.0.0.1:1', insecure-skip-tls-verify: true}}]",
                "users: [{name: local, user: {token: test}}]",
                "contexts: [{name: local, context: {cluster: local, user: local}}]",
                "current-context: local",
                "",
            ].join("\n"),
        );
        assert.strictEqual(await clusterNodeAddress({ kubeconfig, context: "local" })(), undefined);
    });

    it("feeds the outputs at deploy time, and shows unknown when there is no answer", async () => {
        const found = await renderDev({}, { nodeAddressLookup: async () => "198.51.100.4" });
        assert.match(String(found.outputs.serviceEndpoint.value), /^http:\/\/198\.51\.100\.4:\d+$/);
        const unknown = await renderDev({ exposure: "HostNetwork" }, { nodeAddressLookup: async () => undefined });
        assert.strictEqual(unknown.outputs.serviceEndpoint.value, "http://<node-address>:80");
        assert.strictEqual(unknown.outputs.adminUrl.value, "https://<node-address>:9090");
    });

    it("is not asked during preview, where the endpoints stay unknown until the update", async () => {
        let asked = false;
        const preview = await render({ stack: "dev", preview: true, nodeAddressLookup: async () => ((asked = true), "198.51.100.4") });
        assert.strictEqual(asked, false);
        assert.strictEqual(preview.outputs.serviceEndpoint.known, false);
        assert.strictEqual(preview.outputs.adminUrl.known, false);
    });
});
