// A local HTTP server that answers the few Kubernetes API reads the program makes (nodes, a namespace,
// a PriorityClass, a Secret, a ConfigMap), so that the real @kubernetes/client-node code path is tested
// without a cluster. It writes a kubeconfig that points at it.
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { AddressInfo } from "net";

export interface FakeApiState {
    readonly nodes: unknown[];
    readonly namespaces: readonly string[];
    readonly priorityClasses: readonly string[];
    /** `<namespace>/<name>` → the object (Secrets with type and data). */
    readonly secrets: Readonly<Record<string, unknown>>;
    readonly configMaps: Readonly<Record<string, unknown>>;
}

export interface FakeApiServer {
    readonly kubeconfig: string;
    /** Request paths, in order. */
    readonly requests: string[];
    close(): Promise<void>;
}

const notFound = (res: http.ServerResponse) => {
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 }));
};

export async function startFakeApiServer(state: FakeApiState): Promise<FakeApiServer> {
    const requests: string[] = [];
    const server = http.createServer((req, res) => {
        const url = (req.url ?? "").split("?")[0];
        requests.push(url);
        const send = (body: unknown) => {
            res.writeHead(200, { "content-type": "application/json" });
            res.end(JSON.stringify(body));
        };
        let m: RegExpExecArray | null;
        if (url === "/api/v1/nodes") return send({ kind: "NodeList", apiVersion: "v1", items: state.nodes });
        if ((m = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(url))) {
            return state.namespaces.includes(m[1]) ? send({ kind: "Namespace", apiVersion: "v1", metadata: { name: m[1] } }) : notFound(res);
        }
        if ((m = /^\/apis\/scheduling\.k8s\.io\/v1\/priorityclasses\/([^/]+)$/.exec(url))) {
            return state.priorityClasses.includes(m[1]) ? send({ kind: "PriorityClass", apiVersion: "scheduling.k8s.io/v1", metadata: { name: m[1] }, value: 1000 }) : notFound(res);
        }
        if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/(secrets|configmaps)\/([^/]+)$/.exec(url))) {
            const found = (m[2] === "secrets" ? state.secrets : state.configMaps)[`${m[1]}/${m[3]}`];
            return found === undefined ? notFound(res) : send(found);
        }
        notFound(res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-fake-api-"));
    const kubeconfig = path.join(dir, "config");
    fs.writeFileSync(
        kubeconfig,
        [
            "apiVersion: v1",
            "kind: Config",
            `clusters: [{name: fake, cluster: {server: 'http://127.0.0.1:${port}', insecure-skip-tls-verify: true}}]`,
            "users: [{name: fake, user: {token: test}}]",
            "contexts: [{name: fake, context: {cluster: fake, user: fake}}]",
            "current-context: fake",
            "",
        ].join("\n"),
    );
    return { kubeconfig, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A node as the API returns it. */
export function apiNode(name: string, address: string, labels: Record<string, string> = {}): unknown {
    return { metadata: { name, labels: { "kubernetes.io/hostname": name, ...labels } }, spec: {}, status: { addresses: [{ type: "InternalIP", address }] } };
}
