// The node address used in endpoint outputs when `nodeAddress` is not set: the first node's first
// address, as the seed README's `kubectl get nodes -o jsonpath=...` finds it. The provider cannot
// list nodes, so this asks the cluster with @kubernetes/client-node, with the provider's kubeconfig
// and context. It never fails a deployment: when no cluster answers, the address is unknown.
import * as fs from "fs";
import * as os from "os";
import * as pulumi from "@pulumi/pulumi";
import { KubernetesSettings } from "../settings/settings";

/** Finds a node address, or undefined when it cannot. */
export type NodeAddressLookup = () => Promise<string | undefined>;

/** What this module uses of @kubernetes/client-node (tests pass a fake). */
export interface KubeClient {
    KubeConfig: new () => {
        loadFromDefault(): void;
        loadFromFile(file: string): void;
        loadFromString(contents: string): void;
        setCurrentContext(context: string): void;
        makeApiClient<T>(api: new (...args: never[]) => T): T;
    };
    CoreV1Api: new (...args: never[]) => { listNode(): Promise<NodeList> };
}

export interface NodeList {
    items?: { status?: { addresses?: { address?: string }[] } }[];
}

/** How long to wait for the API server before saying the address is unknown. */
const LOOKUP_TIMEOUT_MS = 10_000;

/** `{.items[0].status.addresses[0].address}` of a node list. */
export function firstNodeAddress(nodes: NodeList): string | undefined {
    return nodes.items?.[0]?.status?.addresses?.[0]?.address || undefined;
}

/** `kubernetes:kubeconfig` holds either a file's contents or its path, as for the provider. */
export function loadKubeconfig(config: Pick<InstanceType<KubeClient["KubeConfig"]>, "loadFromDefault" | "loadFromFile" | "loadFromString">, kubeconfig: string | undefined): void {
    if (kubeconfig === undefined) {
        config.loadFromDefault();
    } else if (/\n|^\s*[{]|^\s*apiVersion:/.test(kubeconfig)) {
        config.loadFromString(kubeconfig);
    } else {
        const file = kubeconfig.replace(/^~(?=$|\/)/, os.homedir());
        if (!fs.existsSync(file)) throw new Error(`kubeconfig file ${file} does not exist`);
        config.loadFromFile(file);
    }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer from the API server in ${ms / 1000} s`)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A lookup against the cluster the provider deploys to. */
export function clusterNodeAddress(
    kube: KubernetesSettings,
    loadClient: () => Promise<KubeClient> = () => import("@kubernetes/client-node") as unknown as Promise<KubeClient>,
    timeoutMs = LOOKUP_TIMEOUT_MS,
): NodeAddressLookup {
    return async () => {
        if (kube.renderYamlToDirectory !== undefined) {
            return undefined; // rendering: there is no cluster to ask
        }
        try {
            const client = await loadClient();
            const config = new client.KubeConfig();
            loadKubeconfig(config, kube.kubeconfig);
            if (kube.context !== undefined) config.setCurrentContext(kube.context);
            const nodes = await withTimeout(config.makeApiClient(client.CoreV1Api).listNode(), timeoutMs);
            const address = firstNodeAddress(nodes);
            if (address === undefined) throw new Error("the cluster lists no node with an address");
            return address;
        } catch (err) {
            pulumi.log.warn(
                `Could not find a node address (${(err as Error).message}); the endpoint outputs show it as unknown. ` +
                    `Set one with: pulumi config set nodeAddress <address>`,
            );
            return undefined;
        }
    };
}

/** A lookup that never asks a cluster (offline rendering). */
export const noNodeAddress: NodeAddressLookup = async () => undefined;
