// The cluster reads without @kubernetes/client-node, when the kubeconfig names a server and static
// credentials (kind, minikube, k3d and most local clusters: certificates, a token, a user and password).
// Loading client-node takes about 0.4 s of every program run, twice per `pulumi up`, for five GETs that
// Node's own https makes as well (docs/development.md, Deploy speed). Everything else a kubeconfig can
// say (exec and auth-provider plugins, proxies, impersonation, several KUBECONFIG files to merge,
// in-cluster credentials) is left to client-node: directAccess returns undefined for it.
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { KubernetesSettings } from "../settings/settings";
import type { ClusterNode, ClusterReader, RawNode } from "./cluster";

/** A server and the static credentials to ask it with. */
export interface DirectAccess {
    readonly server: string;
    readonly ca?: Buffer;
    readonly cert?: Buffer;
    readonly key?: Buffer;
    readonly token?: string;
    readonly username?: string;
    readonly password?: string;
    readonly insecure: boolean;
    readonly servername?: string;
}

/** The fields of a kubeconfig's cluster and user this module understands; any other sends the read to client-node. */
const CLUSTER_FIELDS = ["server", "certificate-authority-data", "certificate-authority", "insecure-skip-tls-verify", "tls-server-name", "disable-compression", "extensions"];
const USER_FIELDS = ["client-certificate-data", "client-certificate", "client-key-data", "client-key", "token", "tokenFile", "username", "password", "extensions"];
/** Proxies client-node may honour from the environment. */
const PROXY_VARIABLES = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"];

/** The kubeconfig's text and the directory its relative paths start from, as the provider finds it. */
function kubeconfigText(kube: KubernetesSettings, env: NodeJS.ProcessEnv, home: string): { text: string; dir: string } | undefined {
    const read = (file: string) => (fs.existsSync(file) ? { text: fs.readFileSync(file, "utf8"), dir: path.dirname(path.resolve(file)) } : undefined);
    if (kube.kubeconfig !== undefined) {
        if (/\n|^\s*[{]|^\s*apiVersion:/.test(kube.kubeconfig)) return { text: kube.kubeconfig, dir: process.cwd() };
        return read(kube.kubeconfig.replace(/^~(?=$|\/)/, home));
    }
    if (env.KUBECONFIG !== undefined && env.KUBECONFIG !== "") {
        const files = env.KUBECONFIG.split(path.delimiter).filter((f) => f !== "");
        return files.length === 1 ? read(files[0]) : undefined; // several files merge by kubectl's rules: client-node's
    }
    return read(path.join(home, ".kube", "config"));
}

const named = (list: unknown, name: unknown): Record<string, unknown> | undefined =>
    (Array.isArray(list) ? list : []).find((e) => e?.name === name && e !== null && typeof e === "object") as Record<string, unknown> | undefined;

const onlyKnown = (o: Record<string, unknown>, fields: readonly string[]) => Object.keys(o).every((k) => fields.includes(k));

/** The server and static credentials of the provider's kubeconfig and context, or undefined for client-node. */
export function directAccess(kube: KubernetesSettings, env: NodeJS.ProcessEnv = process.env, home = os.homedir()): DirectAccess | undefined {
    if (PROXY_VARIABLES.some((v) => env[v])) return undefined;
    const source = kubeconfigText(kube, env, home);
    if (source === undefined) return undefined;
    let doc: Record<string, unknown>;
    try {
        doc = yaml.load(source.text) as Record<string, unknown>;
    } catch {
        return undefined; // client-node says what is wrong with it
    }
    if (doc === null || typeof doc !== "object") return undefined;
    const context = named(doc.contexts, kube.context ?? doc["current-context"])?.context as Record<string, unknown> | undefined;
    const cluster = named(doc.clusters, context?.cluster)?.cluster as Record<string, unknown> | undefined;
    const userEntry = named(doc.users, context?.user);
    // A context without a user asks anonymously; one that names a user the file lacks is client-node's to report.
    if (context?.user !== undefined && userEntry === undefined) return undefined;
    const user = (userEntry?.user ?? {}) as Record<string, unknown>;
    if (!cluster || typeof cluster.server !== "string" || !/^https?:\/\//.test(cluster.server)) return undefined;
    if (!onlyKnown(cluster, CLUSTER_FIELDS) || !onlyKnown(user, USER_FIELDS)) return undefined;
    const file = (p: unknown) => fs.readFileSync(path.resolve(source.dir, String(p)));
    const data = (inline: unknown, onDisk: unknown) => (inline !== undefined ? Buffer.from(String(inline), "base64") : onDisk !== undefined ? file(onDisk) : undefined);
    try {
        return {
            server: cluster.server.replace(/\/+$/, ""),
            ca: data(cluster["certificate-authority-data"], cluster["certificate-authority"]),
            cert: data(user["client-certificate-data"], user["client-certificate"]),
            key: data(user["client-key-data"], user["client-key"]),
            token: user.token !== undefined ? String(user.token) : user.tokenFile !== undefined ? file(user.tokenFile).toString("utf8").trim() : undefined,
            username: user.username !== undefined ? String(user.username) : undefined,
            password: user.password !== undefined ? String(user.password) : undefined,
            insecure: cluster["insecure-skip-tls-verify"] === true,
            servername: cluster["tls-server-name"] !== undefined ? String(cluster["tls-server-name"]) : undefined,
        };
    } catch {
        return undefined; // a file it names cannot be read: client-node says which
    }
}

/** An API error as client-node gives it: the HTTP status as `code`, the Status message as the message. */
class ApiError extends Error {
    constructor(
        readonly code: number,
        message: string,
    ) {
        super(message);
    }
}

/** GETs JSON from the API server; a non-2xx answer rejects with its status as `code`. */
function getter(access: DirectAccess, timeoutMs: number): <T>(apiPath: string) => Promise<T> {
    const url = new URL(access.server);
    const client = url.protocol === "https:" ? https : http;
    const headers: Record<string, string> = { accept: "application/json" };
    if (access.token !== undefined) headers.authorization = `Bearer ${access.token}`;
    else if (access.username !== undefined) headers.authorization = `Basic ${Buffer.from(`${access.username}:${access.password ?? ""}`).toString("base64")}`;
    const tls = { ca: access.ca, cert: access.cert, key: access.key, rejectUnauthorized: !access.insecure, servername: access.servername };
    return <T>(apiPath: string) =>
        new Promise<T>((resolve, reject) => {
            const request = client.get(`${access.server}${apiPath}`, { headers, ...tls, timeout: timeoutMs }, (res) => {
                let body = "";
                res.setEncoding("utf8");
                res.on("data", (chunk) => (body += chunk));
                res.on("end", () => {
                    const status = res.statusCode ?? 0;
                    let parsed: unknown;
                    try {
                        parsed = JSON.parse(body);
                    } catch {
                        parsed = undefined;
                    }
                    if (status >= 200 && status < 300 && parsed !== undefined) return resolve(parsed as T);
                    const reason = (parsed as { message?: string } | undefined)?.message ?? (body.trim().slice(0, 200) || res.statusMessage);
                    reject(new ApiError(status, `HTTP ${status} from ${access.server}${apiPath}${reason ? `: ${reason}` : ""}`));
                });
            });
            request.on("timeout", () => request.destroy(new Error(`no answer from ${access.server} in ${timeoutMs / 1000} s`)));
            request.on("error", reject);
        });
}

/** A 404 is an answer ("not there"); anything else is a failure to read. */
export async function unlessMissing<T>(read: Promise<T>): Promise<T | undefined> {
    try {
        return await read;
    } catch (err) {
        if ((err as { code?: number }).code === 404) return undefined;
        throw err;
    }
}

const segment = encodeURIComponent;

/** The reads of ClusterReader, as plain GETs. */
export function directCluster(access: DirectAccess, toNode: (raw: RawNode) => ClusterNode, timeoutMs: number): ClusterReader {
    const get = getter(access, timeoutMs);
    return {
        nodes: async () => ((await get<{ items?: RawNode[] }>("/api/v1/nodes")).items ?? []).map(toNode),
        namespaceExists: async (name) => (await unlessMissing(get(`/api/v1/namespaces/${segment(name)}`))) !== undefined,
        priorityClassExists: async (name) => (await unlessMissing(get(`/apis/scheduling.k8s.io/v1/priorityclasses/${segment(name)}`))) !== undefined,
        secret: async (namespace, name) => {
            const secret = await unlessMissing(get<{ type?: string; data?: Record<string, string> }>(`/api/v1/namespaces/${segment(namespace)}/secrets/${segment(name)}`));
            // Only the key names leave this function; the values are dropped here.
            return secret && { type: secret.type, keys: Object.keys(secret.data ?? {}) };
        },
        configMap: async (namespace, name) => {
            const cm = await unlessMissing(get<{ data?: Record<string, string>; binaryData?: Record<string, string> }>(`/api/v1/namespaces/${segment(namespace)}/configmaps/${segment(name)}`));
            return cm && { keys: [...Object.keys(cm.data ?? {}), ...Object.keys(cm.binaryData ?? {})] };
        },
    };
}
