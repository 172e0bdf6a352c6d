// The example backend application (the seed's example-application.yaml, under its names and labels):
// nginx behind a headless Service, whose pods the traffic manager discovers through DNS. Unlike the
// seed's nginx:1.7.9 (2014, root, no probes) it is a maintained unprivileged nginx, hardened as any pod
// should be: nothing here is an exception, since nothing of vTM's image is involved.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { DEFAULTS } from "../settings/defaults";
import { backendNames, labels, selectorLabels } from "../settings/naming";
import { awaitAnnotations } from "./podSpec";
import { WaitSettings } from "../settings/production";
import { typeToken, withFormerType } from "./types";

/** The port clients (the traffic manager) use, as the seed's Service has it. */
export const BACKEND_PORT = 80;
/** The port the unprivileged nginx listens on: a non-root process cannot bind 80 without NET_BIND_SERVICE. */
export const BACKEND_CONTAINER_PORT = 8080;
/** A user and group of no account on the node (checkov CKV_K8S_40 asks for one above 10000); the image runs as any. */
export const BACKEND_USER = 10101;

export interface BackendApplicationArgs {
    /** Name of the application; prefixes its objects and is its `app` label. @default "example-application" */
    readonly name?: string;
    /** @default "default" */
    readonly namespace?: string;
    /** An nginx image that runs unprivileged, listening on 8080 with /tmp writable. @default "nginxinc/nginx-unprivileged:stable-alpine" */
    readonly image?: string;
    /** @default 2 */
    readonly replicas?: number;
    /** Name of the headless Service. @default "<name>-backend-service" */
    readonly serviceName?: string;
    /** Name of the Service's HTTP port, which the pool's DNS SRV lookup asks for. @default "http" */
    readonly portName?: string;
    /** How long `pulumi up` waits for the Deployment and the Service. @default 600 s each */
    readonly wait?: WaitSettings;
    /** Labels of the only pods that may connect (the traffic manager's): a NetworkPolicy admits them alone. @default no NetworkPolicy */
    readonly allowFrom?: Readonly<Record<string, string>>;
}

/** The nginx container: probes, small requests and limits, no privilege, a read-only root filesystem. */
export function backendContainer(image: string): k8s.types.input.core.v1.Container {
    const probe = { httpGet: { path: "/", port: "http" }, periodSeconds: 10, timeoutSeconds: 2 };
    return {
        name: "nginx",
        image,
        // The default tag moves with nginx's stable releases: always pull, so a restart gets the fixes.
        imagePullPolicy: "Always",
        ports: [{ name: "http", containerPort: BACKEND_CONTAINER_PORT, protocol: "TCP" }],
        readinessProbe: { ...probe, failureThreshold: 3 },
        livenessProbe: { ...probe, failureThreshold: 6, initialDelaySeconds: 5 },
        resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
        securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            capabilities: { drop: ["ALL"] },
        },
        // nginx writes its pid and temporary files to /tmp, the only writable place.
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
    };
}

export class BackendApplication extends pulumi.ComponentResource {
    readonly deployment: k8s.apps.v1.Deployment;
    /** The headless Service (clusterIP None) whose DNS records list the pods. */
    readonly service: k8s.core.v1.Service;
    /** When `allowFrom` is given. */
    readonly networkPolicy?: k8s.networking.v1.NetworkPolicy;
    readonly portName: string;

    constructor(name: string, args: BackendApplicationArgs, opts?: pulumi.ComponentResourceOptions) {
        super(typeToken("BackendApplication"), name, {}, withFormerType("vtm:backend:BackendApplication", opts));
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
                        spec: {
                            // nginx needs no Kubernetes API.
                            automountServiceAccountToken: false,
                            securityContext: {
                                runAsNonRoot: true,
                                runAsUser: BACKEND_USER,
                                runAsGroup: BACKEND_USER,
                                seccompProfile: { type: "RuntimeDefault" },
                            },
                            containers: [backendContainer(args.image ?? d.image)],
                            volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
                        },
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
                    // Headless: DNS answers with the pods themselves, which is what vTM balances over (their
                    // SRV records carry the pods' port, 8080).
                    clusterIP: "None",
                    selector,
                    ports: [{ name: this.portName, protocol: "TCP", port: BACKEND_PORT, targetPort: "http" }],
                },
            },
            { parent: this },
        );
        if (args.allowFrom !== undefined) {
            this.networkPolicy = new k8s.networking.v1.NetworkPolicy(
                names.networkPolicy,
                {
                    metadata: { name: names.networkPolicy, namespace, labels: metadataLabels },
                    spec: {
                        podSelector: { matchLabels: selector },
                        policyTypes: ["Ingress"],
                        // The traffic manager's pods, on nginx's port (the kubelet's probes are not subject to it).
                        ingress: [{ from: [{ podSelector: { matchLabels: { ...args.allowFrom } } }], ports: [{ protocol: "TCP", port: BACKEND_CONTAINER_PORT }] }],
                    },
                },
                { parent: this },
            );
        }
        this.registerOutputs({ deployment: this.deployment, service: this.service, networkPolicy: this.networkPolicy });
    }
}
