// How clients outside the cluster reach the traffic manager's virtual server: a NodePort or
// LoadBalancer Service (the seed's vtm-services), or the node itself in host networking mode.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { DEFAULTS, Exposure } from "./defaults";
import { VirtualServer } from "./exampleService";
import { VtmFoundation } from "./foundation";
import { vtmLabels } from "./naming";
import { LoadBalancerSettings } from "./settings";

export interface VtmExposureArgs {
    /** The traffic manager whose pods the Service selects (its names, namespace and selector). */
    readonly foundation: VtmFoundation;
    /** The virtual server to expose: the Service port has its name and port. */
    readonly virtualServer: VirtualServer;
    /** @default "NodePort" */
    readonly mode?: Exposure;
    /** Balancer options, used in LoadBalancer mode. @default no source ranges, no annotations, 120 s wait */
    readonly loadBalancer?: LoadBalancerSettings;
}

/** Annotations that bound how long the Kubernetes provider waits for a balancer address. */
export function awaitAnnotations(timeoutSeconds: number): Record<string, string> {
    // 0: do not wait at all; the endpoint output then says the address is pending.
    return timeoutSeconds === 0 ? { "pulumi.com/skipAwait": "true" } : { "pulumi.com/timeoutSeconds": String(timeoutSeconds) };
}

export class VtmExposure extends pulumi.ComponentResource {
    readonly mode: Exposure;
    /** The data Service; undefined in HostNetwork mode, where vTM listens on the node. */
    readonly service?: k8s.core.v1.Service;
    readonly virtualServer: VirtualServer;

    constructor(name: string, args: VtmExposureArgs, opts?: pulumi.ComponentResourceOptions) {
        super("vtm:exposure:VtmExposure", name, {}, opts);
        this.mode = args.mode ?? DEFAULTS.exposure;
        this.virtualServer = args.virtualServer;
        const { foundation } = args;
        const lb = args.loadBalancer ?? DEFAULTS.loadBalancer;
        const service = (spec: k8s.types.input.core.v1.ServiceSpec, annotations?: Record<string, string>) =>
            new k8s.core.v1.Service(
                foundation.names.dataService,
                {
                    metadata: {
                        name: foundation.names.dataService,
                        namespace: foundation.namespace,
                        labels: vtmLabels(foundation.names, "exposure"),
                        annotations,
                    },
                    spec: {
                        ...spec,
                        ports: [{ name: args.virtualServer.name, port: args.virtualServer.port, targetPort: args.virtualServer.port, protocol: "TCP" }],
                        selector: foundation.podSelector,
                    },
                },
                { parent: this },
            );

        switch (this.mode) {
            case "NodePort":
                this.service = service({ type: "NodePort" });
                break;
            case "LoadBalancer":
                this.service = service(
                    { type: "LoadBalancer", loadBalancerSourceRanges: lb.sourceRanges.length > 0 ? [...lb.sourceRanges] : undefined },
                    { ...lb.annotations, ...awaitAnnotations(lb.timeoutSeconds) },
                );
                break;
            case "HostNetwork":
                break;
            default: {
                const unreachable: never = this.mode;
                throw new Error(`unknown exposure ${unreachable}`);
            }
        }
        this.registerOutputs({ service: this.service });
    }
}
