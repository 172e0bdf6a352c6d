// The whole program: the settings read and checked, the vTM configuration worked out and validated,
// the cluster's prerequisites checked, and only then the Kubernetes provider, the backend, the vTM
// foundation, its exposure and the outputs. Any problem stops it before a resource is registered.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { BackendApplication } from "./backend";
import { ClusterReader } from "./cluster";
import { Endpoints, UNKNOWN, endpoints } from "./endpoints";
import { VtmExposure } from "./exposure";
import { VtmNetworkPolicy } from "./networkPolicy";
import { VtmFoundation } from "./foundation";
import { selectorLabels, vtmNames } from "../settings/naming";
import { ClusterFacts, observeCluster } from "./prerequisites";
import { KubernetesSettings, Settings, readSettings } from "../settings/settings";
import { settingWarnings } from "../settings/warnings";
import { apiVersionProblems, planConfiguration } from "../vtm/configuration";

export interface StackOptions {
    /** Where the configuration documents, rules and data are. @default config/ */
    readonly configDir?: string;
    /** Reports what does not stop the deployment. @default pulumi.log.warn */
    readonly warn?: (message: string) => void;
    /** The component that owns everything (VtmStack); the program's objects have none. @default the stack */
    readonly parent?: pulumi.Resource;
}

export interface ProgramOptions extends StackOptions {
    /** Connects to the cluster the provider deploys to; undefined when there is none (offline rendering). @default no cluster */
    readonly cluster?: (kubernetes: KubernetesSettings) => Promise<ClusterReader | undefined>;
}

export interface StackOutputs extends Endpoints {
    /** The admin password, secret. */
    readonly adminPassword: pulumi.Output<string>;
    readonly namespace: string;
}

/**
 * The program's own Kubernetes provider: the user's `kubernetes:*` settings plus what this program needs.
 * Inside a VtmStack it is that component's child, named after the vTM objects' prefix, so that two of them
 * in one program do not share a URN.
 */
export function kubernetesProvider(settings: Settings, parent?: pulumi.Resource): k8s.Provider {
    const name = parent === undefined ? "kubernetes" : `${vtmNames(settings.name).prefix}-kubernetes`;
    return new k8s.Provider(name, {
        ...settings.kubernetes,
        namespace: settings.namespace,
        // Update ConfigMaps in place instead of replacing them: the running traffic manager watches
        // their files and re-imports an edited document without a restart (the seed's workflow).
        enableConfigMapMutable: true,
    }, { parent });
}

/** The program as `pulumi up` runs it (index.ts) and `npm run render` runs it under mocks. */
export async function runProgram(options: ProgramOptions = {}): Promise<StackOutputs> {
    // The image's API version is checked with the settings, so that one error lists every problem.
    const settings = readSettings(apiVersionProblems);
    const warn = options.warn ?? ((message: string) => void pulumi.log.warn(message));
    // Checked before the cluster is asked anything: bad settings or documents stop here.
    const plan = planConfiguration(settings, options.configDir);
    const facts = await readCluster(settings, options, warn);
    return createVtmStack(settings, { ...options, warn }, facts, plan);
}

export async function readCluster(settings: Settings, options: ProgramOptions, warn: (message: string) => void): Promise<ClusterFacts | undefined> {
    let reader: ClusterReader | undefined;
    try {
        reader = await options.cluster?.(settings.kubernetes);
    } catch (err) {
        warn(`Could not read the cluster (${(err as Error).message}): its prerequisites are not checked and the node address is unknown`);
        return undefined;
    }
    return reader && observeCluster(settings, reader, warn);
}

/** The first node's first address, as the seed README's `kubectl get nodes -o jsonpath=…` finds it. */
function nodeAddress(settings: Settings, facts: ClusterFacts | undefined): string {
    return settings.nodeAddress ?? facts?.nodes[0]?.addresses[0] ?? UNKNOWN.nodeAddress;
}

/** Registers everything; the configuration is planned (and checked) first unless given. */
export function createVtmStack(
    settings: Settings,
    options: StackOptions = {},
    facts?: ClusterFacts,
    plan: ReturnType<typeof planConfiguration> = planConfiguration(settings, options.configDir),
): StackOutputs {
    const { base, config } = plan;
    const warn = options.warn ?? ((message: string) => void pulumi.log.warn(message));
    for (const warning of [...config.warnings, ...settingWarnings(settings)]) warn(warning);

    const names = vtmNames(settings.name);
    const opts: pulumi.ComponentResourceOptions = { parent: options.parent, providers: [kubernetesProvider(settings, options.parent)] };
    const { backend: backendSettings, namespace } = settings;
    // A NetworkPolicy wherever one can apply: pods on the host network are outside NetworkPolicy, and a
    // backend policy admitting the traffic manager's pods would shut out their node addresses there.
    const policies = settings.networkPolicy.enabled && settings.exposure !== "HostNetwork";
    if (backendSettings.enabled) {
        const allowFrom = policies ? selectorLabels(names.prefix) : undefined;
        new BackendApplication(backendSettings.name, { ...backendSettings, namespace, wait: settings.wait, allowFrom }, opts);
    }
    const foundation = new VtmFoundation(
        names.prefix,
        {
            names,
            namespace,
            exposure: settings.exposure,
            image: settings.image,
            imagePullPolicy: settings.imagePullPolicy,
            imagePullSecrets: settings.imagePullSecrets,
            replicas: settings.replicas,
            adminPassword: settings.adminPassword,
            configDocuments: config.configShards,
            extraData: config.dataShards,
            tlsSecrets: config.tlsSecrets,
            configMounts: settings.configMounts,
            dataMounts: settings.dataMounts,
            baseDocuments: base,
            adminService: settings.adminService,
            imageDigest: settings.imageDigest,
            registryCredentials: settings.registryPassword && { ...settings.registry, password: settings.registryPassword },
            passwordRotation: settings.adminPasswordRotation,
            security: settings.security,
            pingMonitor: config.pingMonitor,
            resources: settings.resources,
            placement: {
                nodeSelector: settings.nodeSelector,
                tolerations: settings.tolerations,
                affinity: settings.affinity,
                priorityClassName: settings.priorityClassName,
            },
            extraEnv: settings.extraEnv,
            availability: settings.availability,
            // Room for a host-network pod to start before one stops: a node no traffic manager holds.
            roomToSurge: facts?.eligibleNodes !== undefined && facts.eligibleNodes > settings.replicas,
            wait: settings.wait,
            licensing: settings.licensing,
        },
        opts,
    );
    const exposure = new VtmExposure(
        `${names.prefix}-exposure`,
        { foundation, services: settings.services, mode: settings.exposure, loadBalancer: settings.loadBalancer },
        opts,
    );
    if (policies) {
        new VtmNetworkPolicy(`${names.prefix}-network-policy`, { foundation, ...settings.networkPolicy }, opts);
    }
    const node = pulumi.output(nodeAddress(settings, facts));
    return { ...endpoints(node, foundation, exposure), adminPassword: foundation.adminPassword, namespace };
}

/**
 * The stack outputs as `pulumi stack output` shows them: an output a mode does not have (serviceNodePort
 * outside NodePort mode, serviceEndpoint with no services) is left out rather than exported undefined,
 * which the engine would warn about at every update.
 */
export function stackOutputs(outputs: StackOutputs): Record<string, unknown> {
    return Object.fromEntries(Object.entries(outputs).filter(([, value]) => value !== undefined));
}
