// Shared test helpers: render a stack through the same path as `npm run render` (the SDK's mock
// runtime, recording every resource), find objects by kind and name, and validate them against
// the Kubernetes schemas.
import * as assert from "assert";
import * as k8sModels from "@kubernetes/client-node";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { CONFIG_DIR } from "../vtm/documents";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { Recorder, MockOptions } from "../scripts/mockRuntime";
import { fakeCluster } from "./fakeCluster";
import { RenderOptions, RenderResult, render, renderCli } from "../scripts/render";

export type KubeObject = Record<string, any>;

/** Renders the dev stack (Pulumi.dev.yaml) with overrides, as a deploy would see it. */
export function renderDev(set: Record<string, string> = {}, options: Partial<RenderOptions> = {}, mock: MockOptions = {}): Promise<RenderResult> {
    return render({
        stack: "dev",
        set,
        includeSecrets: true,
        cluster: fakeCluster(),
        ...options,
        mock: { simulateCluster: true, ...mock },
    });
}

/** Renders and expects the configuration to be refused; returns the message and what was registered. */
export async function renderRefused(set: Record<string, string>, options: Partial<RenderOptions> = {}): Promise<{ message: string; recorder: Recorder }> {
    const recorder = new Recorder({ simulateCluster: true });
    try {
        await render({ stack: "dev", set, cluster: fakeCluster(), ...options }, recorder);
    } catch (err) {
        return { message: (err as Error).message, recorder };
    }
    throw new Error(`configuration ${JSON.stringify(set)} was accepted`);
}

export function find(objects: KubeObject[], kind: string, name: string): KubeObject {
    const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
    assert.strictEqual(found.length, 1, `expected one ${kind} named ${name}, found ${found.length} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(", ")}`);
    return found[0];
}

export function findAll(objects: KubeObject[], kind: string): KubeObject[] {
    return objects.filter((o) => o.kind === kind);
}

/** The one object of a kind whose name starts with a prefix (auto-named objects). */
export function findByPrefix(objects: KubeObject[], kind: string, prefix: string): KubeObject {
    const found = objects.filter((o) => o.kind === kind && o.metadata.name.startsWith(`${prefix}-`));
    assert.strictEqual(found.length, 1, `expected one ${kind} named ${prefix}-*`);
    return found[0];
}

export function container(deployment: KubeObject, name = "vtm"): KubeObject {
    const c = deployment.spec.template.spec.containers.find((x: KubeObject) => x.name === name);
    assert.ok(c, `no container ${name}`);
    return c;
}

export function env(c: KubeObject, name: string): KubeObject {
    const e = (c.env ?? []).find((x: KubeObject) => x.name === name);
    assert.ok(e, `no env ${name}`);
    return e;
}

/** Whether a selector selects a set of labels (every selector label is present with its value). */
export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
    return Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
}

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
    "apps/v1/Deployment": Deployment,
    "v1/ConfigMap": ConfigMap,
    "v1/Secret": Secret,
    "v1/Service": Service,
    "v1/ServiceAccount": ServiceAccount,
    "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
    "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
};

/** Validates an object against its Kubernetes schema (kubernetes-models); throws naming the object. */
export function validateSchema(object: KubeObject): void {
    const Model = MODELS[`${object.apiVersion}/${object.kind}`];
    assert.ok(Model, `no schema registered for ${object.apiVersion} ${object.kind}`);
    try {
        new Model(object).validate();
    } catch (err) {
        throw new Error(`${object.kind}/${object.metadata?.name} is not valid: ${(err as Error).message}`);
    }
}

/** Every place a value occurs outside Kubernetes Secrets: resource inputs, non-secret outputs and the render's notes. */
export function leaks(result: RenderResult, value: string): string[] {
    const places: string[] = [];
    for (const r of result.recorder.resources) {
        const isSecret = r.type === "kubernetes:core/v1:Secret";
        if (!isSecret && JSON.stringify(r.inputs).includes(value)) places.push(`${r.type} ${r.name}`);
    }
    for (const [name, out] of Object.entries(result.outputs)) {
        if (!out.secret && JSON.stringify(out.value ?? null).includes(value)) places.push(`output ${name}`);
    }
    places.push(...result.notes.filter((n) => n.includes(value)).map((n) => `note ${n}`));
    return places;
}

export function outputValue(result: RenderResult, name: string): unknown {
    assert.ok(name in result.outputs, `no output ${name}`);
    return result.outputs[name].value;
}

/** The watched documents of a stack (every `<prefix>-config*` ConfigMap), key → parsed document. */
export function watchedDocuments(objects: KubeObject[], prefix = "vtm"): Record<string, any> {
    const shards = objects.filter((o) => o.kind === "ConfigMap" && new RegExp(`^${prefix}-config(-\\d+)?$`).test(o.metadata.name));
    const entries = shards.flatMap((cm) => Object.entries(cm.data ?? {}) as [string, string][]);
    return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, text]) => [k, yaml.load(text)]));
}

/** The watched documents as one: every named section's objects, in file-name order, as the importer layers them. */
export function mergedDocument(objects: KubeObject[], prefix = "vtm"): Record<string, any> {
    const merged: Record<string, any> = {};
    for (const doc of Object.values(watchedDocuments(objects, prefix))) {
        for (const [section, value] of Object.entries(doc)) {
            if (section === "ssl") {
                merged.ssl = { server_keys: [...(merged.ssl?.server_keys ?? []), ...((value as any).server_keys ?? [])] };
            } else if (Array.isArray(value)) {
                merged[section] = [...(merged[section] ?? []), ...value];
            } else {
                merged[section] = value;
            }
        }
    }
    return merged;
}

/** A virtual server or pool of the merged documents, by name. */
export function vtmObject(objects: KubeObject[], section: string, name: string): any {
    const found = (mergedDocument(objects)[section] ?? []).filter((o: any) => o.name === name);
    assert.strictEqual(found.length, 1, `expected one ${section} '${name}'`);
    return found[0];
}

/** The nodePort the simulated cluster allocated to a Service port (the recorded state, as the API server returns it). */
export function allocatedNodePort(result: RenderResult, service: string, port: string): number {
    const svc = result.recorder.resources.find((r) => r.type === "kubernetes:core/v1:Service" && r.name === service);
    assert.ok(svc, `no Service ${service}`);
    const nodePort = svc.state.spec.ports.find((p: KubeObject) => p.name === port).nodePort;
    assert.strictEqual(typeof nodePort, "number");
    return nodePort;
}

/** A copy of config/ in a temporary directory with some files added or replaced (null removes one). */
export function configWith(files: Record<string, string | null>): string {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vtm-config-")), "config");
    fs.cpSync(CONFIG_DIR, dir, { recursive: true });
    for (const [file, text] of Object.entries(files)) {
        const target = path.join(dir, file);
        if (text === null) {
            fs.rmSync(target);
            continue;
        }
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, text);
    }
    return dir;
}

type Attribute = { baseName: string; type: string };
const models = k8sModels as unknown as Record<string, { getAttributeTypeMap?: () => Attribute[] }>;

/** Fields that the Kubernetes API does not know (a typo would be dropped silently by the server). */
export function unknownFields(value: unknown, type: string, at: string): string[] {
    if (value === null || value === undefined) return [];
    const list = /^Array<(.+)>$/.exec(type);
    if (list) return (value as unknown[]).flatMap((v, i) => unknownFields(v, list[1], `${at}[${i}]`));
    const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
    if (map) return Object.entries(value as object).flatMap(([k, v]) => unknownFields(v, map[1], `${at}.${k}`));
    const attributes = models[type]?.getAttributeTypeMap?.();
    if (attributes === undefined) return [];
    return Object.entries(value as object).flatMap(([k, v]) => {
        const attribute = attributes.find((a) => a.baseName === k);
        return attribute ? unknownFields(v, attribute.type, `${at}.${k}`) : [`${at}.${k}`];
    });
}

/** The default image (vTM 19.1) is affected by CVE-2024-7593: admin interfaces outside the cluster must accept it. */
export const ACCEPT_ADMIN_EXPOSURE: Record<string, string> = { "security.acceptAdminExposure": "CVE-2024-7593" };
/** HostNetwork exposure of the default image, its admin exposure accepted. */
export const HOST_NETWORK: Record<string, string> = { exposure: "HostNetwork", ...ACCEPT_ADMIN_EXPOSURE };
/** `npm run -s render -- <args>` run in this process (the command line's own code, without npm and a new node). */
export async function cliRender(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const status = await renderCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), stdoutIsTTY: false, env: { PATH: process.env.PATH, ...env, npm_config_loglevel: "silent" } });
    return { status, stdout, stderr };
}
