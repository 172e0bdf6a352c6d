// The real Cluster: @kubernetes/client-node with the stack's kubeconfig and context (as the
// program's provider uses them). Every call has a timeout, and a port-forward is a local listener
// on 127.0.0.1 whose connections each open a tunnel through the API server, as `kubectl port-forward` does.
import * as net from "net";
import { PassThrough } from "stream";
import type * as k8s from "@kubernetes/client-node";
import { KubernetesSettings } from "../../settings/settings";
import { useKubeconfig } from "../../components/cluster";
import { Cluster, Forward } from "./types";

/** How long one Kubernetes API call may take. */
export const KUBE_TIMEOUT_MS = 15_000;

type Client = typeof k8s;

function isNotFound(err: unknown): boolean {
    return (err as { code?: number }).code === 404;
}

/** An API error in one line: the Status message the API server gave, or the transport's reason. */
export function kubeError(err: unknown, timeoutMs: number): Error {
    const e = err as { code?: number; body?: unknown; message?: string; name?: string; type?: string };
    if (e.name === "AbortError" || e.type === "aborted") return new Error(`no answer from the Kubernetes API server in ${timeoutMs / 1000} s`);
    if (typeof e.code === "number") {
        let reason: string | undefined;
        try {
            const body = typeof e.body === "string" ? JSON.parse(e.body) : e.body;
            reason = (body as { message?: string } | undefined)?.message;
        } catch {
            reason = undefined;
        }
        return new Error(`the Kubernetes API answered ${e.code}${reason ? `: ${reason}` : ""}`);
    }
    return new Error(`the Kubernetes API server could not be reached: ${e.message ?? String(err)}`);
}

/** API clients whose every request is aborted after the timeout (the signal is made as each request starts). */
function apiConfiguration(lib: Client, config: k8s.KubeConfig, server: string, timeoutMs: number): k8s.Configuration {
    const timeout = {
        pre: async (context: k8s.RequestContext) => {
            context.setSignal(AbortSignal.timeout(timeoutMs) as unknown as Parameters<k8s.RequestContext["setSignal"]>[0]);
            return context;
        },
        post: async (response: k8s.ResponseContext) => response,
    };
    // As KubeConfig.makeApiClient does, plus the timeout.
    return lib.createConfiguration({ baseServer: new lib.ServerConfiguration(server, {}), authMethods: { default: config }, promiseMiddleware: [timeout] });
}

/** A Cluster for the stack's `kubernetes:kubeconfig` and `kubernetes:context`. */
export async function kubeCluster(settings: KubernetesSettings, timeoutMs = KUBE_TIMEOUT_MS, client?: Client): Promise<Cluster> {
    const lib: Client = client ?? ((await import("@kubernetes/client-node")) as unknown as Client);
    const config = new lib.KubeConfig();
    useKubeconfig(config, settings);
    const server = config.getCurrentCluster()?.server;
    if (server === undefined) throw new Error("the kubeconfig has no current cluster: set kubernetes:context or kubernetes:kubeconfig");
    const configuration = apiConfiguration(lib, config, server, timeoutMs);
    const core = new lib.CoreV1Api(configuration);
    const apps = new lib.AppsV1Api(configuration);
    const call = async <T>(request: () => Promise<T>): Promise<T> => {
        try {
            return await request();
        } catch (err) {
            throw kubeError(err, timeoutMs);
        }
    };
    const read = async <T>(request: () => Promise<T>): Promise<T | undefined> => {
        try {
            return await request();
        } catch (err) {
            if (isNotFound(err)) return undefined;
            throw kubeError(err, timeoutMs);
        }
    };
    return {
        description: `${server} (context ${config.getCurrentContext()})`,
        deployment: (namespace, name) => read(() => apps.readNamespacedDeployment({ namespace, name })),
        pods: async (namespace, labelSelector) => (await call(() => core.listNamespacedPod({ namespace, labelSelector }))).items,
        podEvents: async (namespace, pod) => {
            const list = await call(() => core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${pod}` }));
            const time = (e: k8s.CoreV1Event) => new Date(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? 0).getTime();
            return [...list.items].sort((a, b) => time(a) - time(b));
        },
        configMap: (namespace, name) => read(() => core.readNamespacedConfigMap({ namespace, name })),
        secret: (namespace, name) => read(() => core.readNamespacedSecret({ namespace, name })),
        services: async (namespace, labelSelector) => (await call(() => core.listNamespacedService({ namespace, labelSelector }))).items,
        nodes: async () => (await call(() => core.listNode({}))).items,
        podLog: (namespace, name, container, tailLines) => call(() => core.readNamespacedPodLog({ namespace, name, container, tailLines })),
        forward: (namespace, pod, port, localPort) => portForward(new lib.PortForward(config, true), namespace, pod, port, timeoutMs, localPort),
    };
}

/** The error of a refused WebSocket upgrade or a broken tunnel, in one line. */
function tunnelError(err: unknown): string {
    const e = err as { message?: string; error?: { message?: string } };
    return e.error?.message ?? e.message ?? String(err);
}

/** A local listener whose every connection is tunnelled to the pod's port. */
export async function portForward(forwarder: k8s.PortForward, namespace: string, pod: string, port: number, timeoutMs: number, localPort = 0): Promise<Forward> {
    let lastError: string | undefined;
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => socket.destroy());
        const errors = new PassThrough();
        errors.on("data", (chunk: Buffer) => {
            const text = chunk.toString("utf8").trim();
            if (text !== "") lastError = text;
        });
        // The tunnel's connect has no timeout of its own.
        const timer = setTimeout(() => {
            lastError ??= `the API server did not open the tunnel in ${timeoutMs / 1000} s`;
            socket.destroy();
        }, timeoutMs);
        forwarder
            .portForward(namespace, pod, [port], socket, errors, socket)
            .then((ws) => {
                clearTimeout(timer);
                const socketOf = ws as unknown as { on?(event: string, listener: () => void): void; close(): void };
                socketOf.on?.("close", () => socket.end());
                socket.on("close", () => socketOf.close());
            })
            .catch((err: unknown) => {
                clearTimeout(timer);
                lastError = tunnelError(err);
                socket.destroy();
            });
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(localPort, "127.0.0.1", () => resolve());
    });
    return {
        port: (server.address() as net.AddressInfo).port,
        lastError: () => lastError,
        close: () =>
            new Promise<void>((resolve) => {
                for (const s of sockets) s.destroy();
                server.close(() => resolve());
            }),
    };
}
