// Every default of the program, in one place. Pulumi.yaml declares the same values for the CLI
// (tests/pulumiYaml.test.ts proves the two agree), the settings and the components apply them with `??`.

export const EXPOSURES = ["NodePort", "LoadBalancer", "HostNetwork"] as const;
/** How the example service reaches clients outside the cluster. */
export type Exposure = (typeof EXPOSURES)[number];

export const PULL_POLICIES = ["Always", "IfNotPresent", "Never"] as const;
export type PullPolicy = (typeof PULL_POLICIES)[number];

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
        image: "nginx:1.7.9",
        replicas: 2,
        /** Empty: `<backend.name>-backend-service`, the Service the example backend creates. */
        serviceName: "",
        portName: "http",
    },
    loadBalancer: {
        sourceRanges: [] as readonly string[],
        annotations: {} as Readonly<Record<string, string>>,
        /** How long `pulumi up` waits for a balancer address; 0 does not wait at all. */
        timeoutSeconds: 120,
    },
} as const;

/** The generated admin password: long, and letters and digits only so no shell or vTM quoting can bite. */
export const GENERATED_PASSWORD = { length: 24, special: false } as const;

/** Configuration keys whose values are secrets. */
export const SECRET_KEYS = ["adminPassword"] as const;
