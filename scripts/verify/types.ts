// What `npm run verify` reports, and the small interfaces behind which it reaches Kubernetes, the
// traffic manager's REST API and the service endpoints, so that the checks run against stand-ins.
import type { CoreV1Event, V1ConfigMap, V1Deployment, V1Node, V1Pod, V1Secret, V1Service } from "@kubernetes/client-node";

export type CheckName = "rollout" | "configuration" | "services";
export type Status = "pass" | "fail" | "skip";

/** One line of the report: what was checked, what was seen, and where to look when it failed. */
export interface CheckResult {
    readonly check: CheckName;
    /** What the check looked at: `deployment default/vtm`, `pod vtm-5d…`, `example-service http://…`. */
    readonly subject: string;
    readonly status: Status;
    /** One line: what was seen and, for a failure, where to look next. */
    readonly summary: string;
    /** The evidence: one line per object missing or different, per log line, per pod. */
    readonly details: readonly string[];
}

export interface VerifyResult {
    /** True when every check passed (skipped ones do not count against it). */
    readonly ok: boolean;
    readonly stack: string;
    readonly namespace: string;
    /** The traffic manager's name prefix (`name`). */
    readonly name: string;
    readonly exposure: string;
    /** Where the service endpoints came from: the stack's outputs or the cluster's Services and nodes. */
    readonly endpointSource: string;
    readonly checks: readonly CheckResult[];
    /** How many times every check ran (more than one with --wait). */
    readonly attempts: number;
    readonly elapsedSeconds: number;
    /** --wait ran out before every check held. */
    readonly timedOut: boolean;
}

/** A tunnel to a pod's port on 127.0.0.1, as `kubectl port-forward` makes one. */
export interface Forward {
    readonly port: number;
    /** Why the last connection through the tunnel failed, as the API server said it. */
    lastError(): string | undefined;
    close(): Promise<void>;
}

/** What verify reads from the cluster (kube.ts is the real one; the tests pass fakes). */
export interface Cluster {
    /** The API server and context, for the report. */
    readonly description: string;
    deployment(namespace: string, name: string): Promise<V1Deployment | undefined>;
    pods(namespace: string, labelSelector: string): Promise<V1Pod[]>;
    /** Events about one pod, oldest first. */
    podEvents(namespace: string, pod: string): Promise<CoreV1Event[]>;
    configMap(namespace: string, name: string): Promise<V1ConfigMap | undefined>;
    secret(namespace: string, name: string): Promise<V1Secret | undefined>;
    services(namespace: string, labelSelector: string): Promise<V1Service[]>;
    nodes(): Promise<V1Node[]>;
    /** The last lines of a container's log. */
    podLog(namespace: string, pod: string, container: string, tailLines: number): Promise<string>;
    /** Opens a tunnel to a pod's port; rejects when the API server refuses it. */
    /** `localPort` 0 (the default) takes any free port. */
    forward(namespace: string, pod: string, port: number, localPort?: number): Promise<Forward>;
}

/** One answer of the traffic manager's REST API. */
export interface RestResponse {
    readonly status: number;
    readonly contentType: string;
    readonly body: string;
}

/** GETs on the REST API at one address, with the admin user's password. */
export interface RestClient {
    get(path: string): Promise<RestResponse>;
}

/** Makes a REST client for `https://127.0.0.1:<port>` with a password. */
export type RestClientFactory = (port: number, password: string) => RestClient;

/** What a probe of one endpoint saw. */
export interface ProbeResult {
    readonly ok: boolean;
    /** What was seen: `HTTP 200 in 12 ms`, `connection refused`, `no answer in 3 s`. */
    readonly seen: string;
}

/** Network probes of the service endpoints (probes.ts is the real one). */
export interface Probes {
    tcp(host: string, port: number): Promise<ProbeResult>;
    http(url: string): Promise<ProbeResult>;
    /** Sends one datagram; `expectReply` for protocols that always answer (DNS). */
    udp(host: string, port: number, payload: Buffer, expectReply: boolean): Promise<ProbeResult>;
}

/** The stack's `serviceEndpoints` output, when the Pulumi CLI can read it. */
export type StackOutputsReader = (stack: string) => Promise<{ endpoints?: Record<string, string>; note: string }>;
