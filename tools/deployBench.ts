// A deploy with the real engine beside kubectl, on the same cluster, in one run (npm run bench -- --only
// deploy [--runs N]): `pulumi up --yes` of a fresh dev stack (with its preview, as `npm run deploy` runs
// it) against `kubectl apply --server-side` of the same render plus `kubectl rollout status`; then a
// no-op `pulumi up --yes` against a no-op render + apply. Each round works in namespaces of its own,
// deleted afterwards; the figures are the medians of the rounds (3 unless --runs says). Beside them, the
// same two `pulumi up`s of an empty Pulumi program: what the engine costs any program, ours or not.
// Needs `pulumi` on PATH and a cluster (KUBECONFIG).
import { randomBytes } from "crypto";
import * as fs from "fs";
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

interface Round {
    readonly pulumiFresh: number;
    readonly apply: number;
    readonly rollout: number;
    readonly pulumiNoop: number;
    readonly kubectlNoop: number;
    readonly emptyFresh: number;
    readonly emptyNoop: number;
}

/** A Pulumi program that registers nothing, run as ours is (Node.js, no TypeScript), with our SDK. */
function emptyProgram(engine: Engine): string {
    const dir = path.join(engine.home, "empty-program");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: empty\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n");
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "empty", main: "index.js", dependencies: { "@pulumi/pulumi": "*" } }));
    fs.writeFileSync(path.join(dir, "index.js"), 'require("@pulumi/pulumi");\nmodule.exports = {};\n');
    fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(dir, "node_modules"));
    return dir;
}

async function round(engine: Engine, empty: string, index: number): Promise<Round> {
    const suffix = `${randomBytes(3).toString("hex")}-${index}`;
    const [pulumiNs, kubectlNs] = [`vtm-bench-pulumi-${suffix}`, `vtm-bench-kubectl-${suffix}`];
    const stacks: EngineStack[] = [];
    try {
        for (const ns of [pulumiNs, kubectlNs]) await must(`kubectl create namespace ${ns}`, kubectl(["create", "namespace", ns]));
        const stack = await engine.stack(`bench-${suffix}`, { from: "Pulumi.dev.yaml", config: { namespace: pulumiNs }, secrets: { adminPassword: PASSWORD } });
        stacks.push(stack);
        const rendered = path.join(engine.home, `dev-${suffix}.yaml`);

        const pulumiFresh = await must("pulumi up (fresh)", stack.cli(["up", "--yes"]));
        await must("render", shell(`${renderCommand(kubectlNs)} > ${rendered}`));
        const apply = await must("kubectl apply", kubectl(["apply", "--server-side", "-f", rendered]));
        const rollout = await must("kubectl rollout status", rolloutStatus(kubectlNs));
        const pulumiNoop = await must("pulumi up (no-op)", stack.cli(["up", "--yes"]));
        const kubectlNoop = await must("render + apply (no-op)", shell(`${renderCommand(kubectlNs)} | kubectl apply --server-side -f -`));

        const floor = await engine.stack(`empty-${suffix}`, { programDir: empty });
        stacks.push(floor);
        const emptyFresh = await must("pulumi up of an empty program (fresh)", floor.cli(["up", "--yes"]));
        const emptyNoop = await must("pulumi up of an empty program (no-op)", floor.cli(["up", "--yes"]));
        return { pulumiFresh, apply, rollout, pulumiNoop, kubectlNoop, emptyFresh, emptyNoop };
    } finally {
        for (const stack of stacks) await stack.remove().catch((err) => console.error(`pulumi destroy failed: ${err.message}`));
        for (const ns of [pulumiNs, kubectlNs]) await kubectl(["delete", "namespace", ns, "--ignore-not-found", "--wait=false"]);
    }
}

/** The middle one of some figures (the upper middle of an even count). */
export const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function deploy(runs = 3): Promise<void> {
    const engine = Engine.create();
    try {
        const empty = emptyProgram(engine);
        const rounds: Round[] = [];
        for (let i = 0; i < runs; i++) rounds.push(await round(engine, empty, i));
        const m = (pick: (r: Round) => number) => median(rounds.map(pick));
        const all = (pick: (r: Round) => number) => rounds.map((r) => pick(r).toFixed(1)).join(", ");

        console.log(`Deploying the dev stack, pulumi ${(await run("pulumi", ["version"], { cwd: PROJECT_DIR })).stdout.trim()}, cluster of ${process.env.KUBECONFIG ?? "~/.kube/config"}`);
        console.log(`(seconds, the median of ${runs} round${runs === 1 ? "" : "s"}; each round's figures in brackets)`);
        console.log(`${"".padEnd(64)}${"pulumi".padStart(8)}${"kubectl".padStart(9)}${"ratio".padStart(8)}`);
        const line = (what: string, p: number, k: number) => console.log(`${what.padEnd(64)}${p.toFixed(1).padStart(8)}${k.toFixed(1).padStart(9)}${`${(p / k).toFixed(1)}×`.padStart(8)}`);
        line("fresh: pulumi up --yes | apply --server-side + rollout status", m((r) => r.pulumiFresh), m((r) => r.apply + r.rollout));
        console.log(`${"".padEnd(8)}pulumi [${all((r) => r.pulumiFresh)}]; kubectl apply [${all((r) => r.apply)}] + rollout status [${all((r) => r.rollout)}] (the render before it is not counted)`);
        line("no-op: pulumi up --yes (with preview) | render + apply", m((r) => r.pulumiNoop), m((r) => r.kubectlNoop));
        console.log(`${"".padEnd(8)}pulumi [${all((r) => r.pulumiNoop)}]; render + apply [${all((r) => r.kubectlNoop)}]`);
        console.log(`${"the engine alone: pulumi up --yes of an empty program, fresh | no-op".padEnd(64)}${m((r) => r.emptyFresh).toFixed(1).padStart(8)}${m((r) => r.emptyNoop).toFixed(1).padStart(9)}`);
        console.log(`${"".padEnd(8)}fresh [${all((r) => r.emptyFresh)}]; no-op [${all((r) => r.emptyNoop)}]`);
    } finally {
        engine.cleanup();
    }
}
