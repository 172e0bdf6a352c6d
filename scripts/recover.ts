// `npm run recover`: finishes an update that was killed halfway (the terminal closed, a CI job's timeout,
// kill -9), as docs/operations.md ("An interrupted update") describes. A killed update leaves its lock
// and the creates it had in flight ("pending operations") in the state, while the cluster may already
// hold those objects, some under generated names the next update would not reuse. So:
//   1. pulumi cancel: the killed update's lock;
//   2. pulumi refresh --clear-pending-creates: the state forgets the creates in flight and reads the rest;
//   3. pulumi import: each of those objects the cluster holds becomes the stack's again, under the name
//      the killed update gave it (`pulumi refresh --import-pending-creates` would say so in one step, but
//      the engine drops what it is given there: tried with 3.276.0);
//   4. pulumi up: finishes the update.
// Pulumi runs as `npm run pulumi --` runs it (scripts/pulumi-local.sh: its backend, or the user's own).
//
//   npm run recover -- [--stack NAME]
//
// Exit code 0: the stack is complete; 1: a step failed (it says which); 2: recover could not run.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type * as k8s from "@kubernetes/client-node";
import { useKubeconfig } from "../components/cluster";
import { unlessMissing } from "../components/directCluster";
import { KubernetesSettings } from "../settings/settings";
import { readFlags } from "./cliFlags";
import { PROJECT_DIR, stackSettings } from "./render";
import { stackName } from "./stackName";

export const USAGE = `usage: npm run recover -- [--stack NAME]
  finishes an update that was killed halfway: removes its lock, adopts the objects it had created,
  and runs the update again (docs/operations.md, An interrupted update)
  --stack NAME     the stack (default: PULUMI_STACK, else the stack selected, else dev: as npm run deploy)`;

/** The command line: the stack (or none: the one rule of scripts/stack.sh), or --help. */
export function parseArgs(argv: readonly string[]): { stack?: string; help: boolean } {
    const flags = readFlags(argv, USAGE, { values: ["--stack"] });
    return { stack: flags.values["--stack"], help: flags.help };
}

/** A create the killed update had in flight, as the state records it. */
export interface PendingCreate {
    readonly urn: string;
    readonly type: string;
    /** The URNs of its parent and of its provider (without the provider's ID). */
    readonly parent?: string;
    readonly provider?: string;
    /** For a Kubernetes object: what it is, and the ID the provider gives it (`<namespace>/<name>`). */
    readonly object?: { readonly apiVersion: string; readonly kind: string; readonly namespace?: string; readonly name: string; readonly id: string };
}

interface StateResource {
    urn: string;
    type: string;
    id?: string;
    inputs?: Record<string, any>;
    parent?: string;
    provider?: string;
}

interface State {
    deployment?: { resources?: StateResource[]; pending_operations?: { type: string; resource: StateResource }[] };
}

/** The pending creates of a `pulumi stack export`, once each, with the Kubernetes object each one makes. */
export function pendingCreates(state: State): PendingCreate[] {
    const resources = state.deployment?.resources ?? [];
    const ops = (state.deployment?.pending_operations ?? []).filter((op) => op.type === "creating");
    const unique = [...new Map(ops.map((op) => [op.resource.urn, op.resource])).values()];
    return unique.map((r) => {
        const provider = r.provider?.split("::").slice(0, -1).join("::");
        const base = { urn: r.urn, type: r.type, parent: r.parent, provider };
        const metadata = r.inputs?.metadata as { name?: string; namespace?: string } | undefined;
        if (!r.type.startsWith("kubernetes:") || typeof metadata?.name !== "string") return base;
        // An object without a namespace of its own goes to its provider's (the stack's namespace).
        const namespace = metadata.namespace ?? (resources.find((p) => p.urn === provider)?.inputs?.namespace as string | undefined);
        const id = namespace === undefined ? metadata.name : `${namespace}/${metadata.name}`;
        return { ...base, object: { apiVersion: r.inputs!.apiVersion, kind: r.inputs!.kind, namespace, name: metadata.name, id } };
    });
}

export interface Plan {
    /** Pending creates whose object the cluster holds: imported under their IDs. */
    readonly imported: readonly PendingCreate[];
    /** The others: dropped from the state (nothing was made, or nothing the cluster keeps). */
    readonly cleared: readonly PendingCreate[];
}

/** Which pending creates to import: those whose object exists. */
export async function plan(creates: readonly PendingCreate[], exists: (object: NonNullable<PendingCreate["object"]>) => Promise<boolean>): Promise<Plan> {
    const imported: PendingCreate[] = [];
    const cleared: PendingCreate[] = [];
    for (const c of creates) (c.object !== undefined && (await exists(c.object)) ? imported : cleared).push(c);
    return { imported, cleared };
}

/** `pulumi import --file` of what the plan imports: each object under its URN's name, parent and provider. */
export function importFile(p: Plan): { nameTable: Record<string, string>; resources: Record<string, string>[] } {
    const nameTable: Record<string, string> = {};
    const ref = (urn: string) => {
        const key = Object.keys(nameTable).find((k) => nameTable[k] === urn) ?? `r${Object.keys(nameTable).length}`;
        nameTable[key] = urn;
        return key;
    };
    const resources = p.imported.map((c) => ({
        type: c.type,
        name: c.urn.split("::").at(-1)!,
        id: c.object!.id,
        ...(c.parent ? { parent: ref(c.parent) } : {}),
        ...(c.provider ? { provider: ref(c.provider) } : {}),
    }));
    return { nameTable, resources };
}

/** Asks the cluster of the stack's `kubernetes:kubeconfig` and `kubernetes:context` whether an object exists. */
export async function objectExists(settings: KubernetesSettings): Promise<(object: NonNullable<PendingCreate["object"]>) => Promise<boolean>> {
    const lib = (await import("@kubernetes/client-node")) as unknown as typeof k8s;
    const config = new lib.KubeConfig();
    useKubeconfig(config, settings);
    const api = lib.KubernetesObjectApi.makeApiClient(config);
    return async (o) => {
        try {
            return (await unlessMissing(api.read({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.name, namespace: o.namespace } }))) !== undefined;
        } catch (err) {
            throw new Error(`could not read ${o.kind} ${o.id}: ${(err as Error).message}`);
        }
    };
}

export interface RecoverIo {
    readonly stdout: (text: string) => void;
    readonly stderr: (text: string) => void;
    /** Runs `npm run pulumi -- <args>`; with `capture`, returns its standard output instead of showing it. */
    readonly pulumi: (args: readonly string[], capture?: boolean) => { status: number; stdout: string };
}

/** `npm run pulumi -- <args>` in the project directory. */
function wrapperPulumi(projectDir: string): RecoverIo["pulumi"] {
    return (args, capture) => {
        const run = spawnSync("bash", [path.join(projectDir, "scripts", "pulumi-local.sh"), ...args], {
            cwd: projectDir,
            stdio: capture ? ["ignore", "pipe", "inherit"] : "inherit",
            encoding: "utf8",
            maxBuffer: 256 * 1024 * 1024,
        });
        return { status: run.status ?? 1, stdout: run.stdout ?? "" };
    };
}

const what = (c: PendingCreate) => (c.object ? `${c.object.kind} ${c.object.id}` : c.type);

/** `npm run recover -- <argv>`; returns the exit code. */
export async function recoverCli(
    argv: readonly string[],
    io: RecoverIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), pulumi: wrapperPulumi(PROJECT_DIR) },
    exists?: (object: NonNullable<PendingCreate["object"]>) => Promise<boolean>,
): Promise<number> {
    let stack: string;
    let p: Plan;
    try {
        const args = parseArgs(argv);
        if (args.help) {
            io.stdout(`${USAGE}\n`);
            return 0;
        }
        stack = stackName(args.stack, PROJECT_DIR);
        const s = ["--stack", stack];
        if (io.pulumi(["cancel", "--yes", ...s]).status !== 0) throw new Error(`npm run pulumi -- cancel --yes --stack ${stack} failed`);
        const exported = io.pulumi(["stack", "export", ...s], true);
        if (exported.status !== 0) throw new Error(`npm run pulumi -- stack export --stack ${stack} failed`);
        const creates = pendingCreates(JSON.parse(exported.stdout) as State);
        p = await plan(creates, exists ?? (creates.some((c) => c.object) ? await objectExists(stackSettings({ stack }).kubernetes) : async () => false));
    } catch (err) {
        io.stderr(`recover could not run: ${(err as Error).message}\n`);
        return 2;
    }
    for (const c of p.imported) io.stdout(`adopting ${what(c)}: its create was cut off after the cluster made it\n`);
    for (const c of p.cleared) io.stdout(`dropping the unfinished create of ${what(c)}: ${c.object ? "the cluster does not hold it" : "nothing outside the state"}\n`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-recover-"));
    try {
        const steps: string[][] = [["refresh", "--yes", "--skip-preview", "--clear-pending-creates"]];
        if (p.imported.length > 0) {
            const file = path.join(dir, "import.json");
            fs.writeFileSync(file, JSON.stringify(importFile(p), null, 2));
            // Not protected (import protects by default): the objects are the program's own, as they were to be.
            steps.push(["import", "--file", file, "--yes", "--skip-preview", "--generate-code=false", "--protect=false"]);
        }
        steps.push(["up", "--yes"]);
        for (const args of steps) {
            if (io.pulumi([...args, "--stack", stack]).status !== 0) {
                io.stderr(`recover: npm run pulumi -- ${args[0]} failed (above); fix what it says and run npm run recover again\n`);
                return 1;
            }
        }
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
    io.stdout(`the ${stack} stack is complete\n`);
    return 0;
}

if (require.main === module) {
    recoverCli(process.argv.slice(2)).then((code) => process.exit(code));
}
