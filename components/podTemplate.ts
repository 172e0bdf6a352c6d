// The traffic manager's pod template: the seed's container (ports, probes, ZEUS_* environment) with the
// configuration and data projected into the importer's directories, and the program's security,
// placement and licensing. A pure function of its inputs, so that a test can build it alone.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { ADMIN_PORTS, DEFAULTS, PullPolicy } from "../settings/defaults";
import { HOST_NETWORK_LABEL, VtmNames, selectorLabels, vtmLabels } from "../settings/naming";
import { AvailabilitySettings, ResourceSettings, SecuritySettings } from "../settings/production";
import { MountSettings } from "../settings/services";
import { DATA_DIR, TLS_KEYS } from "../vtm/configuration";
import { IMPORT_DIR } from "../vtm/documents";
import { LicensingPod } from "./licensing";
import { Placement, containerSecurity, placement, podSecurity } from "./podSpec";

type VolumeProjection = k8s.types.input.core.v1.VolumeProjection;

/** The key of the admin password in its Secret (the seed README's example). */
export const ADMIN_PASSWORD_KEY = "vtm-admin-password";

export interface PodTemplateInput {
    readonly names: VtmNames;
    readonly hostNetwork: boolean;
    readonly replicas: number;
    /** `<image>`, or `<image>@<digest>` when pinned. */
    readonly image: string;
    readonly imagePullPolicy?: PullPolicy;
    readonly imagePullSecrets: readonly pulumi.Input<string>[];
    readonly serviceAccountName: pulumi.Input<string>;
    /** The Secret whose ADMIN_PASSWORD_KEY feeds ZEUS_PASS. */
    readonly adminSecretName: pulumi.Input<string>;
    /** The health-check virtual server's port, which the probes call. */
    readonly probePort: number;
    /** What goes into the watched configuration directory and the data directory. */
    readonly configSources: readonly VolumeProjection[];
    readonly dataSources: readonly VolumeProjection[];
    readonly licensed: LicensingPod;
    readonly security?: SecuritySettings;
    /** A Ping monitor is configured: the container gets NET_RAW. @default false */
    readonly pingMonitor?: boolean;
    readonly resources?: ResourceSettings;
    readonly placement?: Placement;
    readonly availability?: AvailabilitySettings;
    readonly extraEnv?: Readonly<Record<string, string>>;
}

/** The container's requests and limits, or none. */
function resourcesOf(resources: ResourceSettings | undefined): k8s.types.input.core.v1.ResourceRequirements | undefined {
    const some = (m: Readonly<Record<string, string>> | undefined) => (m && Object.keys(m).length > 0 ? { ...m } : undefined);
    const requests = some(resources?.requests);
    const limits = some(resources?.limits);
    return requests || limits ? { requests, limits } : undefined;
}

/** A TLS Secret's certificate and key at data/tls/<secret>/, where the server key's fileRefs point. */
export function tlsSource(secret: string): VolumeProjection {
    const items = Object.values(TLS_KEYS).map((key) => ({ key, path: `tls/${secret}/${key}` }));
    return { secret: { name: secret, items } };
}

/** An existing ConfigMap or Secret, all its keys or only the items given. */
export function mountSource(mount: MountSettings): VolumeProjection {
    const items = mount.items?.map((i) => ({ key: i.key, path: i.path }));
    return mount.type === "secret" ? { secret: { name: mount.name, items } } : { configMap: { name: mount.name, items } };
}

function probe(port: number, overrides: k8s.types.input.core.v1.Probe): k8s.types.input.core.v1.Probe {
    return { httpGet: { path: "/", port, scheme: "HTTP" }, successThreshold: 1, periodSeconds: 5, ...overrides };
}

function environment(input: PodTemplateInput): k8s.types.input.core.v1.EnvVar[] {
    return [
        { name: "ZEUS_EULA", value: "accept" },
        ...input.licensed.env,
        { name: "ZEUS_WATCHED_CONFIG", value: IMPORT_DIR },
        // Replicas are not clustered: each pod imports for itself.
        { name: "ZEUS_CONFIG_IMPORT_ARGS", value: "--no-replicate" },
        // From the Secret, never written in the pod spec. An environment variable and not a file because the
        // image's entrypoint reads only ZEUS_PASS (and clears it once configured): the one exception to
        // secrets-as-files that the image forces (docs/production.md).
        { name: "ZEUS_PASS", valueFrom: { secretKeyRef: { name: input.adminSecretName, key: ADMIN_PASSWORD_KEY } } },
        ...Object.entries(input.extraEnv ?? DEFAULTS.extraEnv).map(([name, value]) => ({ name, value })),
    ];
}

export function vtmPodTemplate(input: PodTemplateInput): k8s.types.input.core.v1.PodTemplateSpec {
    const { names, hostNetwork, licensed } = input;
    const selector = selectorLabels(names.prefix);
    return {
        metadata: { labels: { ...vtmLabels(names, "traffic-manager"), ...(hostNetwork ? HOST_NETWORK_LABEL : {}) } },
        spec: {
            hostNetwork: hostNetwork ? true : undefined,
            dnsPolicy: hostNetwork ? "ClusterFirstWithHostNet" : undefined,
            serviceAccountName: input.serviceAccountName,
            automountServiceAccountToken: false,
            securityContext: podSecurity(),
            ...placement(selector, input.replicas, hostNetwork, input.placement ?? {}, input.availability),
            imagePullSecrets: input.imagePullSecrets.length > 0 ? input.imagePullSecrets.map((s) => ({ name: s })) : undefined,
            containers: [
                {
                    name: names.container,
                    image: input.image,
                    imagePullPolicy: input.imagePullPolicy ?? DEFAULTS.imagePullPolicy,
                    ports: Object.values(ADMIN_PORTS).map((p) => ({ name: p.name, containerPort: p.port, protocol: "TCP" })),
                    securityContext: containerSecurity(hostNetwork, input.security, input.pingMonitor ?? false),
                    resources: resourcesOf(input.resources),
                    livenessProbe: probe(input.probePort, { failureThreshold: 10, timeoutSeconds: 5, initialDelaySeconds: 10 }),
                    readinessProbe: probe(input.probePort, { failureThreshold: 2, timeoutSeconds: 1 }),
                    env: environment(input),
                    volumeMounts: [
                        { name: "config-volume", mountPath: `${IMPORT_DIR}/config` },
                        { name: "data-volume", mountPath: `${IMPORT_DIR}/${DATA_DIR}` },
                        ...licensed.volumeMounts,
                    ],
                    terminationMessagePolicy: "FallbackToLogsOnError",
                },
            ],
            volumes: [
                { name: "config-volume", projected: { sources: [...input.configSources] } },
                { name: "data-volume", projected: { sources: [...input.dataSources, ...licensed.dataSources] } },
                ...licensed.volumes,
            ],
        },
    };
}
