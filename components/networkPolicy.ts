// Who may reach the traffic manager's pods: every port stays open to clients, but the admin web UI
// (9090) and REST API (9070) only to pods of the cluster, or to the CIDRs and namespaces given instead.
// `kubectl port-forward` (npm run admin) enters the pod from inside and is not affected; pods on the
// host network are outside NetworkPolicy altogether, so the stack makes none there.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { ADMIN_PORTS, DEFAULTS } from "../settings/defaults";
import { VtmFoundation } from "./foundation";
import { vtmLabels } from "../settings/naming";
import { typeToken, withFormerType } from "./types";

export interface VtmNetworkPolicyArgs {
    /** The traffic manager whose pods the policy selects. */
    readonly foundation: VtmFoundation;
    /** CIDRs that may reach the admin ports (instead of the cluster's pods). @default [] */
    readonly adminCidrs?: readonly string[];
    /** Namespaces whose pods may reach the admin ports (instead of the cluster's pods). @default [] */
    readonly adminNamespaces?: readonly string[];
}

type PolicyPort = k8s.types.input.networking.v1.NetworkPolicyPort;

/** Every TCP port but the admin ones, and every UDP port: what clients of the virtual servers may use. */
export function openPorts(): PolicyPort[] {
    const admin = Object.values(ADMIN_PORTS).map((p) => p.port).sort((a, b) => a - b);
    const ranges: PolicyPort[] = [];
    let from = 1;
    for (const closed of [...admin, 65536]) {
        if (closed > from) ranges.push(closed - 1 === from ? { protocol: "TCP", port: from } : { protocol: "TCP", port: from, endPort: closed - 1 });
        from = closed + 1;
    }
    return [...ranges, { protocol: "UDP", port: 1, endPort: 65535 }];
}

export class VtmNetworkPolicy extends pulumi.ComponentResource {
    readonly policy: k8s.networking.v1.NetworkPolicy;

    constructor(name: string, args: VtmNetworkPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
        super(typeToken("VtmNetworkPolicy"), name, {}, withFormerType("vtm:security:VtmNetworkPolicy", opts));
        const { foundation } = args;
        const d = DEFAULTS.networkPolicy;
        const named = [
            ...(args.adminCidrs ?? d.adminCidrs).map((cidr) => ({ ipBlock: { cidr } })),
            ...(args.adminNamespaces ?? d.adminNamespaces).map((ns) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } })),
        ];
        // Nothing named: every pod of every namespace, and nothing from outside the cluster.
        const adminSources = named.length > 0 ? named : [{ namespaceSelector: {} }];
        const adminPorts = Object.values(ADMIN_PORTS).map((p) => ({ protocol: "TCP", port: p.port }));
        this.policy = new k8s.networking.v1.NetworkPolicy(
            foundation.names.prefix,
            {
                metadata: { name: foundation.names.prefix, namespace: foundation.namespace, labels: vtmLabels(foundation.names, "admin") },
                spec: {
                    podSelector: { matchLabels: foundation.podSelector },
                    policyTypes: ["Ingress"],
                    ingress: [
                        // Clients, the probes and the virtual servers' ports: from anywhere.
                        { ports: openPorts() },
                        { from: adminSources, ports: adminPorts },
                    ],
                },
            },
            { parent: this },
        );
        this.registerOutputs({ policy: this.policy });
    }
}
