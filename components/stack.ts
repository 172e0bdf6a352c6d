// The whole program as one function of its settings: the configuration worked out and validated
// first, then the Kubernetes provider, the backend, the vTM foundation, its exposure and the outputs.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { BackendApplication } from "./backend";
import { Endpoints, endpoints, nodeAddressOutput } from "./endpoints";
import { VtmExposure } from "./exposure";
import { VtmNetworkPolicy } from "./networkPolicy";
import { VtmFoundation } from "./foundation";
import { vtmNames } from "../settings/naming";
import { NodeAddressLookup } from "./nodeAddress";
import { Settings } from "../settings/settings";
import { settingWarnings } from "../settings/warnings";
import { planConfiguration } from "../vtm/configuration";

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

export function createVtmStack(settings: Settings, options: StackOptions): StackOutputs {
    // Everything is worked out and checked first: a problem stops the program before anything is registered.
    const { base, config } = planConfiguration(settings, options.configDir);
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
            licensing: settings.licensing,
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
