// A stand-in for the cluster the program reads before it deploys (components/cluster.ts): three nodes
// by default, and every object the stack refers to present unless named as missing.
import { ClusterNode, ClusterReader, ObjectKeys } from "../components/cluster";

export interface FakeClusterOptions {
    readonly nodes?: readonly ClusterNode[];
    /** Objects that are not there, as `<Kind>/<name>` (Namespace/x, PriorityClass/x, Secret/x, ConfigMap/x). */
    readonly missing?: readonly string[];
    /** What a Secret or ConfigMap holds, by `<Kind>/<name>`; others hold whatever keys are asked for. */
    readonly objects?: Readonly<Record<string, ObjectKeys>>;
    /** Every call fails with this (an API server that refuses). */
    readonly failure?: Error;
}

export function node(index: number, labels: Record<string, string> = {}, more: Partial<ClusterNode> = {}): ClusterNode {
    const name = `node-${index}`;
    return {
        name,
        addresses: [`203.0.113.${7 + index}`, name],
        labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "topology.kubernetes.io/zone": `zone-${index}`, ...labels },
        unschedulable: false,
        taints: [],
        ...more,
    };
}

/** Keys of an object that holds whatever it is asked for (so that tests need not list them). */
class AnyKeys extends Array<string> {
    override includes(): boolean {
        return true;
    }
}

export function fakeCluster(options: FakeClusterOptions = {}): ClusterReader & { readonly asked: string[] } {
    const asked: string[] = [];
    const missing = new Set(options.missing ?? []);
    const answer = async <T>(what: string, value: () => T): Promise<T> => {
        asked.push(what);
        if (options.failure) throw options.failure;
        return value();
    };
    const object = (kind: string, name: string, type?: string): ObjectKeys | undefined =>
        missing.has(`${kind}/${name}`) ? undefined : options.objects?.[`${kind}/${name}`] ?? { type, keys: new AnyKeys() };
    return {
        asked,
        nodes: () => answer("nodes", () => options.nodes ?? [node(0), node(1), node(2)]),
        namespaceExists: (name) => answer(`Namespace/${name}`, () => !missing.has(`Namespace/${name}`)),
        priorityClassExists: (name) => answer(`PriorityClass/${name}`, () => !missing.has(`PriorityClass/${name}`)),
        secret: (_namespace, name) => answer(`Secret/${name}`, () => object("Secret", name, "kubernetes.io/tls")),
        configMap: (_namespace, name) => answer(`ConfigMap/${name}`, () => object("ConfigMap", name)),
    };
}
