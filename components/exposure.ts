// How clients reach the traffic manager's virtual servers: ports of the shared `<name>-services`
// Service (the seed's vtm-services), a Service of their own when a service sets `frontend`, or the
// node itself in host networking mode.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { DEFAULTS, Exposure } from "../settings/defaults";
import { VtmFoundation } from "./foundation";
import { vtmLabels } from "../settings/naming";
import { podServiceAnnotations } from "./podSpec";
import { FrontendType, ServiceSettings } from "../settings/services";
import { transportOf } from "../vtm/model";
import { LoadBalancerSettings } from "../settings/settings";
import { typeToken, withFormerType } from "./types";

export interface VtmExposureArgs {
    /** The traffic manager whose pods the Services select (its names, namespace and selector). */
    readonly foundation: VtmFoundation;
    /** The virtual servers to expose; each Service port is named after its service. */
    readonly services: readonly ServiceSettings[];
    /** @default "NodePort" */
    readonly mode?: Exposure;
    /** Balancer options for LoadBalancer Services. @default no source ranges, no annotations, 120 s wait */
    readonly loadBalancer?: LoadBalancerSettings;
}

/** Where one service is reachable: its Service (none on the host network) and that Service's port. */
export interface Frontend {
    readonly service: ServiceSettings;
    /** Undefined in HostNetwork mode, where vTM listens on the node. */
    readonly kubernetesService?: k8s.core.v1.Service;
    readonly type?: FrontendType;
    /** The port clients connect to: the Service port, or the virtual server's port on the node. */
    readonly port: number;
}

/** The Service type of the exposure mode, for services without a frontend type of their own. */
function modeType(mode: Exposure): FrontendType | undefined {
    switch (mode) {
        case "NodePort":
        case "LoadBalancer":
            return mode;
        case "HostNetwork":
            return undefined;
        default: {
            const unreachable: never = mode;
            throw new Error(`unknown exposure ${unreachable}`);
        }
    }
}

function servicePort(service: ServiceSettings): k8s.types.input.core.v1.ServicePort {
    return {
        name: service.name,
        port: service.frontend?.port ?? service.port,
        targetPort: service.port,
        nodePort: service.frontend?.nodePort,
        // A UDP virtual server needs a UDP Service port, or no datagram reaches it.
        protocol: transportOf(service.protocol),
    };
}

export class VtmExposure extends pulumi.ComponentResource {
    readonly mode: Exposure;
    /** The shared Service; undefined when every service has its own, or on the host network. */
    readonly sharedService?: k8s.core.v1.Service;
    /** Every service's frontend, in the order of the services. */
    readonly frontends: readonly Frontend[];

    constructor(name: string, args: VtmExposureArgs, opts?: pulumi.ComponentResourceOptions) {
        super(typeToken("VtmExposure"), name, {}, withFormerType("vtm:exposure:VtmExposure", opts));
        this.mode = args.mode ?? DEFAULTS.exposure;
        const { foundation } = args;
        const lb = args.loadBalancer ?? DEFAULTS.loadBalancer;
        const defaultType = modeType(this.mode);
        const makeService = (serviceName: string, type: FrontendType, ports: k8s.types.input.core.v1.ServicePort[], annotations: Record<string, string>, sourceRanges: readonly string[]) =>
            new k8s.core.v1.Service(
                serviceName,
                {
                    metadata: {
                        name: serviceName,
                        namespace: foundation.namespace,
                        labels: vtmLabels(foundation.names, "exposure"),
                        // A balancer's address can take long to come: it has a wait of its own.
                        annotations:
                            type === "LoadBalancer"
                                ? { ...lb.annotations, ...annotations, ...podServiceAnnotations(type, lb.timeoutSeconds) }
                                : { ...annotations, ...podServiceAnnotations(type, 0) },
                    },
                    spec: {
                        type,
                        loadBalancerSourceRanges: type === "LoadBalancer" && sourceRanges.length > 0 ? [...sourceRanges] : undefined,
                        ports,
                        selector: foundation.podSelector,
                    },
                },
                { parent: this },
            );

        if (defaultType === undefined) {
            // Host networking: each virtual server listens on the node's own port.
            this.frontends = args.services.map((service) => ({ service, port: service.port }));
        } else {
            const shared = args.services.filter((s) => s.frontend === undefined);
            this.sharedService =
                shared.length > 0 ? makeService(foundation.names.dataService, defaultType, shared.map(servicePort), {}, lb.sourceRanges) : undefined;
            this.frontends = args.services.map((service): Frontend => {
                const frontend = service.frontend;
                if (frontend === undefined) return { service, kubernetesService: this.sharedService, type: defaultType, port: service.port };
                const type = frontend.type ?? defaultType;
                const sourceRanges = frontend.loadBalancerSourceRanges.length > 0 ? frontend.loadBalancerSourceRanges : lb.sourceRanges;
                const own = makeService(foundation.names.frontendService(service.name), type, [servicePort(service)], { ...frontend.annotations }, sourceRanges);
                return { service, kubernetesService: own, type, port: frontend.port ?? service.port };
            });
        }
        this.registerOutputs({ sharedService: this.sharedService, services: this.frontends.map((f) => f.kubernetesService) });
    }
}
