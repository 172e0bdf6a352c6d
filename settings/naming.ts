// Names and labels of every object, derived in one place. With the default prefix `vtm` they are the
// seed manifests' names, which users' kubectl commands and vTM's DNS service discovery refer to.

/** Kubernetes names of the traffic manager's objects for one name prefix. */
export interface VtmNames {
    readonly prefix: string;
    readonly baseConfigMap: string;
    readonly healthcheckConfigMap: string;
    readonly adminService: string;
    readonly dataService: string;
    readonly deployment: string;
    /** Logical name of the admin Secret; Kubernetes adds a suffix that changes with the password. */
    readonly adminSecret: string;
    /** Logical name of the image pull Secret made from registry credentials (auto-named the same way). */
    readonly registrySecret: string;
    /** Logical name of the Secret made from the licenseKey secret (auto-named the same way). */
    readonly licenseSecret: string;
    /** Logical name of the Secret holding the Services Director owner secret (auto-named the same way). */
    readonly servicesDirectorSecret: string;
    readonly serviceAccount: string;
    readonly container: string;
    /** The Service of a service that has a frontend of its own. */
    frontendService(service: string): string;
    /** The n-th ConfigMap of documents or data (0: the seed's name; more when one would pass 1 MiB). */
    configShard(index: number): string;
    dataShard(index: number): string;
}

// Suffixes of Service names: Services must be DNS-1035 labels of at most 63 characters.
const SERVICE_SUFFIXES = { adminService: "-admin-services", dataService: "-services" } as const;
const BACKEND_SERVICE_SUFFIX = "-backend-service";
export const DNS_LABEL_MAX = 63;

/** The longest `name` prefix whose derived Service names are still valid. */
export const MAX_NAME_LENGTH = DNS_LABEL_MAX - Math.max(...Object.values(SERVICE_SUFFIXES).map((s) => s.length));
/** The longest `backend.name` whose headless Service name is still valid. */
export const MAX_BACKEND_NAME_LENGTH = DNS_LABEL_MAX - BACKEND_SERVICE_SUFFIX.length;

export function vtmNames(prefix: string): VtmNames {
    return {
        prefix,
        baseConfigMap: `${prefix}-base-config`,
        healthcheckConfigMap: `${prefix}-healthcheck-config`,
        adminService: `${prefix}${SERVICE_SUFFIXES.adminService}`,
        dataService: `${prefix}${SERVICE_SUFFIXES.dataService}`,
        deployment: prefix,
        adminSecret: `${prefix}-admin-login-credentials`,
        registrySecret: `${prefix}-registry-credentials`,
        licenseSecret: `${prefix}-license`,
        servicesDirectorSecret: `${prefix}-services-director`,
        serviceAccount: prefix,
        container: "vtm",
        frontendService: (service) => `${prefix}-${service}`,
        configShard: (index) => (index === 0 ? `${prefix}-config` : `${prefix}-config-${index + 1}`),
        dataShard: (index) => (index === 0 ? `${prefix}-extra-data` : `${prefix}-extra-data-${index + 1}`),
    };
}

/** Kubernetes names of the example backend application. */
export interface BackendNames {
    readonly app: string;
    readonly deployment: string;
    readonly service: string;
    /** The NetworkPolicy that admits only the traffic manager. */
    readonly networkPolicy: string;
}

export function backendNames(app: string): BackendNames {
    return { app, deployment: `${app}-deployment`, service: `${app}${BACKEND_SERVICE_SUFFIX}`, networkPolicy: app };
}

/** What an object is within its application, for `app.kubernetes.io/component`. */
export type Component = "traffic-manager" | "configuration" | "admin" | "credentials" | "exposure" | "backend";

/**
 * The small, stable label set that selectors use. It is the seed's `app: <name>`, so
 * `kubectl get pods -l app=vtm` keeps working and selectors never change when other labels do.
 */
export function selectorLabels(app: string): Record<string, string> {
    return { app };
}

/**
 * Marks the traffic manager's host-network pods, so that their "one per node" rule matches only each
 * other: a pod of another exposure mode may share a node with one, which lets a switch out of
 * HostNetwork start its new pods before the old ones stop. Not part of any selector.
 */
export const HOST_NETWORK_LABEL = { "vtm-kubernetes/host-network": "true" } as const;

/** Labels for an object's metadata: the selector set plus the `app.kubernetes.io/*` recommended labels. */
export function labels(app: string, appName: string, component: Component): Record<string, string> {
    return {
        ...selectorLabels(app),
        "app.kubernetes.io/name": appName,
        "app.kubernetes.io/instance": app,
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/part-of": "vtm-kubernetes",
        "app.kubernetes.io/managed-by": "pulumi",
    };
}

/** Labels of a traffic manager object. */
export function vtmLabels(names: VtmNames, component: Component): Record<string, string> {
    return labels(names.prefix, "vtm", component);
}
