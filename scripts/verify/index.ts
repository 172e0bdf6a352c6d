// verify(): reads a stack's settings as `npm run render` does, then checks the deployed stack end
// to end (rollout, configuration imported per pod, services answering) and, with a wait, tries
// again until every check holds or the time runs out. Programs and tests call it; scripts/verify.ts
// is its command line.
import { vtmNames } from "../../settings/naming";
import { Settings } from "../../settings/settings";
import { PROJECT_DIR, stackSettings } from "../render";
import { stackName } from "../stackName";
import { configurationCheck, rolloutCheck, serviceCheck } from "./checks";
import { EndpointPlan, StackShape, clusterEndpoints, outputEndpoints } from "./endpoints";
import { versionText } from "./expected";
import { stackApiVersion } from "../../vtm/configuration";
import { kubeCluster } from "./kube";
import { pulumiOutputs } from "./outputs";
import { realProbes } from "./probes";
import { CheckResult, Cluster, Probes, RestClientFactory, StackOutputsReader, VerifyResult } from "./types";
import { restClient } from "./vtmApi";

export interface VerifyOptions {
    /** The stack whose Pulumi.<stack>.yaml says what was deployed. @default as for `npm run deploy`: PULUMI_STACK, the selected stack, dev (scripts/stack.sh) */
    readonly stack?: string;
    /** Keep trying until every check holds, for at most this long. @default 0 (one try) */
    readonly waitSeconds?: number;
    /** Seconds between tries. @default 5 */
    readonly retrySeconds?: number;
    /** Values that override the stack file, as `npm run render -- --set` takes them. @default none */
    readonly set?: Readonly<Record<string, string>>;
    /** @default the project's directory */
    readonly projectDir?: string;
    /** @default the stack's kubeconfig and context through @kubernetes/client-node */
    readonly cluster?: Cluster;
    /** @default HTTPS with basic authentication (vtmApi.ts) */
    readonly rest?: RestClientFactory;
    /** @default real TCP, HTTP and UDP probes (probes.ts) */
    readonly probes?: Probes;
    /** Reads the stack's serviceEndpoints output; false never asks. @default the Pulumi CLI when installed */
    readonly stackOutputs?: StackOutputsReader | false;
    /** Progress while waiting. @default nothing */
    readonly progress?: (line: string) => void;
    /** Log lines read per pod for import errors. @default 500 */
    readonly logTailLines?: number;
}

export interface Verification extends VerifyResult {
    /** The cluster verify talked to, for the report. */
    readonly cluster: string;
}

function failed(check: CheckResult["check"], subject: string, summary: string): CheckResult {
    return { check, subject, status: "fail", summary, details: [] };
}

function message(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
}

interface Run {
    readonly settings: Settings;
    readonly cluster: Cluster;
    readonly rest: RestClientFactory;
    readonly probes: Probes;
    readonly outputs?: Readonly<Record<string, string>>;
    readonly logTailLines: number;
}

/** Every check once. */
async function attempt(run: Run): Promise<CheckResult[]> {
    const { settings, cluster } = run;
    const names = vtmNames(settings.name);
    const namespace = settings.namespace;
    const stack: StackShape = { namespace, exposure: settings.exposure, nodeAddress: settings.nodeAddress, services: settings.services, names };
    const results: CheckResult[] = [];

    let pods: readonly import("@kubernetes/client-node").V1Pod[] | undefined;
    try {
        const rollout = await rolloutCheck(cluster, namespace, names);
        results.push(rollout.result);
        pods = rollout.pods;
    } catch (err) {
        results.push(failed("rollout", `deployment ${namespace}/${names.deployment}`, `${message(err)}; look: kubectl cluster-info, and kubernetes:context / kubernetes:kubeconfig`));
    }

    if (pods === undefined) {
        results.push(failed("configuration", "traffic manager pods", "not checked: the cluster did not answer"));
    } else if (pods.length === 0) {
        results.push(failed("configuration", "traffic manager pods", `no traffic manager pod to check (kubectl -n ${namespace} get pods -l app=${names.prefix})`));
    } else {
        const ctx = { cluster, rest: run.rest, namespace, names, apiVersion: versionText(stackApiVersion(settings), ""), logTailLines: run.logTailLines };
        for (const pod of [...pods].sort((a, b) => String(a.metadata?.name).localeCompare(String(b.metadata?.name)))) {
            try {
                results.push(await configurationCheck(ctx, pod));
            } catch (err) {
                results.push(failed("configuration", `pod ${pod.metadata?.name}`, message(err)));
            }
        }
    }

    let plans: EndpointPlan[];
    if (run.outputs !== undefined) {
        plans = outputEndpoints(stack, run.outputs);
    } else {
        try {
            const [services, nodes] = await Promise.all([cluster.services(namespace, `app=${names.prefix}`), cluster.nodes()]);
            plans = clusterEndpoints(stack, { services, nodes, pods: pods ?? [] });
        } catch (err) {
            plans = settings.services.map((s) => ({ service: s.name, fail: `not checked: ${message(err)}` }));
        }
    }
    for (const plan of plans) {
        results.push(await serviceCheck(plan, run.probes, settings.services.find((s) => s.name === plan.service)));
    }
    return results;
}

/** The first failing check, shortened for a progress line. */
function firstFailure(checks: readonly CheckResult[]): string {
    const f = checks.find((c) => c.status === "fail");
    if (f === undefined) return "";
    const text = `${f.check} ${f.subject}: ${f.summary}`;
    return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

export async function verify(options: VerifyOptions = {}): Promise<Verification> {
    const projectDir = options.projectDir ?? PROJECT_DIR;
    const stack = options.stack ?? stackName(undefined, projectDir);
    const settings = stackSettings({ stack, projectDir, set: options.set });
    const cluster = options.cluster ?? (await kubeCluster(settings.kubernetes));
    const reader = options.stackOutputs === undefined ? pulumiOutputs(projectDir) : options.stackOutputs;
    const read = reader === false ? { note: "stack outputs not asked for" } : await reader(stack);
    const endpointSource = read.endpoints ? read.note : `the cluster's Services and nodes (${read.note})`;
    const run: Run = {
        settings,
        cluster,
        rest: options.rest ?? ((port, password) => restClient(port, password)),
        probes: options.probes ?? realProbes(),
        outputs: read.endpoints,
        logTailLines: options.logTailLines ?? 500,
    };
    const waitMs = Math.max(0, options.waitSeconds ?? 0) * 1000;
    const retryMs = Math.max(0, options.retrySeconds ?? 5) * 1000;
    const start = Date.now();
    let attempts = 0;
    let checks: CheckResult[];
    for (;;) {
        attempts++;
        checks = await attempt(run);
        const failing = checks.filter((c) => c.status === "fail").length;
        const elapsed = Date.now() - start;
        if (failing === 0 || elapsed + retryMs >= waitMs) break;
        options.progress?.(
            `[${Math.round(elapsed / 1000)} s] ${failing} check${failing === 1 ? "" : "s"} failing (${firstFailure(checks)}); ` +
                `trying again in ${retryMs / 1000} s, for up to ${Math.round((waitMs - elapsed) / 1000)} s more`,
        );
        await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
    const ok = checks.every((c) => c.status !== "fail");
    return {
        ok,
        stack,
        namespace: settings.namespace,
        name: settings.name,
        exposure: settings.exposure,
        endpointSource,
        checks,
        attempts,
        elapsedSeconds: Math.round((Date.now() - start) / 1000),
        timedOut: !ok && waitMs > 0,
        cluster: cluster.description,
    };
}
