// The whole program as one function of its settings: the Kubernetes provider, the backend, the
// example service's configuration, the vTM foundation and its exposure, and the stack outputs.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { BackendApplication } from "./backend";
import { Endpoints, endpoints, nodeAddressOutput } from "./endpoints";
import { CONFIG_DIR, loadTogether } from "./documents";
import { exampleDocuments, loadExampleService } from "./exampleService";
import { VtmExposure } from "./exposure";
import { VtmFoundation, loadBaseDocuments } from "./foundation";
import { vtmNames } from "./naming";
import { NodeAddressLookup } from "./nodeAddress";
import { Settings } from "./settings";

export interface StackOptions {
    /** Finds a node address for the outputs when `nodeAddress` is not set. */
    readonly nodeAddressLookup: NodeAddressLookup;
    /** Where the configuration documents and data are. @default config/ */
    readonly configDir?: string;
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
    // Every document is loaded and checked first: a broken one stops the program before anything is registered.
    const configDir = options.configDir ?? CONFIG_DIR;
    const [baseDocuments, example] = loadTogether(() => loadBaseDocuments(configDir), () => loadExampleService(configDir));
    const names = vtmNames(settings.name);
    const opts: pulumi.ComponentResourceOptions = { providers: [kubernetesProvider(settings)] };
    const { backend: backendSettings, namespace } = settings;

    const backend = backendSettings.enabled
        ? new BackendApplication(backendSettings.name, { ...backendSettings, namespace }, opts)
        : undefined;
    // The pool follows the Service that really exists: the example backend's, or the one the user named.
    const documents = backend
        ? exampleDocuments(example, backend.service.metadata.name, backend.portName)
        : exampleDocuments(example, backendSettings.serviceName, backendSettings.portName);

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
            configDocuments: documents,
            extraData: example.extraData,
            baseDocuments,
        },
        opts,
    );
    const exposure = new VtmExposure(
        `${names.prefix}-exposure`,
        { foundation, virtualServer: example.virtualServer, mode: settings.exposure, loadBalancer: settings.loadBalancer },
        opts,
    );
    const node = nodeAddressOutput(settings.nodeAddress, options.nodeAddressLookup);
    return { ...endpoints(node, foundation, exposure), adminPassword: foundation.adminPassword, namespace };
}
