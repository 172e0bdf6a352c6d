// The stack's endpoint outputs in each exposure mode: where clients reach the virtual server and
// where administrators reach the web UI and REST API.
import * as net from "net";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { VtmExposure } from "./exposure";
import { ADMIN_PORTS, VtmFoundation } from "./foundation";
import { NodeAddressLookup } from "./nodeAddress";

/** Shown in place of what the program cannot know (no cluster answered, nothing allocated yet). */
export const UNKNOWN = { nodeAddress: "<node-address>", nodePort: "<node-port>", balancer: "<pending-load-balancer-address>" } as const;

export interface Endpoints {
    readonly serviceEndpoint: pulumi.Output<string>;
    /** Only in NodePort mode. */
    readonly serviceNodePort?: pulumi.Output<number | undefined>;
    readonly adminUrl: pulumi.Output<string>;
    readonly restApiUrl: pulumi.Output<string>;
}

/** `scheme://host:port`, with an IPv6 host in brackets. */
export function url(scheme: "http" | "https", host: string, port: number | string): string {
    return `${scheme}://${net.isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

/**
 * The node address for the outputs: the configured one, else the lookup's answer at deploy time.
 * During preview nothing is asked and the address stays unknown ("output will be known after").
 */
export function nodeAddressOutput(configured: string | undefined, lookup: NodeAddressLookup): pulumi.Output<string> {
    if (configured !== undefined) return pulumi.output(configured);
    if (pulumi.runtime.isDryRun()) return pulumi.output(pulumi.unknown as unknown as string);
    return pulumi.output(lookup().then((address) => address ?? UNKNOWN.nodeAddress));
}

/** The nodePort Kubernetes allocated to a Service port. */
function nodePort(service: k8s.core.v1.Service, portName: string): pulumi.Output<number | undefined> {
    return service.spec.ports.apply((ports) => ports?.find((p) => p.name === portName)?.nodePort);
}

function balancerHost(service: k8s.core.v1.Service): pulumi.Output<string> {
    return service.status.apply((s) => s?.loadBalancer?.ingress?.[0]?.ip || s?.loadBalancer?.ingress?.[0]?.hostname || UNKNOWN.balancer);
}

export function endpoints(node: pulumi.Output<string>, foundation: VtmFoundation, exposure: VtmExposure): Endpoints {
    const admin = foundation.adminService;
    // Without an admin Service (host networking) the admin interfaces listen on the node itself.
    const adminEndpoint = (port: (typeof ADMIN_PORTS)[keyof typeof ADMIN_PORTS]) =>
        admin
            ? pulumi.all([node, nodePort(admin, port.name)]).apply(([host, p]) => url("https", host, p ?? UNKNOWN.nodePort))
            : node.apply((host) => url("https", host, port.port));
    const adminUrls = { adminUrl: adminEndpoint(ADMIN_PORTS.webui), restApiUrl: adminEndpoint(ADMIN_PORTS.restapi) };
    const vs = exposure.virtualServer;
    const service = exposure.service;

    switch (exposure.mode) {
        case "NodePort": {
            const port = nodePort(service!, vs.name);
            return {
                ...adminUrls,
                serviceNodePort: port,
                serviceEndpoint: pulumi.all([node, port]).apply(([host, p]) => url("http", host, p ?? UNKNOWN.nodePort)),
            };
        }
        case "LoadBalancer":
            return { ...adminUrls, serviceEndpoint: balancerHost(service!).apply((host) => url("http", host, vs.port)) };
        case "HostNetwork":
            return { ...adminUrls, serviceEndpoint: node.apply((host) => url("http", host, vs.port)) };
        default: {
            const unreachable: never = exposure.mode;
            throw new Error(`unknown exposure ${unreachable}`);
        }
    }
}
