// The checks themselves, over the Cluster, RestClient and Probes interfaces: the rollout, the
// configuration each traffic manager pod really runs, and whether each service answers.
import type { CoreV1Event, V1Container, V1ContainerStatus, V1Deployment, V1Pod } from "@kubernetes/client-node";
import { ADMIN_PORTS } from "../../settings/defaults";
import { VtmNames } from "../../settings/naming";
import { ServiceSettings } from "../../settings/services";
import { EndpointPlan, parseEndpoint } from "./endpoints";
import { ExpectedObject, deployedFiles, differences, expectedObjects, objectLabel, objectPath } from "./expected";
import { CheckResult, Cluster, Probes, RestClient, RestClientFactory } from "./types";
import { childNames, errorText } from "./vtmApi";
import { dnsQuery } from "./probes";
import { configCommand } from "../../settings/commands";

/** The container environment variable that carries the admin password (the seed's ZEUS_PASS). */
const PASSWORD_ENV = "ZEUS_PASS";
/** REST calls in flight at once per pod. */
const REST_CONCURRENCY = 6;
/** Log lines that read like an import problem (the importer's exact wording is not documented). */
const IMPORT_ERROR = /\b(error|errors|failed|failure|fatal|invalid|cannot|unable to|could not)\b/i;
/** The importer's line after a successful import: "Set 'conf_A' as the active configuration". */
const IMPORT_DONE = /as the active configuration/i;
/** How many log lines a failure quotes. */
const MAX_LOG_LINES = 10;

function message(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
}

function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}

// ---------------------------------------------------------------------------------------------------
// 1. Rollout

/** The traffic manager container of a pod spec (the one named as naming.ts names it, else the first). */
export function vtmContainer<T extends { name: string }>(containers: readonly T[] | undefined, names: VtmNames): T | undefined {
    return containers?.find((c) => c.name === names.container) ?? containers?.[0];
}

/** The vTM licence is refused when ZEUS_EULA is not `accept`, or the container says so when it exits. */
function licenceProblem(container: V1Container | undefined, status: V1ContainerStatus | undefined): string | undefined {
    const eula = container?.env?.find((e) => e.name === "ZEUS_EULA");
    if (container && eula?.value !== "accept") return `the vTM licence is not accepted (ZEUS_EULA is ${eula?.value === undefined ? "not set" : `'${eula.value}'`}): ${configCommand(`set eula accept`)}`;
    const said = status?.lastState?.terminated?.message ?? status?.state?.terminated?.message ?? "";
    const line = said.split("\n").find((l) => /\beula\b|licen[cs]e/i.test(l));
    return line === undefined ? undefined : `the container exited over the vTM licence: "${line.trim()}"`;
}

/** The newest event of a reason about a pod (probe failures, pull errors, mount failures). */
function latestEvent(events: readonly CoreV1Event[], reasons: readonly string[]): CoreV1Event | undefined {
    return [...events].reverse().find((e) => reasons.includes(e.reason ?? ""));
}

/** Why a pod is not ready, in one line with where to look; undefined when it is ready. */
export function podProblem(pod: V1Pod, events: readonly CoreV1Event[], names: VtmNames): string | undefined {
    const name = pod.metadata?.name ?? "?";
    const ns = pod.metadata?.namespace ?? "default";
    const describe = `kubectl -n ${ns} describe pod ${name}`;
    const ready = pod.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";
    const container = vtmContainer(pod.spec?.containers, names);
    const status = pod.status?.containerStatuses?.find((c) => c.name === container?.name);
    const licence = licenceProblem(container, status);
    if (licence) return `${licence}; look: kubectl -n ${ns} logs ${name} -c ${container?.name ?? names.container} --previous`;
    if (ready) return undefined;

    const scheduled = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
    if (scheduled?.status === "False") return `not scheduled: ${scheduled.message ?? scheduled.reason ?? "no reason given"}; look: ${describe}`;
    const waiting = status?.state?.waiting;
    if (waiting?.reason && /ImagePull|ErrImage|InvalidImageName/.test(waiting.reason)) {
        return `image ${container?.image ?? status?.image} cannot be pulled (${waiting.reason}${waiting.message ? `: ${waiting.message}` : ""}); check image, imagePullSecrets and registry settings; look: ${describe}`;
    }
    if (waiting?.reason === "CrashLoopBackOff" || ((status?.restartCount ?? 0) > 0 && status?.lastState?.terminated)) {
        const last = status?.lastState?.terminated;
        const exit = last ? `; last exit: ${last.reason ?? "?"} (code ${last.exitCode})` : "";
        const said = last?.message?.trim().split("\n").pop();
        return `crash loop: container ${status?.name} restarted ${status?.restartCount ?? 0} times${exit}${said ? `: "${said}"` : ""}; look: kubectl -n ${ns} logs ${name} -c ${status?.name} --previous`;
    }
    if (waiting?.reason) return `container ${status?.name} is waiting: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ""}; look: ${describe}`;
    const failedMount = latestEvent(events, ["FailedMount", "FailedAttachVolume", "FailedCreatePodSandBox"]);
    if (failedMount) return `${failedMount.reason}: ${failedMount.message}; look: ${describe}`;
    const unhealthy = latestEvent(events, ["Unhealthy"]);
    if (unhealthy) {
        return `probe failures: "${unhealthy.message?.trim()}"${unhealthy.count ? ` (${unhealthy.count} times)` : ""}; the traffic manager takes about a minute to start; look: ${describe}`;
    }
    const phase = pod.status?.phase ?? "Unknown";
    return `${phase}, not ready${status?.state?.running ? " (running, readiness probe not passed yet)" : ""}; look: ${describe}`;
}

export interface Rollout {
    readonly result: CheckResult;
    /** The traffic manager's pods (none being deleted), for the other checks. */
    readonly pods: readonly V1Pod[];
    readonly deployment?: V1Deployment;
}

/** The Deployment has its desired ready replicas; each pod that is not ready says why. */
export async function rolloutCheck(cluster: Cluster, namespace: string, names: VtmNames): Promise<Rollout> {
    const subject = `deployment ${namespace}/${names.deployment}`;
    const deployment = await cluster.deployment(namespace, names.deployment);
    if (deployment === undefined) {
        const summary = `no Deployment ${names.deployment} in namespace ${namespace}: not deployed to this cluster, or another namespace or name; look: kubectl -n ${namespace} get deployments`;
        return { result: { check: "rollout", subject, status: "fail", summary, details: [] }, pods: [] };
    }
    const pods = (await cluster.pods(namespace, `app=${names.prefix}`)).filter((p) => !p.metadata?.deletionTimestamp);
    const desired = deployment.spec?.replicas ?? 1;
    const ready = deployment.status?.readyReplicas ?? 0;
    const updated = deployment.status?.updatedReplicas ?? 0;
    const current = (deployment.status?.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0);
    const details: string[] = [];
    for (const pod of pods) {
        // Events only explain a pod that is not ready.
        const ready = pod.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";
        const problem = podProblem(pod, ready ? [] : await cluster.podEvents(namespace, pod.metadata?.name ?? ""), names);
        if (problem) details.push(`pod ${pod.metadata?.name}: ${problem}`);
    }
    for (const c of deployment.status?.conditions ?? []) {
        if ((c.type === "Progressing" && c.status === "False") || (c.type === "ReplicaFailure" && c.status === "True")) details.push(`${c.type}: ${c.reason}: ${c.message}`);
    }
    const image = vtmContainer(deployment.spec?.template?.spec?.containers, names)?.image;
    const counts = `${ready} of ${desired} ready, ${updated} up to date`;
    if (ready >= desired && updated >= desired && current && details.length === 0) {
        return { result: { check: "rollout", subject, status: "pass", summary: `${counts} (image ${image})`, details: [] }, pods, deployment };
    }
    if (pods.length === 0) details.push(`no pods: look: kubectl -n ${namespace} describe deployment ${names.deployment} (ReplicaSet events: quota, admission, ServiceAccount)`);
    const first = details[0] ?? `rollout not finished; look: kubectl -n ${namespace} rollout status deployment/${names.deployment}`;
    return { result: { check: "rollout", subject, status: "fail", summary: `${counts}: ${first}`, details: details.slice(details[0] === first ? 1 : 0) }, pods, deployment };
}

// ---------------------------------------------------------------------------------------------------
// 2. Configuration imported, per pod

export interface ConfigurationContext {
    readonly cluster: Cluster;
    readonly rest: RestClientFactory;
    readonly namespace: string;
    readonly names: VtmNames;
    /** The version of documents that name none: the stack's apiVersion. */
    readonly apiVersion: string;
    readonly logTailLines: number;
}

/** The admin password as the pod reads it: ZEUS_PASS, from its Secret (or a literal value). */
async function podPassword(ctx: ConfigurationContext, container: V1Container | undefined): Promise<{ password?: string; problem?: string; source: string }> {
    const env = container?.env?.find((e) => e.name === PASSWORD_ENV);
    if (env?.value !== undefined) return { password: env.value, source: `the pod's ${PASSWORD_ENV}` };
    const ref = env?.valueFrom?.secretKeyRef;
    if (ref?.name === undefined) return { problem: `the container has no ${PASSWORD_ENV} from a Secret, so the admin password is not known`, source: PASSWORD_ENV };
    const source = `Secret ${ctx.namespace}/${ref.name} key ${ref.key}`;
    const secret = await ctx.cluster.secret(ctx.namespace, ref.name);
    const value = secret?.data?.[ref.key];
    if (value === undefined) return { problem: `${source}, which the pod reads ${PASSWORD_ENV} from, does not exist`, source };
    return { password: Buffer.from(value, "base64").toString("utf8"), source };
}

/** The log lines that report import problems: those since the last successful import, and all of them. */
export function importErrors(log: string, password: string | undefined): { recent: string[]; all: string[] } {
    const lines = log.split("\n").map((l) => (password ? l.split(password).join("<admin password>") : l).trimEnd());
    let lastDone = -1;
    lines.forEach((l, i) => {
        if (IMPORT_DONE.test(l)) lastDone = i;
    });
    const errors = lines.map((l, i) => ({ l, i })).filter(({ l }) => IMPORT_ERROR.test(l));
    return { recent: errors.filter(({ i }) => i > lastDone).map(({ l }) => l), all: errors.map(({ l }) => l) };
}

/** Runs calls a few at a time. */
async function inBatches<T, R>(items: readonly T[], size: number, call: (item: T) => Promise<R>): Promise<R[]> {
    const results: R[] = [];
    for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(call))));
    return results;
}

/** What one pod's REST API says about the versions and objects; throws when it stops answering. */
async function compareWithRunning(rest: RestClient, objects: readonly ExpectedObject[], versions: readonly string[]): Promise<{ problems: string[]; served: string[]; tmVersion?: string; unauthorized?: boolean }> {
    const root = await rest.get("/api/tm/");
    if (root.status === 401) return { problems: [], served: [], unauthorized: true };
    if (root.status !== 200) return { problems: [`GET /api/tm/ answered HTTP ${root.status}: ${errorText(root)}`], served: [] };
    const served = childNames(root);
    const problems: string[] = [];
    const usable = new Set<string>();
    for (const version of versions) {
        // The upstream chart's test: the versioned root answers 200 when that version is served.
        const answer = served.includes(version) ? { status: 200 } : await rest.get(`/api/tm/${version}/`);
        if (answer.status === 200) usable.add(version);
        else {
            const count = objects.filter((o) => o.version === version).length;
            problems.push(`API version ${version}, which ${plural(count, "object")} of the documents are written for, is not served (the REST API serves ${served.join(", ") || "no version it lists"}): set apiVersion and the documents' version to the image's, or use a newer image`);
        }
    }
    const checked = await inBatches(objects.filter((o) => usable.has(o.version)), REST_CONCURRENCY, async (object) => {
        const answer = await rest.get(objectPath(object));
        if (answer.status === 404) return [`${objectLabel(object)}: missing from the running configuration (defined in ${object.sources.join(", ")})`];
        if (answer.status !== 200) return [`${objectLabel(object)}: GET ${objectPath(object)} answered HTTP ${answer.status}: ${errorText(answer)}`];
        return differences(object, answer.body).map((d) => `${objectLabel(object)}: ${d}`);
    });
    problems.push(...checked.flat());
    let tmVersion: string | undefined;
    const first = [...usable][0];
    if (first !== undefined) {
        const info = await rest.get(`/api/tm/${first}/status/local_tm/information`).catch(() => undefined);
        try {
            tmVersion = info?.status === 200 ? (JSON.parse(info.body) as { information?: { tm_version?: string } }).information?.tm_version : undefined;
        } catch {
            tmVersion = undefined;
        }
    }
    return { problems, served, tmVersion };
}

/** One pod: its REST API answers with the Secret's password, serves the documents' version, and holds every object as the documents set it. */
export async function configurationCheck(ctx: ConfigurationContext, pod: V1Pod): Promise<CheckResult> {
    const name = pod.metadata?.name ?? "?";
    const ns = ctx.namespace;
    const subject = `pod ${name}`;
    const container = vtmContainer(pod.spec?.containers, ctx.names);
    const logs = `kubectl -n ${ns} logs ${name} -c ${container?.name ?? ctx.names.container}`;
    const fail = (summary: string, details: string[] = []): CheckResult => ({ check: "configuration", subject, status: "fail", summary, details });
    if (pod.status?.phase !== "Running") return { check: "configuration", subject, status: "skip", summary: `not checked: the pod is ${pod.status?.phase ?? "not running"} (see the rollout check)`, details: [] };

    const files = await deployedFiles(ctx.cluster, pod, container?.name ?? ctx.names.container);
    const expected = expectedObjects(files, ctx.apiVersion);
    const setup = [...files.problems, ...expected.problems];
    const password = await podPassword(ctx, container);
    if (password.password === undefined) return fail(`${password.problem}; look: kubectl -n ${ns} get secrets`, setup);

    const restPort = container?.ports?.find((p) => p.name === ADMIN_PORTS.restapi.name)?.containerPort ?? ADMIN_PORTS.restapi.port;
    const noAnswer = (why: string) =>
        fail(`no traffic manager answers on the pod's REST port ${restPort} (${why}); look: ${logs}, and kubectl -n ${ns} port-forward pod/${name} ${restPort}`, setup);
    let forward;
    try {
        forward = await ctx.cluster.forward(ns, name, restPort);
    } catch (err) {
        return noAnswer(`port-forward refused: ${message(err)}`);
    }
    let compared: Awaited<ReturnType<typeof compareWithRunning>>;
    try {
        compared = await compareWithRunning(ctx.rest(forward.port, password.password), expected.objects, expected.versions);
    } catch (err) {
        const tunnel = forward.lastError();
        return noAnswer(tunnel ? `port-forward: ${tunnel}` : message(err));
    } finally {
        await forward.close();
    }
    if (compared.unauthorized) {
        return fail(
            `the REST API refused the admin password from ${password.source} (HTTP 401): the password was changed in the traffic manager, or the pod started with another one; ` +
                `look: kubectl -n ${ns} rollout restart deployment/${ctx.names.deployment} re-reads the Secret`,
            setup,
        );
    }
    let log: { recent: string[]; all: string[] } = { recent: [], all: [] };
    let logProblem: string | undefined;
    try {
        log = importErrors(await ctx.cluster.podLog(ns, name, container?.name ?? ctx.names.container, ctx.logTailLines), password.password);
    } catch (err) {
        logProblem = `the pod's log could not be read: ${message(err)}`;
    }
    const problems = [...setup, ...compared.problems];
    const quoted = (problems.length > 0 ? log.all : log.recent).slice(-MAX_LOG_LINES).map((l) => `log: ${l}`);
    const details = [...problems, ...quoted, ...(logProblem ? [logProblem] : [])];
    if (problems.length === 0 && log.recent.length === 0) {
        const vtm = compared.tmVersion ? `vTM ${compared.tmVersion}` : "the REST API";
        const summary = `${vtm} answers, serves API ${expected.versions.join(", ") || ctx.apiVersion}; all ${plural(expected.objects.length, "object")} of ${plural(files.documents.length, "document")} present as the documents set them`;
        return { check: "configuration", subject, status: "pass", summary, details: logProblem ? [logProblem] : [] };
    }
    if (problems.length === 0) {
        return fail(`the last import reported errors (${plural(log.recent.length, "line")}): "${log.recent[log.recent.length - 1]}"; look: ${logs}`, details);
    }
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more below)` : "";
    return fail(`${problems[0]}${more}; look: ${logs}`, details.slice(1));
}

// ---------------------------------------------------------------------------------------------------
// 3. Services answer

/** Probes one endpoint the way its protocol is used: an HTTP request, a connection, a datagram. */
export async function serviceCheck(plan: EndpointPlan, probes: Probes, service: ServiceSettings | undefined): Promise<CheckResult> {
    const subject = `${plan.service}${plan.url ? ` ${plan.url}` : ""}`;
    if (plan.skip) return { check: "services", subject, status: "skip", summary: plan.skip, details: [] };
    if (plan.fail || plan.url === undefined) return { check: "services", subject, status: "fail", summary: plan.fail ?? "no address", details: [] };
    const endpoint = parseEndpoint(plan.url);
    if (endpoint === undefined) return { check: "services", subject, status: "fail", summary: `cannot probe '${plan.url}': not a <scheme>://<host>:<port> address`, details: [] };
    const dns = service?.protocol === "dns";
    const seen =
        endpoint.transport === "http"
            ? await probes.http(plan.url)
            : endpoint.transport === "udp"
              ? await probes.udp(endpoint.host, endpoint.port, dns ? dnsQuery() : Buffer.from("vtm-kubernetes verify\n"), dns)
              : await probes.tcp(endpoint.host, endpoint.port);
    const where = seen.ok ? "" : "; look: is the address reachable from here (firewall, security group), and the pod ready (rollout check)?";
    return { check: "services", subject, status: seen.ok ? "pass" : "fail", summary: `${seen.seen}${where}`, details: [] };
}
