// Every default of the program, in one place. Pulumi.yaml declares the same values for the CLI
// (tests/pulumiYaml.test.ts proves the two agree), the settings and the components apply them with `??`.

export const EXPOSURES = ["NodePort", "LoadBalancer", "HostNetwork"] as const;
/** How the example service reaches clients outside the cluster. */
export type Exposure = (typeof EXPOSURES)[number];

export const PULL_POLICIES = ["Always", "IfNotPresent", "Never"] as const;
export type PullPolicy = (typeof PULL_POLICIES)[number];

export const LICENSING_MODES = ["community", "licenseKey", "servicesDirector"] as const;
/** How the traffic manager is licensed (settings/licensing.ts). */
export type LicensingMode = (typeof LICENSING_MODES)[number];

/** The traffic manager's admin interfaces: container port names and numbers (both HTTPS). */
export const ADMIN_PORTS = { webui: { name: "vtm-webui", port: 9090 }, restapi: { name: "vtm-restapi", port: 9070 } } as const;

export const DEFAULTS = {
    exposure: "NodePort" as Exposure,
    name: "vtm",
    namespace: "default",
    replicas: 1,
    image: "pulsesecure/vtm:19.1",
    imagePullPolicy: "Always" as PullPolicy,
    imagePullSecrets: [] as readonly string[],
    /** Empty: the licence is not accepted until the user says so (Pulumi.dev.yaml does, as the seed's manifests do). */
    eula: "",
    /** Empty: a random password is generated. */
    adminPassword: "",
    /** Empty: the first node's address is looked up from the cluster at deploy time. */
    nodeAddress: "",
    backend: {
        enabled: true,
        name: "example-application",
        /** A maintained nginx that runs as any non-root user with a read-only root filesystem (docs/production.md). */
        image: "nginxinc/nginx-unprivileged:stable-alpine",
        replicas: 2,
        /** The name of the backend Service's port; a pool without serviceName looks it up by this name. */
        portName: "http",
    },
    /** The seed's example service: one HTTP virtual server over the example backend. */
    services: {
        "example-service": { protocol: "http", port: 80, pool: "example-pool", responseRules: ["Response-Headers"] },
    } as Readonly<Record<string, unknown>>,
    /** The seed's example pool; without serviceName it balances over the example backend. */
    pools: {
        "example-pool": { monitors: ["Simple HTTP"] },
    } as Readonly<Record<string, unknown>>,
    service: { protocol: "http" },
    /** More configuration documents: files or directories, relative to the project directory. */
    documents: [] as readonly string[],
    /** The image's configuration API version; empty: from the image's tag (vtm/releases.yaml). A string, as Pulumi.yaml has no number type. */
    apiVersion: "",
    configMounts: [] as readonly unknown[],
    dataMounts: [] as readonly unknown[],
    adminService: {
        /** Inside the cluster only (kubectl port-forward); Pulumi.dev.yaml sets NodePort, as upstream. */
        type: "ClusterIP" as "ClusterIP" | "NodePort" | "LoadBalancer",
        nodePorts: {} as { readonly webui?: number; readonly restapi?: number },
        loadBalancerSourceRanges: [] as readonly string[],
        annotations: {} as Readonly<Record<string, string>>,
        allowPublicLoadBalancer: false,
    },
    /** Wherever one can apply (not on the host network): admin ports from inside the cluster only, the example backend from the traffic manager only. */
    networkPolicy: { enabled: true, adminCidrs: [] as readonly string[], adminNamespaces: [] as readonly string[] },
    /** Every capability dropped but what the image needs; no admin exposure of an affected release accepted. */
    security: { dropAllCapabilities: true, extraCapabilities: [] as readonly string[], acceptAdminExposure: [] as readonly string[] },
    /** Requests, so the scheduler places the pod where it fits; no limits unless set (docs/production.md says why). */
    resources: { requests: { cpu: "500m", memory: "1Gi" } as Readonly<Record<string, string>> },
    nodeSelector: {} as Readonly<Record<string, string>>,
    tolerations: [] as readonly unknown[],
    affinity: {} as Readonly<Record<string, unknown>>,
    priorityClassName: "",
    extraEnv: {} as Readonly<Record<string, string>>,
    availability: { podDisruptionBudget: true, maxUnavailable: 1, spreadTopologyKey: "kubernetes.io/hostname" },
    /** The Kubernetes provider's own default is 10 minutes for both. */
    wait: { deploymentSeconds: 600, serviceSeconds: 600 },
    registry: { server: "", username: "", email: "" },
    /** Empty: no registry Secret is created. */
    registryPassword: "",
    /** Empty: the image as given, by tag. */
    imageDigest: "",
    /** Change it to generate a new admin password. */
    adminPasswordRotation: "",
    /** The community edition, as the seed; the other modes' fields default as in LICENSING_DEFAULTS. */
    licensing: { mode: "community" },
    /** Empty: no licence given as a secret value. */
    licenseKey: "",
    /** Empty: no Services Director owner secret. */
    servicesDirectorOwnerSecret: "",
    loadBalancer: {
        sourceRanges: [] as readonly string[],
        annotations: {} as Readonly<Record<string, string>>,
        /** How long `pulumi up` waits for a balancer address; 0 does not wait at all. */
        timeoutSeconds: 120,
    },
} as const;

/** The generated admin password: long, and letters and digits only so no shell or vTM quoting can bite. */
export const GENERATED_PASSWORD = { length: 24, special: false } as const;

/** Defaults of `licensing` fields that only some modes take (Pulumi.yaml's default object holds only the mode). */
export const LICENSING_DEFAULTS = {
    /** The key of the licence file in its Secret, yours or the one made from licenseKey. */
    licenseSecretKey: "license",
} as const;

/** Configuration keys whose values are secrets. */
export const SECRET_KEYS = ["adminPassword", "registryPassword", "licenseKey", "servicesDirectorOwnerSecret"] as const;
