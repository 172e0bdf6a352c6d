// Where each service should answer, in the shape of the stack's `serviceEndpoints` output: taken
// from the output itself when the Pulumi CLI can read it, or worked out from what the cluster holds
// (the Services the program made, their nodePorts and balancer addresses, the nodes' addresses and,
// on the host network, the nodes the traffic manager pods run on).
import type { V1Node, V1Pod, V1Service } from "@kubernetes/client-node";
import { Exposure } from "../../settings/defaults";
import { UNKNOWN, scheme, url } from "../../components/endpoints";
import { VtmNames } from "../../settings/naming";
import { firstNodeAddress } from "../../components/cluster";
import { ServiceSettings } from "../../settings/services";

/** One service endpoint to probe, or why it is not probed. */
export interface EndpointPlan {
    readonly service: string;
    /** `<scheme>://<host>:<port>`, as the stack's outputs write it. */
    readonly url?: string;
    /** Not reachable from here by design (a ClusterIP frontend): reported as skipped. */
    readonly skip?: string;
    /** No address to probe where there should be one: reported as failed. */
    readonly fail?: string;
}

/** What the cluster holds that the endpoints depend on. */
export interface ClusterFacts {
    readonly services: readonly V1Service[];
    readonly nodes: readonly V1Node[];
    readonly pods: readonly V1Pod[];
}

export interface StackShape {
    readonly namespace: string;
    readonly exposure: Exposure;
    readonly nodeAddress?: string;
    readonly services: readonly ServiceSettings[];
    readonly names: VtmNames;
}

/** The nodes the traffic manager pods run on, by address (host networking: where vTM listens). */
function podHosts(facts: ClusterFacts): string[] {
    return [...new Set(facts.pods.map((p) => p.status?.hostIP).filter((ip): ip is string => typeof ip === "string" && ip !== ""))];
}

function clusterPlan(stack: StackShape, facts: ClusterFacts, service: ServiceSettings): EndpointPlan[] {
    const name = service.name;
    if (stack.exposure === "HostNetwork") {
        const hosts = podHosts(facts);
        if (hosts.length === 0) return [{ service: name, fail: "no traffic manager pod runs on a node yet, so nothing listens on a node's port (see the rollout check)" }];
        return hosts.map((host) => ({ service: name, url: url(scheme(service), host, service.port) }));
    }
    const serviceName = service.frontend ? stack.names.frontendService(name) : stack.names.dataService;
    const svc = facts.services.find((s) => s.metadata?.name === serviceName);
    const where = `kubectl -n ${stack.namespace} get service ${serviceName}`;
    if (svc === undefined) return [{ service: name, fail: `Service ${stack.namespace}/${serviceName} does not exist (deployed with another configuration? ${where})` }];
    const port = svc.spec?.ports?.find((p) => p.name === name);
    if (port === undefined) return [{ service: name, fail: `Service ${serviceName} has no port named ${name} (${where})` }];
    switch (svc.spec?.type) {
        case "NodePort": {
            const host = stack.nodeAddress ?? firstNodeAddress({ items: [...facts.nodes] });
            if (host === undefined) return [{ service: name, fail: "no node has an address to reach the nodePort on; set nodeAddress" }];
            if (port.nodePort === undefined) return [{ service: name, fail: `Service ${serviceName} has no nodePort yet (${where})` }];
            return [{ service: name, url: url(scheme(service), host, port.nodePort) }];
        }
        case "LoadBalancer": {
            const ingress = svc.status?.loadBalancer?.ingress?.[0];
            const host = ingress?.ip || ingress?.hostname;
            if (!host) return [{ service: name, fail: `the balancer of Service ${serviceName} has no address yet (${where}; a cluster without a load-balancer controller never gives one)` }];
            return [{ service: name, url: url(scheme(service), host, port.port) }];
        }
        default:
            return [
                {
                    service: name,
                    skip: `Service ${serviceName} is ClusterIP: reachable inside the cluster only (kubectl -n ${stack.namespace} port-forward service/${serviceName} ${port.port})`,
                },
            ];
    }
}

/** Every service's endpoints, worked out from the cluster. */
export function clusterEndpoints(stack: StackShape, facts: ClusterFacts): EndpointPlan[] {
    return stack.services.flatMap((s) => clusterPlan(stack, facts, s));
}

/** Every service's endpoint from the stack's `serviceEndpoints` output. */
export function outputEndpoints(stack: StackShape, outputs: Readonly<Record<string, string>>): EndpointPlan[] {
    return Object.entries(outputs)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([service, text]): EndpointPlan => {
            if (text.includes(UNKNOWN.nodeAddress)) return { service, fail: `the stack output says ${text}: no node address was known at deploy time; set nodeAddress` };
            if (text.includes(UNKNOWN.nodePort)) return { service, fail: `the stack output says ${text}: no nodePort was allocated at deploy time (pulumi refresh)` };
            if (text.includes(UNKNOWN.balancer)) return { service, fail: `the stack output says ${text}: the balancer had no address at deploy time (kubectl -n ${stack.namespace} get services; then pulumi refresh)` };
            if (/\.svc\.cluster\.local(:|$)/.test(text)) return { service, url: text, skip: `${text} is a cluster DNS name: reachable inside the cluster only` };
            return { service, url: text };
        });
}

/** An endpoint URL taken apart for a probe. */
export interface ParsedEndpoint {
    readonly transport: "http" | "tcp" | "udp";
    readonly host: string;
    readonly port: number;
}

export function parseEndpoint(text: string): ParsedEndpoint | undefined {
    let parsed: URL;
    try {
        parsed = new URL(text);
    } catch {
        return undefined;
    }
    // URL drops a scheme's default port (http://host:80 has port ""): that port is still the one to probe.
    const port = parsed.port === "" ? ({ "http:": 80, "https:": 443 } as Record<string, number>)[parsed.protocol] : Number(parsed.port);
    const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
    if (!Number.isInteger(port) || port <= 0 || host === "") return undefined;
    const protocol = parsed.protocol.replace(/:$/, "");
    const transport = protocol === "http" || protocol === "https" ? "http" : protocol === "udp" ? "udp" : protocol === "tcp" ? "tcp" : undefined;
    return transport && { transport, host, port };
}
