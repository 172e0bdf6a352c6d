// A deploy with the real engine beside kubectl, on the same cluster, in one run (npm run bench -- --only
// deploy): `pulumi up --yes` of a fresh dev stack (with its preview, as `npm run deploy` runs it) against
// `kubectl apply --server-side` of the same render plus `kubectl rollout status`; then a no-op
// `pulumi up --yes` against a no-op render + apply. Each side works in a namespace of its own, deleted
// afterwards. Needs `pulumi` on PATH and a cluster (KUBECONFIG).
import { randomBytes } from "crypto";
import * as path from "path";
import { Engine, EngineStack, PROJECT_DIR, run } from "./engine";

const PASSWORD = "Bench-Password-1";

async function must(what: string, result: Promise<{ code: number | null; stdout: string; stderr: string; seconds: number }>): Promise<number> {
    const r = await result;
    if (r.code !== 0) throw new Error(`${what} failed (${r.code}):\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
    return r.seconds;
}

const kubectl = (args: string[], input?: string) => run("kubectl", args, { cwd: PROJECT_DIR, input });
const shell = (script: string) => run("bash", ["-c", script], { cwd: PROJECT_DIR });

/** `npm run -s render` of the dev stack into a namespace, Secrets included (kubectl must create them too). */
const renderCommand = (namespace: string) =>
    `npm run -s render -- --stack dev --set namespace=${namespace} --set adminPassword=${PASSWORD} --include-secrets`;

const rolloutStatus = (namespace: string) =>
    kubectl(["-n", namespace, "rollout", "status", "deployment/vtm", "deployment/example-application-deployment", "--timeout=300s"]);

export async function deploy(): Promise<void> {
    const suffix = randomBytes(3).toString("hex");
    const [pulumiNs, kubectlNs] = [`vtm-bench-pulumi-${suffix}`, `vtm-bench-kubectl-${suffix}`];
    const engine = Engine.create();
    let stack: EngineStack | undefined;
    try {
        for (const ns of [pulumiNs, kubectlNs]) await must(`kubectl create namespace ${ns}`, kubectl(["create", "namespace", ns]));
        stack = await engine.stack(`bench-${suffix}`, { from: "Pulumi.dev.yaml", config: { namespace: pulumiNs }, secrets: { adminPassword: PASSWORD } });
        const rendered = path.join(engine.home, "dev.yaml");

        const pulumiFresh = await must("pulumi up (fresh)", stack.cli(["up", "--yes"]));
        await must("render", shell(`${renderCommand(kubectlNs)} > ${rendered}`));
        const apply = await must("kubectl apply", kubectl(["apply", "--server-side", "-f", rendered]));
        const rollout = await must("kubectl rollout status", rolloutStatus(kubectlNs));
        const kubectlFresh = apply + rollout;

        const pulumiNoop = await must("pulumi up (no-op)", stack.cli(["up", "--yes"]));
        const kubectlNoop = await must("render + apply (no-op)", shell(`${renderCommand(kubectlNs)} | kubectl apply --server-side -f -`));

        console.log(`Deploying the dev stack, pulumi ${(await run("pulumi", ["version"], { cwd: PROJECT_DIR })).stdout.trim()}, cluster of ${process.env.KUBECONFIG ?? "~/.kube/config"} (seconds)`);
        console.log(`${"".padEnd(64)}${"pulumi".padStart(8)}${"kubectl".padStart(9)}${"ratio".padStart(8)}`);
        const line = (what: string, p: number, k: number) => console.log(`${what.padEnd(64)}${p.toFixed(1).padStart(8)}${k.toFixed(1).padStart(9)}${`${(p / k).toFixed(1)}×`.padStart(8)}`);
        line("fresh: pulumi up --yes | apply --server-side + rollout status", pulumiFresh, kubectlFresh);
        console.log(`${"".padEnd(8)}(kubectl: apply ${apply.toFixed(1)} s + rollout status ${rollout.toFixed(1)} s; the render before it is not counted)`);
        line("no-op: pulumi up --yes (with preview) | render + apply", pulumiNoop, kubectlNoop);
    } finally {
        if (stack) await stack.remove().catch((err) => console.error(`pulumi destroy failed: ${err.message}`));
        for (const ns of [pulumiNs, kubectlNs]) await kubectl(["delete", "namespace", ns, "--ignore-not-found", "--wait=false"]);
        engine.cleanup();
    }
}
