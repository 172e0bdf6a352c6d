// The traffic manager pod's security, placement and rollout, worked out from the settings as plain
// values: each exception the vTM image forces is written here, where it is made.
import * as k8s from "@pulumi/kubernetes";
import { DEFAULTS } from "../settings/defaults";
import { HOST_NETWORK_LABEL } from "../settings/naming";
import { AvailabilitySettings, SecuritySettings, Toleration } from "../settings/production";

type PodSpec = k8s.types.input.core.v1.PodSpec;
type SecurityContext = k8s.types.input.core.v1.SecurityContext;

/** vTM raises its own file and process limits at start. */
const ALWAYS_ADDED = ["SYS_RESOURCE"];
/** On the host network vTM raises and lowers its own addresses (Traffic IPs) on the node. */
const HOST_NETWORK_ADDED = ["NET_ADMIN"];
/**
 * What the image needs of the runtime's default set when every capability is dropped. The image runs
 * as root (its entrypoint configures /usr/local/zeus and installs ZEUS_PACKAGES, so runAsNonRoot and a
 * read-only root filesystem are not possible), starts its processes under other users, and listens on
 * low ports: SETUID/SETGID and CHOWN/DAC_OVERRIDE/FOWNER for that, KILL to stop its own children,
 * NET_BIND_SERVICE for ports below 1024.
 */
export const IMAGE_CAPABILITIES = ["CHOWN", "DAC_OVERRIDE", "FOWNER", "SETUID", "SETGID", "KILL", "NET_BIND_SERVICE"];
/** The Ping monitor sends ICMP echo requests over a raw socket: only when one is configured. */
export const PING_CAPABILITIES = ["NET_RAW"];

/** The container's security context; `ping` when a Ping monitor is configured (VtmConfig.pingMonitor). */
export function containerSecurity(hostNetwork: boolean, security: SecuritySettings = DEFAULTS.security, ping = false): SecurityContext {
    const needed = [...ALWAYS_ADDED, ...(hostNetwork ? HOST_NETWORK_ADDED : [])];
    const imageNeeds = [...IMAGE_CAPABILITIES, ...(ping ? PING_CAPABILITIES : [])];
    const add = security.dropAllCapabilities ? [...needed, ...imageNeeds, ...security.extraCapabilities] : [...needed, ...security.extraCapabilities];
    return {
        // No setuid binary may gain more than the process has; vTM starts as root and never needs it.
        allowPrivilegeEscalation: false,
        capabilities: security.dropAllCapabilities ? { drop: ["ALL"], add: [...new Set(add)] } : { add: [...new Set(add)] },
    };
}

/** The pod's security context: the runtime's default seccomp profile (the one Docker applies). */
export function podSecurity(): k8s.types.input.core.v1.PodSecurityContext {
    return { seccompProfile: { type: "RuntimeDefault" } };
}

/**
 * How pods are replaced: a new pod starts before an old one stops, so serving capacity never drops.
 * On the host network a new pod needs a node that no traffic manager pod holds (they would clash on the
 * node's ports); when the cluster has no such node to spare (`roomToSurge` false, or not known), an
 * old pod may stop first, up to `availability.maxUnavailable` at a time.
 */
export function rollout(hostNetwork: boolean, availability: AvailabilitySettings = DEFAULTS.availability, roomToSurge = false): k8s.types.input.apps.v1.DeploymentStrategy {
    const maxUnavailable = hostNetwork && !roomToSurge ? availability.maxUnavailable : 0;
    return { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable } };
}

export interface Placement {
    readonly nodeSelector?: Readonly<Record<string, string>>;
    readonly tolerations?: readonly Toleration[];
    readonly affinity?: Readonly<Record<string, unknown>>;
    readonly priorityClassName?: string;
}

/** Where pods run: the user's placement, spread over nodes, and never two per node on the host network. */
export function placement(
    selector: Record<string, string>,
    replicas: number,
    hostNetwork: boolean,
    user: Placement,
    availability: AvailabilitySettings = DEFAULTS.availability,
): Pick<PodSpec, "nodeSelector" | "tolerations" | "affinity" | "priorityClassName" | "topologySpreadConstraints"> {
    const affinity: Record<string, any> = structuredClone((user.affinity ?? {}) as Record<string, any>);
    if (hostNetwork) {
        // Two host-network pods on one node would both bind the node's ports: a hard rule, whatever the
        // replicas; it matches host-network pods only, so pods of another mode are not held back by it.
        const anti = (affinity.podAntiAffinity ??= {});
        anti.requiredDuringSchedulingIgnoredDuringExecution = [
            ...(anti.requiredDuringSchedulingIgnoredDuringExecution ?? []),
            { labelSelector: { matchLabels: { ...selector, ...HOST_NETWORK_LABEL } }, topologyKey: "kubernetes.io/hostname" },
        ];
    }
    const nodeSelector = user.nodeSelector ?? {};
    return {
        nodeSelector: Object.keys(nodeSelector).length > 0 ? { ...nodeSelector } : undefined,
        tolerations: user.tolerations && user.tolerations.length > 0 ? user.tolerations.map((t) => ({ ...t })) : undefined,
        affinity: Object.keys(affinity).length > 0 ? affinity : undefined,
        priorityClassName: user.priorityClassName,
        // Replicas on different nodes (or zones), so one node going down takes only its share.
        topologySpreadConstraints:
            replicas > 1
                ? [{ maxSkew: 1, topologyKey: availability.spreadTopologyKey, whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } }]
                : undefined,
    };
}

/** Annotations that bound how long the Kubernetes provider waits for an object; 0 does not wait. */
export function awaitAnnotations(timeoutSeconds: number): Record<string, string> {
    return timeoutSeconds === 0 ? { "pulumi.com/skipAwait": "true" } : { "pulumi.com/timeoutSeconds": String(timeoutSeconds) };
}

/** The provider's condition for a balancer's address (pulumi.com/waitFor, as `kubectl wait --for=jsonpath`). */
export const BALANCER_ADDRESS = "jsonpath={.status.loadBalancer.ingress}";

/**
 * Annotations of a Service that selects the traffic manager's pods. A LoadBalancer waits, at most
 * `timeoutSeconds`, for its address only: the outputs need it. Any other type is not waited for: the
 * Deployment's wait sees every pod this Service selects ready (the same selector), and the provider's
 * Service wait would add a fixed 10 s "settle" after every change of its Endpoints (pulumi-kubernetes
 * provider/pkg/await/service.go), at every create and update. 0 does not wait at all.
 */
export function podServiceAnnotations(type: string, timeoutSeconds: number): Record<string, string> {
    if (type !== "LoadBalancer" || timeoutSeconds === 0) return { "pulumi.com/skipAwait": "true" };
    return { "pulumi.com/waitFor": BALANCER_ADDRESS, "pulumi.com/timeoutSeconds": String(timeoutSeconds) };
}
