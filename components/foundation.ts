// The vTM foundation (the seed's vtm-kubernetes-foundation*.yaml): configuration ConfigMaps, base
// configuration, admin password Secret, admin Service and the traffic manager's Deployment.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import { ADMIN_PORTS, DEFAULTS, Exposure, GENERATED_PASSWORD, PullPolicy } from "../settings/defaults";
import { BASE_DOCUMENTS, BaseDocuments, loadBaseDocuments } from "../vtm/baseDocuments";
import { VtmNames, selectorLabels, vtmLabels, vtmNames } from "../settings/naming";
import { createLicensingSecret, licensingPod } from "./licensing";
import { ADMIN_PASSWORD_KEY, mountSource, tlsSource, vtmPodTemplate } from "./podTemplate";
import { Placement, awaitAnnotations, podServiceAnnotations, rollout } from "./podSpec";
import { AdminServiceSettings, AvailabilitySettings, RegistrySettings, ResourceSettings, SecuritySettings, WaitSettings } from "../settings/production";
import { LicensingSettings } from "../settings/licensing";
import { MountSettings } from "../settings/services";
import { Shard } from "../vtm/sharding";
import { typeToken, withFormerType } from "./types";

export { ADMIN_PASSWORD_KEY, ADMIN_PORTS };

/** Says which rotation of the generated admin password a Secret holds. */
export const ROTATION_ANNOTATION = "vtm-kubernetes/password-rotation";


/** The key of a base document in its own ConfigMap. */
const BASE_DOCUMENT_KEY = "config";

export interface VtmFoundationArgs {
    /** Kubernetes names of the objects. @default vtmNames("vtm"), the seed's names */
    readonly names?: VtmNames;
    /** @default "default" */
    readonly namespace?: string;
    /** How the service is exposed; HostNetwork changes the pod and drops the admin Service. @default "NodePort" */
    readonly exposure?: Exposure;
    /** @default "pulsesecure/vtm:19.1" */
    readonly image?: string;
    /** @default "Always" */
    readonly imagePullPolicy?: PullPolicy;
    /** Secrets for a private registry. @default [] */
    readonly imagePullSecrets?: readonly string[];
    /** @default 1 */
    readonly replicas?: number;
    /** The admin password. @default a generated 24-character password */
    readonly adminPassword?: pulumi.Input<string>;
    /** Configuration documents for the watched directory, key → text, one map per ConfigMap (`<name>-config`, `<name>-config-2`, …). @default [{}] */
    readonly configDocuments?: readonly Shard[];
    /** Data mounted at /import/data, key → text, one map per ConfigMap (`<name>-extra-data`, …). @default [{}] */
    readonly extraData?: readonly Shard[];
    /** kubernetes.io/tls Secrets mounted at /import/data/tls/<secret>/tls.{crt,key}. @default [] */
    readonly tlsSecrets?: readonly string[];
    /** Existing ConfigMaps and Secrets projected among the documents. @default [] */
    readonly configMounts?: readonly MountSettings[];
    /** Existing ConfigMaps and Secrets projected among the data. @default [] */
    readonly dataMounts?: readonly MountSettings[];
    /** The base and health-check documents. @default loadBaseDocuments(), from config/base */
    readonly baseDocuments?: BaseDocuments;
    /** The admin interfaces' Service (none in HostNetwork mode). @default ClusterIP, no fixed nodePorts */
    readonly adminService?: AdminServiceSettings;
    /** Pins the image to a digest: `<image>@<digest>`. @default the image by tag */
    readonly imageDigest?: string;
    /** Credentials from which an image pull Secret is made. @default none */
    readonly registryCredentials?: RegistryCredentials;
    /** Changing it generates a new password (with no adminPassword). @default "" */
    readonly passwordRotation?: string;
    /** Capabilities. @default every one dropped but what the image needs (components/podSpec.ts) */
    readonly security?: SecuritySettings;
    /** A Ping monitor is configured, so the pod needs NET_RAW. @default false */
    readonly pingMonitor?: boolean;
    /** Requests and limits. @default DEFAULTS.resources: requests only */
    readonly resources?: ResourceSettings;
    /** nodeSelector, tolerations, affinity, priorityClassName. @default none */
    readonly placement?: Placement;
    /** More environment variables. @default {} */
    readonly extraEnv?: Readonly<Record<string, string>>;
    /** Disruption budget, rollout and spread with several replicas. @default a budget of 1, spread over nodes */
    readonly availability?: AvailabilitySettings;
    /** Whether the cluster has a node to spare for a host-network pod's replacement (see podSpec.ts rollout). @default false */
    readonly roomToSurge?: boolean;
    /** How long `pulumi up` waits for the Deployment and the admin Service. @default 600 s each */
    readonly wait?: WaitSettings;
    /** How the traffic manager is licensed. @default the community edition, as the seed */
    readonly licensing?: LicensingSettings;
}

/** A registry's credentials; the password is a secret. */
export interface RegistryCredentials extends RegistrySettings {
    readonly password: pulumi.Input<string>;
}

/** How the pod is networked in each exposure mode. */
interface PodNetwork {
    readonly hostNetwork: boolean;
    readonly adminService: boolean;
}

function podNetwork(exposure: Exposure): PodNetwork {
    switch (exposure) {
        case "NodePort":
        case "LoadBalancer":
            return { hostNetwork: false, adminService: true };
        case "HostNetwork":
            // The admin interfaces listen on the node itself.
            return { hostNetwork: true, adminService: false };
        default: {
            const unreachable: never = exposure;
            throw new Error(`unknown exposure ${unreachable}`);
        }
    }
}

export class VtmFoundation extends pulumi.ComponentResource {
    readonly names: VtmNames;
    readonly namespace: string;
    /** The watched documents' ConfigMaps; the first has the seed's name. */
    readonly configMaps: k8s.core.v1.ConfigMap[];
    /** The data ConfigMaps; the first has the seed's name. */
    readonly dataConfigMaps: k8s.core.v1.ConfigMap[];
    readonly adminSecret: k8s.core.v1.Secret;
    /** Undefined in HostNetwork mode, where the admin interfaces listen on the node itself. */
    readonly adminService?: k8s.core.v1.Service;
    readonly deployment: k8s.apps.v1.Deployment;
    /** The pods' own ServiceAccount, with no API token mounted. */
    readonly serviceAccount: k8s.core.v1.ServiceAccount;
    /** With more than one replica. */
    readonly podDisruptionBudget?: k8s.policy.v1.PodDisruptionBudget;
    /** When registry credentials are given. */
    readonly registrySecret?: k8s.core.v1.Secret;
    /** When the licence is given as licenseKey, or a Services Director owner secret is. */
    readonly licensingSecret?: k8s.core.v1.Secret;
    /** Labels that select the traffic manager's pods. */
    readonly podSelector: Record<string, string>;
    /** The admin password, as a secret Output. */
    readonly adminPassword: pulumi.Output<string>;

    constructor(name: string, args: VtmFoundationArgs, opts?: pulumi.ComponentResourceOptions) {
        super(typeToken("VtmFoundation"), name, {}, withFormerType("vtm:foundation:VtmFoundation", opts));
        const names = (this.names = args.names ?? vtmNames(DEFAULTS.name));
        const namespace = (this.namespace = args.namespace ?? DEFAULTS.namespace);
        const network = podNetwork(args.exposure ?? DEFAULTS.exposure);
        const replicas = args.replicas ?? DEFAULTS.replicas;
        const availability = args.availability ?? DEFAULTS.availability;
        const wait = args.wait ?? DEFAULTS.wait;
        this.podSelector = selectorLabels(names.prefix);
        const configMap = (cmName: string, data: Shard) =>
            new k8s.core.v1.ConfigMap(
                cmName,
                { metadata: { name: cmName, namespace, labels: vtmLabels(names, "configuration") }, data },
                { parent: this },
            );

        const { base, healthcheck, probePort } = args.baseDocuments ?? loadBaseDocuments();
        const baseConfigMap = configMap(names.baseConfigMap, { [BASE_DOCUMENT_KEY]: base.text });
        const healthcheckConfigMap = configMap(names.healthcheckConfigMap, { [BASE_DOCUMENT_KEY]: healthcheck.text });
        this.configMaps = (args.configDocuments ?? [{}]).map((docs, i) => configMap(names.configShard(i), docs));
        this.dataConfigMaps = (args.extraData ?? [{}]).map((data, i) => configMap(names.dataShard(i), data));

        const rotation = args.passwordRotation ?? DEFAULTS.adminPasswordRotation;
        this.adminPassword = pulumi.secret(args.adminPassword ?? this.generatePassword(rotation));
        this.adminSecret = new k8s.core.v1.Secret(
            names.adminSecret,
            {
                // No metadata.name: Kubernetes names it with a suffix, and a new password replaces it
                // under a new name. The pod template then changes, so the pods roll and read ZEUS_PASS
                // again; nothing derived from the password is written anywhere. The rotation is written
                // (it is no secret), so rendered files, which leave the password out, name it anew too.
                metadata: {
                    namespace,
                    labels: vtmLabels(names, "credentials"),
                    annotations: rotation === "" ? undefined : { [ROTATION_ANNOTATION]: rotation },
                },
                type: "Opaque",
                stringData: { [ADMIN_PASSWORD_KEY]: this.adminPassword },
            },
            { parent: this },
        );

        if (network.adminService) {
            this.adminService = this.createAdminService(args.adminService ?? DEFAULTS.adminService, wait);
        }
        this.serviceAccount = new k8s.core.v1.ServiceAccount(
            names.serviceAccount,
            {
                metadata: { name: names.serviceAccount, namespace, labels: vtmLabels(names, "traffic-manager") },
                // DNS service discovery needs no Kubernetes API access: no token anywhere.
                automountServiceAccountToken: false,
            },
            { parent: this },
        );
        this.registrySecret = args.registryCredentials && this.createRegistrySecret(args.registryCredentials);
        const licensing = args.licensing ?? DEFAULTS.licensing;
        this.licensingSecret = createLicensingSecret(this, names, namespace, licensing);

        const imagePullSecrets: pulumi.Input<string>[] = [...(args.imagePullSecrets ?? DEFAULTS.imagePullSecrets)];
        if (this.registrySecret) imagePullSecrets.push(this.registrySecret.metadata.name);
        const image = args.image ?? DEFAULTS.image;
        const template = vtmPodTemplate({
            names,
            hostNetwork: network.hostNetwork,
            replicas,
            image: args.imageDigest === undefined ? image : `${image}@${args.imageDigest}`,
            imagePullPolicy: args.imagePullPolicy,
            imagePullSecrets,
            serviceAccountName: this.serviceAccount.metadata.name,
            adminSecretName: this.adminSecret.metadata.name,
            probePort,
            configSources: [
                baseSource(baseConfigMap, BASE_DOCUMENTS.base),
                baseSource(healthcheckConfigMap, BASE_DOCUMENTS.healthcheck),
                ...this.configMaps.map((cm) => ({ configMap: { name: cm.metadata.name } })),
                ...(args.configMounts ?? []).map(mountSource),
            ],
            dataSources: [
                ...this.dataConfigMaps.map((cm) => ({ configMap: { name: cm.metadata.name } })),
                ...(args.tlsSecrets ?? []).map(tlsSource),
                ...(args.dataMounts ?? []).map(mountSource),
            ],
            licensed: licensingPod(licensing, this.licensingSecret?.metadata.name),
            security: args.security,
            pingMonitor: args.pingMonitor,
            resources: args.resources ?? { ...DEFAULTS.resources, limits: {} },
            placement: args.placement,
            availability,
            extraEnv: args.extraEnv,
        });
        this.deployment = new k8s.apps.v1.Deployment(
            names.deployment,
            {
                metadata: { name: names.deployment, namespace, labels: vtmLabels(names, "traffic-manager"), annotations: awaitAnnotations(wait.deploymentSeconds) },
                spec: { replicas, strategy: rollout(network.hostNetwork, availability, args.roomToSurge ?? false), selector: { matchLabels: this.podSelector }, template },
            },
            { parent: this },
        );

        if (replicas > 1 && availability.podDisruptionBudget) {
            this.podDisruptionBudget = new k8s.policy.v1.PodDisruptionBudget(
                names.deployment,
                {
                    metadata: { name: names.deployment, namespace, labels: vtmLabels(names, "traffic-manager") },
                    // A drain takes at most this many traffic managers at once.
                    spec: { maxUnavailable: availability.maxUnavailable, selector: { matchLabels: this.podSelector } },
                },
                { parent: this },
            );
        }

        this.registerOutputs({
            deployment: this.deployment,
            serviceAccount: this.serviceAccount,
            podDisruptionBudget: this.podDisruptionBudget,
            adminService: this.adminService,
            adminSecret: this.adminSecret,
            licensingSecret: this.licensingSecret,
            configMaps: this.configMaps,
            dataConfigMaps: this.dataConfigMaps,
            adminPassword: this.adminPassword,
        });
    }

    private generatePassword(rotation: string): pulumi.Output<string> {
        // A new rotation value replaces the RandomPassword, hence the password, the Secret and the pods.
        const keepers = rotation === "" ? undefined : { rotation };
        return new random.RandomPassword(`${this.names.prefix}-admin-password`, { ...GENERATED_PASSWORD, keepers }, { parent: this }).result;
    }

    private createAdminService(admin: AdminServiceSettings, wait: WaitSettings): k8s.core.v1.Service {
        const names = this.names;
        const nodePorts: Record<string, number | undefined> = { [ADMIN_PORTS.webui.name]: admin.nodePorts.webui, [ADMIN_PORTS.restapi.name]: admin.nodePorts.restapi };
        return new k8s.core.v1.Service(
            names.adminService,
            {
                metadata: {
                    name: names.adminService,
                    namespace: this.namespace,
                    labels: vtmLabels(names, "admin"),
                    annotations: { ...admin.annotations, ...podServiceAnnotations(admin.type, wait.serviceSeconds) },
                },
                spec: {
                    type: admin.type,
                    ports: Object.values(ADMIN_PORTS).map((p) => ({ name: p.name, port: p.port, targetPort: p.name, protocol: "TCP", nodePort: nodePorts[p.name] })),
                    loadBalancerSourceRanges: admin.type === "LoadBalancer" && admin.loadBalancerSourceRanges.length > 0 ? [...admin.loadBalancerSourceRanges] : undefined,
                    // With several replicas a browser keeps talking to the same traffic manager.
                    sessionAffinity: "ClientIP",
                    selector: this.podSelector,
                },
            },
            { parent: this },
        );
    }

    /** A kubernetes.io/dockerconfigjson Secret; auto-named, so new credentials roll the pods onto it. */
    private createRegistrySecret(credentials: RegistryCredentials): k8s.core.v1.Secret {
        const config = pulumi.secret(
            pulumi.output(credentials.password).apply((password) =>
                JSON.stringify({
                    auths: {
                        [credentials.server]: {
                            username: credentials.username,
                            password,
                            ...(credentials.email !== "" ? { email: credentials.email } : {}),
                            auth: Buffer.from(`${credentials.username}:${password}`).toString("base64"),
                        },
                    },
                }),
            ),
        );
        return new k8s.core.v1.Secret(
            this.names.registrySecret,
            {
                metadata: { namespace: this.namespace, labels: vtmLabels(this.names, "credentials") },
                type: "kubernetes.io/dockerconfigjson",
                stringData: { ".dockerconfigjson": config },
            },
            { parent: this },
        );
    }
}

/** A projected source that puts a base document's ConfigMap key at a fixed file name. */
function baseSource(configMap: k8s.core.v1.ConfigMap, file: string): k8s.types.input.core.v1.VolumeProjection {
    return { configMap: { name: configMap.metadata.name, items: [{ key: BASE_DOCUMENT_KEY, path: file.split("/").pop()! }] } };
}
