// The example backend application (the seed's example-application.yaml): nginx behind a headless
// Service, whose pods the traffic manager discovers through DNS.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { DEFAULTS } from "../settings/defaults";
import { backendNames, labels, selectorLabels } from "../settings/naming";
import { awaitAnnotations } from "./podSpec";
import { WaitSettings } from "../settings/production";

/** The port the example application serves HTTP on. */
export const BACKEND_PORT = 80;

export interface BackendApplicationArgs {
    /** Name of the application; prefixes its objects and is its `app` label. @default "example-application" */
    readonly name?: string;
    /** @default "default" */
    readonly namespace?: string;
    /** @default "nginx:1.7.9" (the seed's) */
    readonly image?: string;
    /** @default 2 */
    readonly replicas?: number;
    /** Name of the headless Service. @default "<name>-backend-service" */
    readonly serviceName?: string;
    /** Name of the Service's HTTP port, which the pool's DNS SRV lookup asks for. @default "http" */
    readonly portName?: string;
    /** How long `pulumi up` waits for the Deployment and the Service. @default 600 s each */
    readonly wait?: WaitSettings;
}

export class BackendApplication extends pulumi.ComponentResource {
    readonly deployment: k8s.apps.v1.Deployment;
    /** The headless Service (clusterIP None) whose DNS records list the pods. */
    readonly service: k8s.core.v1.Service;
    readonly portName: string;

    constructor(name: string, args: BackendApplicationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("vtm:backend:BackendApplication", name, {}, opts);
        const d = DEFAULTS.backend;
        const names = backendNames(args.name ?? d.name);
        const namespace = args.namespace ?? DEFAULTS.namespace;
        const selector = selectorLabels(names.app);
        const metadataLabels = labels(names.app, names.app, "backend");
        const serviceName = args.serviceName ?? names.service;
        this.portName = args.portName ?? d.portName;
        const wait = args.wait ?? DEFAULTS.wait;

        this.deployment = new k8s.apps.v1.Deployment(
            names.deployment,
            {
                metadata: { name: names.deployment, namespace, labels: metadataLabels, annotations: awaitAnnotations(wait.deploymentSeconds) },
                spec: {
                    replicas: args.replicas ?? d.replicas,
                    selector: { matchLabels: selector },
                    template: {
                        metadata: { labels: metadataLabels },
                        spec: { containers: [{ name: "nginx", image: args.image ?? d.image, ports: [{ containerPort: BACKEND_PORT }] }] },
                    },
                },
            },
            { parent: this },
        );
        this.service = new k8s.core.v1.Service(
            serviceName,
            {
                metadata: { name: serviceName, namespace, labels: metadataLabels, annotations: awaitAnnotations(wait.serviceSeconds) },
                spec: {
                    // Headless: DNS answers with the pods themselves, which is what vTM balances over.
                    clusterIP: "None",
                    selector,
                    ports: [{ name: this.portName, protocol: "TCP", port: BACKEND_PORT, targetPort: BACKEND_PORT }],
                },
            },
            { parent: this },
        );
        this.registerOutputs({ deployment: this.deployment, service: this.service });
    }
}
