// The stack's endpoint outputs in each exposure mode: where clients reach the virtual server and
// where administrators reach the web UI and REST API.
import * as net from "net";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { Frontend, VtmExposure } from "./exposure";
import { ServiceSettings } from "../settings/services";
import { transportOf } from "../vtm/model";
import { ADMIN_PORTS, VtmFoundation } from "./foundation";

/** Shown in place of what the program cannot know (no cluster answered, nothing allocated yet). */
export const UNKNOWN = { nodeAddress: "<node-address>", nodePort: "<node-port>", balancer: "<pending-load-balancer-address>" } as const;

export interface Endpoints {
    /** Every service's URL, by service name. */
    readonly serviceEndpoints: pulumi.Output<Record<string, string>>;
    /** The first service's URL (by name): the seed's one example service. None without services. */
    readonly serviceEndpoint?: pulumi.Output<string>;
    /** The first service's nodePort; only in NodePort mode. */
    readonly serviceNodePort?: pulumi.Output<number | undefined>;
    readonly adminUrl: pulumi.Output<string>;
    readonly restApiUrl: pulumi.Output<string>;
}

/** `scheme://host:port`, with an IPv6 host in brackets. */
export function url(scheme: string, host: string, port: number | string): string {
    return `${scheme}://${net.isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

/** The scheme clients use for a service: HTTP(S) for web services, otherwise its transport. */
export function scheme(service: ServiceSettings): string {
    if (service.protocol === "http") return service.tlsSecret !== undefined ? "https" : "http";
    if (service.protocol === "https") return "https";
    return transportOf(service.protocol).toLowerCase();
}

/** The nodePort Kubernetes allocated to a Service port. */
function nodePort(service: k8s.core.v1.Service, portName: string): pulumi.Output<number | undefined> {
    return service.spec.ports.apply((ports) => ports?.find((p) => p.name === portName)?.nodePort);
}

function balancerHost(service: k8s.core.v1.Service): pulumi.Output<string> {
    return service.status.apply((s) => s?.loadBalancer?.ingress?.[0]?.ip || s?.loadBalancer?.ingress?.[0]?.hostname || UNKNOWN.balancer);
}

/** What the cluster assigned a Service: its nodePorts by port name and its balancer's address. */
interface Assigned {
    readonly name: string;
    readonly nodePorts: Readonly<Record<string, number | undefined>>;
    readonly balancer: string;
}

function assigned(service: k8s.core.v1.Service): pulumi.Output<Assigned> {
    return pulumi.all([service.metadata.name, service.spec.ports, balancerHost(service)]).apply(([name, ports, balancer]) => ({
        name,
        nodePorts: Object.fromEntries((ports ?? []).map((p) => [p.name ?? "", p.nodePort])),
        balancer,
    }));
}

/** One service's URL, from what the cluster assigned its Service (none on the host network). */
function serviceUrl(host: string, frontend: Frontend, service: Assigned | undefined, namespace: string): string {
    const to = (h: string, port: number | string) => url(scheme(frontend.service), h, port);
    if (service === undefined) return to(host, frontend.port);
    switch (frontend.type) {
        case "NodePort":
            return to(host, service.nodePorts[frontend.service.name] ?? UNKNOWN.nodePort);
        case "LoadBalancer":
            return to(service.balancer, frontend.port);
        case "ClusterIP":
        case undefined:
            // Reachable inside the cluster only.
            return to(`${service.name}.${namespace}.svc.cluster.local`, frontend.port);
        default: {
            const unreachable: never = frontend.type;
            throw new Error(`unknown frontend type ${unreachable}`);
        }
    }
}

/**
 * Every service's URL in one Output. One apply over all Services, not one per service: each apply
 * walks its whole input, and a shared Service with n ports would make n applies cost n².
 */
function serviceUrls(node: pulumi.Output<string>, frontends: readonly Frontend[], namespace: string): pulumi.Output<Record<string, string>> {
    const services = [...new Set(frontends.flatMap((f) => (f.kubernetesService ? [f.kubernetesService] : [])))];
    return pulumi.all([node, pulumi.all(services.map(assigned))]).apply(([host, infos]) => {
        const byService = new Map(services.map((s, i) => [s, infos[i]]));
        return Object.fromEntries(
            frontends.map((f) => [f.service.name, serviceUrl(host, f, f.kubernetesService && byService.get(f.kubernetesService), namespace)]),
        );
    });
}

/** The admin UI and REST API URLs for the admin Service's type, or the node itself on the host network. */
function adminEndpoints(node: pulumi.Output<string>, foundation: VtmFoundation): Pick<Endpoints, "adminUrl" | "restApiUrl"> {
    const admin = foundation.adminService;
    const endpoint = (port: (typeof ADMIN_PORTS)[keyof typeof ADMIN_PORTS]): pulumi.Output<string> => {
        if (admin === undefined) return node.apply((host) => url("https", host, port.port));
        return pulumi.all([node, assigned(admin), admin.spec.type]).apply(([host, service, type]) => {
            switch (type) {
                case "NodePort":
                    return url("https", host, service.nodePorts[port.name] ?? UNKNOWN.nodePort);
                case "LoadBalancer":
                    return url("https", service.balancer, port.port);
                default:
                    // Inside the cluster only; from outside, kubectl port-forward (see the README).
                    return url("https", `${service.name}.${foundation.namespace}.svc.cluster.local`, port.port);
            }
        });
    };
    return { adminUrl: endpoint(ADMIN_PORTS.webui), restApiUrl: endpoint(ADMIN_PORTS.restapi) };
}

export function endpoints(node: pulumi.Output<string>, foundation: VtmFoundation, exposure: VtmExposure): Endpoints {
    const adminUrls = adminEndpoints(node, foundation);
    const serviceEndpoints = serviceUrls(node, exposure.frontends, foundation.namespace);
    const first = exposure.frontends[0];
    return {
        ...adminUrls,
        serviceEndpoints,
        serviceEndpoint: first ? serviceEndpoints.apply((all) => all[first.service.name]) : undefined,
        serviceNodePort:
            first?.type === "NodePort" && exposure.mode === "NodePort" ? nodePort(first.kubernetesService!, first.service.name) : undefined,
    };
}
