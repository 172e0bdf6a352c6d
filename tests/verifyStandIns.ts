// Stand-ins for what `verify` talks to, written from the public descriptions, not from verify's code:
// - a traffic manager's REST API: HTTPS with a self-signed certificate, basic authentication as
//   admin, `/api/tm/` listing versions as `{"children": [{name, href}]}`, objects at
//   `/api/tm/<v>/config/active/<section>/<name>` as `{"properties": {...}}` (rules and other file
//   types as plain text), 404 `{"error_id": "resource.not_found", ...}` for what is not there
//   (vtm-config-facts.md §5, go-vtm 6.2, the vTM REST API guide). It imports documents the way the
//   importer does (layered in file order, fileRefs read from the data files) and adds defaults and
//   discovered nodes, as a running traffic manager shows them;
// - a cluster (the Cluster interface, and the same over HTTP as a Kubernetes API server for the real
//   client code) made from the objects `npm run render` produces for a stack, with fake pods.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { WebSocketServer } from "ws";
import type { CoreV1Event, V1Pod } from "@kubernetes/client-node";
import { Cluster, Forward } from "../scripts/verify/types";
import { KubeObject } from "./helpers";

// ---------------------------------------------------------------------------------------------------
// TLS: a self-signed certificate made once per test run

let certificate: { key: string; cert: string } | undefined;

export function selfSigned(): { key: string; cert: string } {
    if (certificate) return certificate;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-verify-tls-"));
    const key = path.join(dir, "key.pem");
    const cert = path.join(dir, "cert.pem");
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=vtm-standin", "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "ignore" });
    certificate = { key: fs.readFileSync(key, "utf8"), cert: fs.readFileSync(cert, "utf8") };
    fs.rmSync(dir, { recursive: true, force: true });
    return certificate;
}

async function listen(server: net.Server): Promise<number> {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    return (server.address() as net.AddressInfo).port;
}

function closeServer(server: net.Server): Promise<void> {
    return new Promise((resolve) => server.close(() => resolve()));
}

// ---------------------------------------------------------------------------------------------------
// The traffic manager's REST API

/** REST collections stored as text, as the REST guide and go-vtm treat them. */
const TEXT_TYPES = new Set(["rules", "monitor_scripts", "extra_files", "action_programs", "servicediscovery", "license_keys", "ssl/cas"]);

/** Defaults a running traffic manager shows for fields a document leaves out (a few, from the TF provider's 6.2 schema). */
const DEFAULTS: Record<string, Record<string, Record<string, unknown>>> = {
    virtual_servers: { basic: { listen_on_any: true, connect_timeout: 10, request_rules: [], ssl_decrypt: false, note: "" }, connection: { timeout: 300 }, http: {} },
    pools: { basic: { passive_monitoring: true, node_connection_attempts: 3, failure_pool: "" }, load_balancing: { algorithm: "round_robin" }, connection: {} },
    monitors: { basic: { delay: 3, timeout: 3, failures: 3 } },
};

type StoredObject = { properties: Record<string, Record<string, unknown>> } | string;

export class VtmStandIn {
    readonly objects = new Map<string, StoredObject>();
    /** Every path asked for, as it came over the wire. */
    readonly requests: string[] = [];
    versions = ["3.8", "4.0", "5.0", "5.1", "5.2", "6.0", "6.1", "6.2"];
    password: string;
    private server?: https.Server;
    port = 0;

    constructor(password: string) {
        this.password = password;
    }

    async start(): Promise<this> {
        this.server = https.createServer(selfSigned(), (req, res) => this.answer(req, res));
        this.port = await listen(this.server);
        return this;
    }

    stop(): Promise<void> {
        return this.server ? closeServer(this.server) : Promise.resolve();
    }

    /** Imports documents as the importer does: in file-name order, later documents adding to earlier ones. */
    importDocuments(files: Record<string, string>, data: Record<string, string>): void {
        for (const file of Object.keys(files).sort()) {
            const doc = yaml.load(files[file]) as Record<string, any>;
            for (const [key, value] of Object.entries(doc)) {
                if (key === "version") continue;
                if (key === "global_settings" || key === "security") this.merge(key, value);
                else if (Array.isArray(value)) for (const o of value) this.put(key, o, data);
                else if (typeof value === "object") for (const [child, list] of Object.entries(value as object)) for (const o of list as any[]) this.put(`${key}/${child}`, o, data);
            }
        }
    }

    private put(section: string, object: Record<string, any>, data: Record<string, string>): void {
        const key = `${section}/${object.name}`;
        if (TEXT_TYPES.has(section)) {
            const ref = object.content?.valueFrom?.fileRef?.name;
            this.objects.set(key, ref ? data[ref] : object.content);
            return;
        }
        const current = (this.objects.get(key) as Exclude<StoredObject, string>) ?? { properties: structuredClone(DEFAULTS[section] ?? {}) };
        for (const [group, fields] of Object.entries(object.properties ?? {})) current.properties[group] = { ...current.properties[group], ...(fields as object) };
        // Service discovery fills the node list the document leaves empty.
        if (section === "pools" && current.properties.service_discovery?.enabled) {
            current.properties.basic.nodes_table = [{ node: "10.244.1.7:80", state: "active", weight: 1, priority: 1 }];
        }
        this.objects.set(key, current);
    }

    private merge(section: string, value: Record<string, any>): void {
        const current = (this.objects.get(section) as Exclude<StoredObject, string>) ?? { properties: { java: { enabled: true }, fault_tolerance: { frontend_check_ips: ["%gateway%"] }, log: { error_level: "info" } } };
        for (const [group, fields] of Object.entries(value.properties ?? {})) current.properties[group] = { ...current.properties[group], ...(fields as object) };
        this.objects.set(section, current);
    }

    /** Drops an object, as a failed import leaves it out. */
    remove(section: string, name: string): void {
        if (!this.objects.delete(`${section}/${name}`)) throw new Error(`stand-in has no ${section}/${name}`);
    }

    /** Changes one field, as an edit in the admin UI (or an older import) would. */
    set(section: string, name: string, group: string, field: string, value: unknown): void {
        const o = this.objects.get(`${section}/${name}`);
        if (o === undefined || typeof o === "string") throw new Error(`stand-in has no JSON object ${section}/${name}`);
        o.properties[group] = { ...o.properties[group], [field]: value };
    }

    private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
        const rawPath = req.url ?? "/";
        this.requests.push(rawPath);
        const send = (status: number, body: unknown, type = "application/json") => {
            res.writeHead(status, { "Content-Type": type });
            res.end(typeof body === "string" ? body : JSON.stringify(body));
        };
        const auth = req.headers.authorization ?? "";
        const expected = `Basic ${Buffer.from(`admin:${this.password}`).toString("base64")}`;
        if (auth !== expected) return send(401, { error_id: "auth.denied", error_text: "Authentication failed" });
        if (req.method !== "GET") return send(405, { error_id: "method.not_allowed", error_text: "Method not allowed" });
        const notFound = () => send(404, { error_id: "resource.not_found", error_text: `Resource '${rawPath}' does not exist` });
        const p = rawPath.split("?")[0];
        if (p === "/api/tm/" || p === "/api/tm") return send(200, { children: this.versions.map((v) => ({ name: v, href: `/api/tm/${v}/` })) });
        const m = /^\/api\/tm\/([^/]+)\/?(.*)$/.exec(p);
        if (!m || !this.versions.includes(m[1])) return notFound();
        const rest = m[2].replace(/\/$/, "");
        if (rest === "") return send(200, { children: ["config", "stats", "status"].map((n) => ({ name: n, href: `/api/tm/${m[1]}/${n}/` })) });
        if (rest === "status/local_tm/information") return send(200, { information: { platform: "docker", tm_version: "19.1", uuid: "standin" } });
        const c = /^config\/active\/(.+)$/.exec(rest);
        if (!c) return notFound();
        const parts = c[1].split("/").map(decodeURIComponent);
        const key = parts.join("/");
        const object = this.objects.get(key);
        if (object === undefined) return notFound();
        if (typeof object === "string") return send(200, object, "application/octet-stream");
        return send(200, object);
    }
}

// ---------------------------------------------------------------------------------------------------
// The cluster: rendered objects plus fake pods

export interface PodState {
    readonly name: string;
    readonly phase?: string;
    readonly ready?: boolean;
    readonly hostIP?: string;
    /** The container status, when the pod is not simply running. */
    readonly containerStatus?: Record<string, any>;
    readonly conditions?: Record<string, any>[];
    readonly log?: string;
    readonly events?: CoreV1Event[];
}

export interface FakeClusterOptions {
    /** The objects `npm run render` produced (with Secrets). */
    readonly objects: KubeObject[];
    readonly pods: PodState[];
    /** Where a port-forward to any pod leads: the stand-in's port, or a port where nothing listens. */
    forwardTo: () => number;
    readonly nodes?: string[];
    /** nodePorts to report instead of the allocated ones: `<service>/<port name>` → port. */
    readonly nodePorts?: Record<string, number>;
    /** The balancer address of LoadBalancer Services. */
    readonly balancer?: string;
}

/** Kubernetes stores stringData as base64 data. */
function stored(object: KubeObject): KubeObject {
    if (object.kind !== "Secret" || object.stringData === undefined) return object;
    const data = Object.fromEntries(Object.entries(object.stringData as Record<string, string>).map(([k, v]) => [k, Buffer.from(v).toString("base64")]));
    return { ...object, data: { ...(object.data ?? {}), ...data }, stringData: undefined };
}

export class FakeCluster implements Cluster {
    readonly description = "fake cluster (tests)";
    readonly forwards: { pod: string; port: number }[] = [];
    constructor(readonly options: FakeClusterOptions) {}

    private find(kind: string, namespace: string, name: string): KubeObject | undefined {
        const o = this.options.objects.find((x) => x.kind === kind && x.metadata.name === name && (x.metadata.namespace ?? "default") === namespace);
        return o && stored(structuredClone(o));
    }

    private podObjects(namespace: string): V1Pod[] {
        const deployment = this.options.objects.find((o) => o.kind === "Deployment" && o.spec.template.metadata.labels["app.kubernetes.io/component"] === "traffic-manager");
        if (deployment === undefined || deployment.metadata.namespace !== namespace) return [];
        return this.options.pods.map((p) => {
            const ready = p.ready ?? true;
            const template = structuredClone(deployment.spec.template);
            return {
                metadata: { name: p.name, namespace, labels: template.metadata.labels },
                spec: template.spec,
                status: {
                    phase: p.phase ?? "Running",
                    hostIP: p.hostIP ?? "127.0.0.1",
                    conditions: p.conditions ?? [{ type: "PodScheduled", status: "True" }, { type: "Ready", status: ready ? "True" : "False" }],
                    containerStatuses: [
                        p.containerStatus ?? { name: "vtm", image: template.spec.containers[0].image, ready, restartCount: 0, state: { running: { startedAt: new Date().toISOString() } } },
                    ],
                },
            } as V1Pod;
        });
    }

    async deployment(namespace: string, name: string) {
        const d = this.find("Deployment", namespace, name);
        if (d === undefined) return undefined;
        const ready = this.options.pods.filter((p) => p.ready ?? true).length;
        return { ...d, metadata: { ...d.metadata, generation: 1 }, status: { observedGeneration: 1, replicas: this.options.pods.length, readyReplicas: ready, updatedReplicas: this.options.pods.length, availableReplicas: ready } };
    }

    async pods(namespace: string, labelSelector: string) {
        const [k, v] = labelSelector.split("=");
        return this.podObjects(namespace).filter((p) => p.metadata?.labels?.[k] === v);
    }

    async podEvents(_namespace: string, pod: string) {
        return this.options.pods.find((p) => p.name === pod)?.events ?? [];
    }

    async configMap(namespace: string, name: string) {
        return this.find("ConfigMap", namespace, name);
    }

    async secret(namespace: string, name: string) {
        return this.find("Secret", namespace, name);
    }

    async services(namespace: string, labelSelector: string) {
        const [k, v] = labelSelector.split("=");
        return this.options.objects
            .filter((o) => o.kind === "Service" && o.metadata.namespace === namespace && o.metadata.labels?.[k] === v)
            .map((o) => {
                const svc = structuredClone(o);
                for (const port of svc.spec.ports) {
                    const fixed = this.options.nodePorts?.[`${svc.metadata.name}/${port.name}`];
                    if (svc.spec.type !== "ClusterIP" && svc.spec.type !== undefined) port.nodePort = fixed ?? port.nodePort ?? 30000 + port.port;
                }
                if (svc.spec.type === "LoadBalancer" && this.options.balancer) svc.status = { loadBalancer: { ingress: [{ ip: this.options.balancer }] } };
                return svc;
            });
    }

    async nodes() {
        return (this.options.nodes ?? ["127.0.0.1"]).map((address, i) => ({ metadata: { name: `node-${i}` }, status: { addresses: [{ type: "InternalIP", address }] } }));
    }

    async podLog(_namespace: string, pod: string) {
        const p = this.options.pods.find((x) => x.name === pod);
        if (p === undefined) throw new Error(`pods "${pod}" not found`);
        return p.log ?? "";
    }

    async forward(_namespace: string, pod: string, port: number): Promise<Forward> {
        this.forwards.push({ pod, port });
        return { port: this.options.forwardTo(), lastError: () => undefined, close: async () => undefined };
    }
}

/** A port on 127.0.0.1 where nothing listens (taken, then given back). */
export async function closedPort(): Promise<number> {
    const server = net.createServer();
    const port = await listen(server);
    await closeServer(server);
    return port;
}

// ---------------------------------------------------------------------------------------------------
// The same cluster as a Kubernetes API server on 127.0.0.1, for @kubernetes/client-node

/** How the fake API server treats port-forward requests. */
export type PortForwardMode = "tunnel" | "refuse";

/**
 * Answers, over HTTPS with a certificate for 127.0.0.1, the few GETs verify makes, from a FakeCluster, and port-forwards over WebSocket with the
 * `v4.channel.k8s.io` framing (one byte of channel, the first frame of each channel carrying the port).
 */
export class FakeApiServer {
    private server?: https.Server;
    port = 0;
    /** Every port-forward asked for, as `<pod>:<port>`. */
    readonly forwarded: string[] = [];
    constructor(readonly cluster: FakeCluster, readonly portForward: PortForwardMode = "tunnel") {}

    async start(): Promise<this> {
        const wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => (protocols.has("v4.channel.k8s.io") ? "v4.channel.k8s.io" : false) });
        this.server = https.createServer(selfSigned(), (req, res) => void this.answer(req, res));
        this.server.on("upgrade", (req, socket, head) => {
            const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/portforward\?ports=(\d+)$/.exec(req.url ?? "");
            if (!m || this.portForward === "refuse") {
                // What an API server says when the node cannot forward (no kubelet streaming).
                socket.end("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n\r\n" + JSON.stringify({ kind: "Status", status: "Failure", message: "unable to upgrade connection: pod does not exist", code: 400 }));
                return;
            }
            this.forwarded.push(`${m[2]}:${m[3]}`);
            wss.handleUpgrade(req, socket, head, (ws) => {
                const port = Number(m[3]);
                const portBytes = Buffer.from([port & 0xff, port >> 8]);
                ws.send(Buffer.concat([Buffer.from([0]), portBytes]));
                ws.send(Buffer.concat([Buffer.from([1]), portBytes]));
                const target = net.connect(this.cluster.options.forwardTo(), "127.0.0.1");
                target.on("data", (chunk) => ws.send(Buffer.concat([Buffer.from([0]), chunk])));
                target.on("error", (err) => {
                    ws.send(Buffer.concat([Buffer.from([1]), Buffer.from(`error forwarding port ${port} to pod ${m[2]}: ${err.message}`)]));
                    ws.close();
                });
                target.on("close", () => ws.close());
                ws.on("message", (data: Buffer) => {
                    if (data[0] === 0 && data.length > 1) target.write(data.subarray(1));
                });
                ws.on("close", () => target.destroy());
            });
        });
        this.port = await listen(this.server);
        return this;
    }

    stop(): Promise<void> {
        this.server?.closeAllConnections();
        return this.server ? closeServer(this.server) : Promise.resolve();
    }

    /** A kubeconfig for this server, written to a temporary file. */
    kubeconfig(): string {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vtm-verify-kube-")), "config");
        fs.writeFileSync(
            file,
            yaml.dump({
                apiVersion: "v1",
                kind: "Config",
                clusters: [{ name: "fake", cluster: { server: `https://127.0.0.1:${this.port}`, "certificate-authority-data": Buffer.from(selfSigned().cert).toString("base64") } }],
                users: [{ name: "fake", user: {} }],
                contexts: [{ name: "fake", context: { cluster: "fake", user: "fake" } }],
                "current-context": "fake",
            }),
        );
        return file;
    }

    private async answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const url = new URL(req.url ?? "/", "http://x");
        const send = (status: number, body: unknown) => {
            res.writeHead(status, { "Content-Type": typeof body === "string" ? "text/plain" : "application/json" });
            res.end(typeof body === "string" ? body : JSON.stringify(body));
        };
        const notFound = () => send(404, { kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404, message: `${url.pathname} not found` });
        const p = url.pathname;
        const c = this.cluster;
        let m: RegExpExecArray | null;
        try {
            if ((m = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments\/([^/]+)$/.exec(p))) {
                const d = await c.deployment(m[1], m[2]);
                return d ? send(200, { apiVersion: "apps/v1", kind: "Deployment", ...d }) : notFound();
            }
            if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(p))) return send(200, { kind: "PodList", apiVersion: "v1", items: await c.pods(m[1], url.searchParams.get("labelSelector") ?? "") });
            if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/events$/.exec(p))) {
                const pod = /involvedObject\.name=([^,]+)/.exec(url.searchParams.get("fieldSelector") ?? "")?.[1] ?? "";
                return send(200, { kind: "EventList", apiVersion: "v1", items: await c.podEvents(m[1], pod) });
            }
            if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/configmaps\/([^/]+)$/.exec(p))) {
                const o = await c.configMap(m[1], m[2]);
                return o ? send(200, o) : notFound();
            }
            if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/secrets\/([^/]+)$/.exec(p))) {
                const o = await c.secret(m[1], m[2]);
                return o ? send(200, o) : notFound();
            }
            if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/services$/.exec(p))) return send(200, { kind: "ServiceList", apiVersion: "v1", items: await c.services(m[1], url.searchParams.get("labelSelector") ?? "") });
            if (p === "/api/v1/nodes") return send(200, { kind: "NodeList", apiVersion: "v1", items: await c.nodes() });
            if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/.exec(p))) return send(200, await c.podLog(m[1], m[2]));
            return notFound();
        } catch (err) {
            return send(500, { kind: "Status", status: "Failure", code: 500, message: (err as Error).message });
        }
    }
}

/** Documents and data files of the rendered ConfigMaps, as the pod's volumes project them (for the REST stand-in). */
export function projectedFiles(objects: KubeObject[], prefix = "vtm"): { documents: Record<string, string>; data: Record<string, string> } {
    const cm = (name: string) => objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === name)?.data ?? {};
    const documents: Record<string, string> = {
        "00-vtm-base-config.yaml": cm(`${prefix}-base-config`).config,
        "00-vtm-healthcheck-config.yaml": cm(`${prefix}-healthcheck-config`).config,
    };
    const data: Record<string, string> = {};
    for (const o of objects.filter((x) => x.kind === "ConfigMap")) {
        if (/-config(-\d+)?$/.test(o.metadata.name) && !o.metadata.name.endsWith("base-config") && !o.metadata.name.endsWith("healthcheck-config")) Object.assign(documents, o.data ?? {});
        if (/-extra-data(-\d+)?$/.test(o.metadata.name)) for (const [k, v] of Object.entries(o.data ?? {})) data[`data/${k}`] = v as string;
    }
    return { documents, data };
}
