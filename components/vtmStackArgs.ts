// The VtmStack component's arguments: the stack configuration's keys (Pulumi.yaml), typed for every
// Pulumi language. Each type's name is what a language adds its suffix to (Python: BackendArgs). The SDK's schema inference reads these interfaces and their doc comments, so they use
// only what it accepts: plain interfaces, string enums, maps, lists and Input<> (no unions). Values are
// checked by the same parser as the stack configuration (settings/arguments.ts), with the same defaults.
import * as pulumi from "@pulumi/pulumi";

/** How clients reach the virtual servers. */
export enum ExposureMode {
    /** A NodePort Service per virtual server (the seed's way). */
    NodePort = "NodePort",
    /** A LoadBalancer Service per virtual server. */
    LoadBalancer = "LoadBalancer",
    /** The traffic manager's pods listen on their nodes' addresses. */
    HostNetwork = "HostNetwork",
}

/** The example application (nginx behind a headless Service). */
export interface Backend {
    /** Deploy it. Default: true. */
    enabled?: boolean;
    /** Default: "example-application". */
    name?: string;
    /** Default: "nginxinc/nginx-unprivileged:stable-alpine". */
    image?: string;
    /** Default: 2. */
    replicas?: number;
    /** Its headless Service's port name, which a pool without serviceName discovers. Default: "http". */
    portName?: string;
}

/** LoadBalancer exposure. */
export interface LoadBalancer {
    /** CIDRs allowed in. Default: []. */
    sourceRanges?: string[];
    /** Annotations of the Services, e.g. for MetalLB or a cloud. */
    annotations?: { [key: string]: string };
    /** How long to wait for an address (0: do not wait). Default: 120. */
    timeoutSeconds?: number;
}

/** Overrides of a virtual server's Kubernetes Service. */
export interface Frontend {
    /** NodePort or LoadBalancer; default: the exposure mode's. */
    type?: string;
    /** The Service's port. Default: the virtual server's port. */
    port?: number;
    nodePort?: number;
    annotations?: { [key: string]: string };
    loadBalancerSourceRanges?: string[];
}

/** A virtual server. */
export interface Service {
    /** Default: "http". */
    protocol?: string;
    port?: number;
    /** The pool it balances over. */
    pool?: string;
    /** A kubernetes.io/tls Secret: the virtual server terminates TLS with it. */
    tlsSecret?: string;
    requestRules?: string[];
    responseRules?: string[];
    frontend?: Frontend;
}

/** A pool, its nodes discovered through cluster DNS. */
export interface Pool {
    /** The Service whose endpoints are the nodes; empty: the example backend. */
    serviceName?: string;
    serviceNamespace?: string;
    portName?: string;
    portProtocol?: string;
    port?: number;
    /** Connect to the nodes with TLS. */
    tls?: boolean;
    monitors?: string[];
    algorithm?: string;
}

/** A ConfigMap or Secret key, and the path it is mounted at. */
export interface MountItem {
    key?: string;
    path?: string;
}

/** An existing ConfigMap or Secret to mount. */
export interface Mount {
    name?: string;
    /** configMap or secret. Default: "configMap". */
    type?: string;
    items?: MountItem[];
}

/** The admin Service's nodePorts. */
export interface AdminNodePorts {
    webui?: number;
    restapi?: number;
}

/** The admin UI (9090) and REST API (9070) Service. */
export interface AdminService {
    /** ClusterIP, NodePort or LoadBalancer (refused for a vTM release with a known critical advisory unless security.acceptAdminExposure names it). Default: "ClusterIP". */
    type?: string;
    nodePorts?: AdminNodePorts;
    loadBalancerSourceRanges?: string[];
    annotations?: { [key: string]: string };
    /** A LoadBalancer without source ranges is refused otherwise. Default: false. */
    allowPublicLoadBalancer?: boolean;
}

/** NetworkPolicies (none in HostNetwork mode, where they cannot apply). */
export interface NetworkPolicy {
    /** Default: true. */
    enabled?: boolean;
    /** Admit the admin ports only from these CIDRs (and adminNamespaces); default: pods of the cluster. */
    adminCidrs?: string[];
    adminNamespaces?: string[];
}

/** The traffic manager's Linux capabilities and accepted advisories. */
export interface Security {
    /** Drop every capability and add back only those the vTM image needs. Default: true. */
    dropAllCapabilities?: boolean;
    extraCapabilities?: string[];
    /** Advisory ids (e.g. CVE-2024-7593) whose risk you accept for admin interfaces reachable from outside the cluster. */
    acceptAdminExposure?: string[];
}

/** Compute resources, e.g. {cpu: "500m", memory: "1Gi"}. */
export interface Quantities {
    cpu?: string;
    memory?: string;
}

/** The traffic manager container's requests and limits. Default: requests cpu 500m, memory 1Gi; no limits. */
export interface Resources {
    requests?: Quantities;
    limits?: Quantities;
}

/** A toleration of the traffic manager pods. */
export interface Toleration {
    key?: string;
    /** Exists or Equal. */
    operator?: string;
    value?: string;
    /** NoSchedule, PreferNoSchedule or NoExecute. */
    effect?: string;
    tolerationSeconds?: number;
}

/** With more than one replica. */
export interface Availability {
    /** Default: true. */
    podDisruptionBudget?: boolean;
    /** Default: 1. */
    maxUnavailable?: number;
    /** Default: "kubernetes.io/hostname". */
    spreadTopologyKey?: string;
}

/** How long the update waits (0: do not wait). */
export interface Wait {
    /** For the Deployments' pods to be ready. Default: 600. */
    deploymentSeconds?: number;
    /** For the admin balancer's address and the example backend's Service. Default: 600. */
    serviceSeconds?: number;
}

/** The private registry of the image: with registryPassword, the component creates the image pull Secret. */
export interface Registry {
    server?: string;
    username?: string;
    email?: string;
}

/** How vTM is licensed. */
export interface Licensing {
    /** community, licenseKey or servicesDirector. Default: "community". */
    mode?: string;
    licenseSecret?: string;
    licenseSecretKey?: string;
    registrationServer?: string;
    serverFingerprint?: string;
    policyId?: string;
    owner?: string;
    email?: string;
    message?: string;
    commChannelEnabled?: boolean;
    commChannelPort?: number;
}

/** The VtmStack component's arguments: the stack configuration's settings (docs/configuration.md). */
export interface VtmStackArgs {
    /** How clients reach the service. Default: NodePort. */
    exposure?: ExposureMode;
    /** Prefix of every vTM object's name (a DNS-1035 label of at most 48 characters). Default: "vtm". */
    name?: string;
    /** Namespace of every object. It must exist. Default: "default". */
    namespace?: string;
    /** Number of traffic manager pods. Default: 1. */
    replicas?: number;
    /** The traffic manager image. Default: "pulsesecure/vtm:19.1". */
    image?: string;
    /** Always, IfNotPresent or Never. Default: "Always". */
    imagePullPolicy?: string;
    /** Names of existing Secrets used to pull the image. */
    imagePullSecrets?: string[];
    /** Set to "accept" to accept the vTM licence (ZEUS_EULA); nothing is deployed until you do. */
    eula?: string;
    /** Admin password, a secret of at least 12 characters; unset: a generated one. */
    adminPassword?: pulumi.Input<string>;
    /** Host used in the NodePort and HostNetwork endpoint outputs; unset: the first node's address. */
    nodeAddress?: string;
    /** The example application. */
    backend?: Backend;
    /** LoadBalancer exposure: source ranges, annotations, how long to wait for an address. */
    loadBalancer?: LoadBalancer;
    /** Virtual servers by name (at most 15 characters); an entry named example-service is set over the default one. */
    services?: { [name: string]: Service };
    /** Pools by name; an entry named example-pool is set over the default one. */
    pools?: { [name: string]: Pool };
    /** More vTM configuration documents, by file name (.yaml, .yml or .json): their YAML or JSON text. */
    configDocuments?: { [fileName: string]: string };
    /** TrafficScript rules by rule name: their text. A rule of the package's config/rules with the same name is replaced. */
    rules?: { [name: string]: string };
    /** Data files that documents read with valueFrom.fileRef (under data/), by key: their text. */
    data?: { [key: string]: string };
    /** Existing ConfigMaps or Secrets of configuration documents to mount. */
    configMounts?: Mount[];
    /** Existing ConfigMaps or Secrets of data that documents read. */
    dataMounts?: Mount[];
    /** The configuration API version of the image, for a tag the package does not know; default: from the image's tag. */
    apiVersion?: number;
    /** The admin UI and REST API Service. Default: ClusterIP (reach it with npm run admin). */
    adminService?: AdminService;
    /** NetworkPolicies of the admin ports and the example backend. */
    networkPolicy?: NetworkPolicy;
    /** Linux capabilities, and advisories whose risk you accept. */
    security?: Security;
    /** The traffic manager container's requests and limits. */
    resources?: Resources;
    /** Node labels the traffic manager pods must run on. */
    nodeSelector?: { [key: string]: string };
    /** Tolerations of the traffic manager pods. */
    tolerations?: Toleration[];
    /** The pods' affinity (nodeAffinity, podAffinity, podAntiAffinity), as in a pod spec. */
    affinity?: { [key: string]: any };
    /** A PriorityClass for the traffic manager pods. */
    priorityClassName?: string;
    /** More environment variables for the traffic manager, e.g. ZEUS_PACKAGES. */
    extraEnv?: { [name: string]: string };
    /** With more than one replica: a PodDisruptionBudget, maxUnavailable, the spread topology key. */
    availability?: Availability;
    /** How long the update waits for pods and Services. */
    wait?: Wait;
    /** The image's private registry. */
    registry?: Registry;
    /** The registry password or token, a secret. */
    registryPassword?: pulumi.Input<string>;
    /** Pins the image to a digest (sha256:<64 hex digits>). */
    imageDigest?: string;
    /** Change it (a date, a counter) to generate a new admin password. */
    adminPasswordRotation?: string;
    /** How vTM is licensed: community, licenseKey or servicesDirector. */
    licensing?: Licensing;
    /** The licence file's text, a secret, for licensing.mode licenseKey without licensing.licenseSecret. */
    licenseKey?: pulumi.Input<string>;
    /** The secret of licensing.owner, for licensing.mode servicesDirector. */
    servicesDirectorOwnerSecret?: pulumi.Input<string>;
}
