// The whole program as one function of its settings: the configuration worked out and validated
// first, then the Kubernetes provider, the backend, the vTM foundation, its exposure and the outputs.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { BackendApplication } from "./backend";
import { loadConfigFiles } from "./configFiles";
import { CONFIG_DIR, DocumentError } from "./documents";
import { Endpoints, endpoints, nodeAddressOutput } from "./endpoints";
import { VtmExposure } from "./exposure";
import { VtmNetworkPolicy } from "./networkPolicy";
import { BaseDocuments, VtmFoundation, loadBaseDocuments } from "./foundation";
import { backendNames, vtmNames } from "./naming";
import { NodeAddressLookup } from "./nodeAddress";
import { kubernetesProtocol } from "./serviceSettings";
import { Settings } from "./settings";
import { VtmConfig, vtmConfig } from "./vtmConfig";

export interface StackOptions {
    /** Finds a node address for the outputs when `nodeAddress` is not set. */
    readonly nodeAddressLookup: NodeAddressLookup;
    /** Where the configuration documents, rules and data are. @default config/ */
    readonly configDir?: string;
    /** Reports what does not stop the deployment. @default pulumi.log.warn */
    readonly warn?: (message: string) => void;
}

export interface StackOutputs extends Endpoints {
    /** The admin password, secret. */
    readonly adminPassword: pulumi.Output<string>;
    readonly namespace: string;
}

/** The program's own Kubernetes provider: the user's `kubernetes:*` settings plus what this program needs. */
export function kubernetesProvider(settings: Settings): k8s.Provider {
    return new k8s.Provider("kubernetes", {
        ...settings.kubernetes,
        namespace: settings.namespace,
        // Update ConfigMaps in place instead of replacing them: the running traffic manager watches
        // their files and re-imports an edited document without a restart (the seed's workflow).
        enableConfigMapMutable: true,
    });
}

/** Everything the configuration needs, loaded and validated; throws one DocumentError with every problem. */
export function planConfig(settings: Settings, configDir: string = CONFIG_DIR): { base: BaseDocuments; config: VtmConfig } {
    const problems: string[] = [];
    const attempt = <T>(load: () => T): T | undefined => {
        try {
            return load();
        } catch (err) {
            if (!(err instanceof DocumentError)) throw err;
            problems.push(...err.problems);
            return undefined;
        }
    };
    const base = attempt(() => loadBaseDocuments(configDir));
    const files = attempt(() => loadConfigFiles(configDir, settings.documents));
    if (base === undefined || files === undefined) throw new DocumentError(problems);
    for (const s of settings.services.filter((s) => s.port === base.probePort && kubernetesProtocol(s.protocol) === "TCP")) {
        problems.push(`services.${s.name}.port: ${s.port} is already used by the health-check virtual server (config/base)`);
    }
    const { backend } = settings;
    const config = attempt(() => vtmConfig({
        services: settings.services,
        pools: settings.pools,
        files,
        baseDocuments: [base.base, base.healthcheck],
        configMounts: settings.configMounts,
        dataMounts: settings.dataMounts,
        // A pool without serviceName balances over the example backend's Service.
        backend: backend.enabled ? { serviceName: backendNames(backend.name).service, portName: backend.portName } : undefined,
        apiVersion: settings.apiVersion,
    }));
    if (config === undefined || problems.length > 0) throw new DocumentError(problems);
    return { base, config };
}

/** Settings that are valid but do nothing in this combination: said, not refused, so switching modes stays easy. */
export function settingWarnings(settings: Settings): string[] {
    const warnings: string[] = [];
    for (const s of settings.services) {
        const f = s.frontend;
        if (f === undefined) continue;
        if (settings.exposure === "HostNetwork") {
            warnings.push(`services.${s.name}.frontend: is ignored in HostNetwork exposure (the service listens on the node's port ${s.port})`);
        } else if (settings.exposure === "NodePort" && f.type === undefined && f.loadBalancerSourceRanges.length > 0) {
            // Without a type of its own the frontend takes the exposure's, which is not a balancer.
            warnings.push(`services.${s.name}.frontend.loadBalancerSourceRanges: is ignored: the Service is a NodePort (set frontend.type LoadBalancer to use them)`);
        }
    }
    if (settings.networkPolicy.enabled && settings.exposure === "HostNetwork") {
        warnings.push("networkPolicy.enabled: has no effect in HostNetwork exposure: pods on the host network are outside NetworkPolicy (see the README)");
    }
    return warnings;
}

export function createVtmStack(settings: Settings, options: StackOptions): StackOutputs {
    // Everything is worked out and checked first: a problem stops the program before anything is registered.
    const { base, config } = planConfig(settings, options.configDir);
    const warn = options.warn ?? ((message: string) => void pulumi.log.warn(message));
    for (const warning of [...config.warnings, ...settingWarnings(settings)]) warn(warning);

    const names = vtmNames(settings.name);
    const opts: pulumi.ComponentResourceOptions = { providers: [kubernetesProvider(settings)] };
    const { backend: backendSettings, namespace } = settings;
    if (backendSettings.enabled) {
        new BackendApplication(backendSettings.name, { ...backendSettings, namespace, wait: settings.wait }, opts);
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
            resources: settings.resources,
            placement: {
                nodeSelector: settings.nodeSelector,
                tolerations: settings.tolerations,
                affinity: settings.affinity,
                priorityClassName: settings.priorityClassName,
            },
            extraEnv: settings.extraEnv,
            availability: settings.availability,
            wait: settings.wait,
        },
        opts,
    );
    const exposure = new VtmExposure(
        `${names.prefix}-exposure`,
        { foundation, services: settings.services, mode: settings.exposure, loadBalancer: settings.loadBalancer, wait: settings.wait },
        opts,
    );
    if (settings.networkPolicy.enabled) {
        new VtmNetworkPolicy(`${names.prefix}-network-policy`, { foundation, ...settings.networkPolicy }, opts);
    }
    const node = nodeAddressOutput(settings.nodeAddress, options.nodeAddressLookup);
    return { ...endpoints(node, foundation, exposure), adminPassword: foundation.adminPassword, namespace };
}
