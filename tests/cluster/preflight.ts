// Before the cluster suite (npm run test:cluster): is there a cluster to run it against? Without one
// it stops here, once, with one line saying what it needs, instead of failing every file.
import * as k8s from "@kubernetes/client-node";
import { missingKubeconfig } from "../../components/cluster";

export const NEEDS =
    "the cluster suite needs a Kubernetes cluster (kind, minikube, k3d or any you may create namespaces and a PriorityClass in) " +
    "with at least two schedulable nodes, named by KUBECONFIG or ~/.kube/config";

/** Why the suite cannot run here, or undefined when a cluster answers. */
export async function clusterProblem(env: NodeJS.ProcessEnv = process.env, timeoutMs = 10_000): Promise<string | undefined> {
    const missing = missingKubeconfig(env);
    if (missing !== undefined) return `${NEEDS}: ${missing}`;
    const config = new k8s.KubeConfig();
    try {
        config.loadFromDefault();
    } catch (err) {
        return `${NEEDS}: the kubeconfig cannot be read (${(err as Error).message})`;
    }
    const server = config.getCurrentCluster()?.server ?? "no server";
    try {
        const nodes = await Promise.race([
            config.makeApiClient(k8s.CoreV1Api).listNode(),
            new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${timeoutMs / 1000} s`)), timeoutMs).unref()),
        ]);
        const schedulable = nodes.items.filter((n) => !n.spec?.unschedulable).length;
        return schedulable >= 2 ? undefined : `${NEEDS}: ${server} has ${schedulable} schedulable node${schedulable === 1 ? "" : "s"}`;
    } catch (err) {
        return `${NEEDS}: no Kubernetes cluster answers at ${server} (context ${config.getCurrentContext() || "none"}): ${(err as Error).message.split("\n")[0]}`;
    }
}

if (require.main === module) {
    clusterProblem().then((problem) => {
        if (problem !== undefined) process.stderr.write(`${problem}\n`);
        process.exit(problem === undefined ? 0 : 1);
    });
}
