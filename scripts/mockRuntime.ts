// The Pulumi SDK's mock runtime as this project uses it, for offline rendering and for the tests:
// it records every resource the program registers, and stands in for what the providers and the
// API server would fill in (auto-names, generated passwords and, when asked, nodePorts and balancers).
import { createHash, randomInt } from "crypto";
import * as pulumi from "@pulumi/pulumi";

/** A resource as the program registered it, with its inputs resolved and secrets unwrapped. */
export interface RegisteredResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, any>;
    /** The provider reference (`<urn>::<id>`) of a custom resource. */
    readonly provider?: string;
    /** The state the mock answered with (what the outputs of the resource are). */
    readonly state: Record<string, any>;
}

export interface MockOptions {
    /**
     * Act as the provider and cluster of a real deployment (tests): allocate nodePorts and balancer
     * addresses, and give an auto-named object a new name whenever its content changes, as the
     * provider's replacement of a changed Secret does. Rendering leaves all of this out.
     */
    readonly simulateCluster?: boolean;
    /** The address a simulated balancer assigns. @default { ip: "192.0.2.10" } */
    readonly balancerIngress?: { ip?: string; hostname?: string };
    /** The RandomPassword result; default: a real random password of the requested length. */
    readonly password?: (inputs: Record<string, any>) => string;
    /** Whether Secret values are written out (render --include-secrets); when not, they do not sway auto-names. @default false */
    readonly secretValuesShown?: boolean;
}

// The SDK marks a secret value inside resource inputs with this signature key.
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Replaces the SDK's secret wrappers with their values. */
export function unwrapSecrets(value: any): any {
    if (Array.isArray(value)) return value.map(unwrapSecrets);
    if (value !== null && typeof value === "object") {
        if (SECRET_SIG in value) return unwrapSecrets(value.value);
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
    }
    return value;
}

function hash(text: string): string {
    return createHash("sha256").update(text).digest("hex");
}

/**
 * What an auto-named object's suffix is derived from: what the rendered files show of it. A new value
 * gives a new name, as the provider's replacement of a changed Secret does under `pulumi up`; a Secret
 * whose values are left out is named by everything else (type, labels, annotations, keys), so nothing
 * derived from a secret reaches the files.
 */
function nameSeed(kind: string | undefined, content: Record<string, any>, secretValuesShown: boolean): string {
    if (kind !== "Secret" || secretValuesShown) return JSON.stringify(content);
    const { data, stringData, ...rest } = content;
    return JSON.stringify({ ...rest, keys: [...Object.keys(data ?? {}), ...Object.keys(stringData ?? {})].sort() });
}

/** A stand-in for the provider's `<name>-<8 random characters>` auto-name, stable for the same seed. */
export function autoName(logicalName: string, seed = ""): string {
    return `${logicalName}-${hash(logicalName + seed).slice(0, 8)}`;
}

/** A password as random.RandomPassword makes one, honouring its length and character classes. */
export function randomPassword(inputs: Record<string, any>): string {
    const classes = [
        inputs.upper !== false ? "ABCDEFGHIJKLMNOPQRSTUVWXYZ" : "",
        inputs.lower !== false ? "abcdefghijklmnopqrstuvwxyz" : "",
        inputs.numeric !== false ? "0123456789" : "",
        inputs.special !== false ? (inputs.overrideSpecial ?? "!@#$%&*()-_=+[]{}<>:?") : "",
    ].join("");
    return Array.from({ length: inputs.length ?? 16 }, () => classes[randomInt(classes.length)]).join("");
}

/** What the API server adds to a Service: nodePorts for NodePort and LoadBalancer types, a balancer address. */
function simulateService(name: string, spec: any, ingress: { ip?: string; hostname?: string }): { spec: any; status?: any } {
    if (spec?.type !== "NodePort" && spec?.type !== "LoadBalancer") return { spec };
    const ports = (spec.ports ?? []).map((p: any) => ({ ...p, nodePort: p.nodePort ?? 30000 + (parseInt(hash(`${name}/${p.name}`).slice(0, 6), 16) % 2768) }));
    const status = spec.type === "LoadBalancer" ? { loadBalancer: { ingress: [ingress] } } : undefined;
    return { spec: { ...spec, ports }, status };
}

/** Records registrations and answers them as the mock runtime's `newResource`. */
export class Recorder {
    readonly resources: RegisteredResource[] = [];
    /** The passwords the mock RandomPassword generated in this run. */
    private readonly generated = new Set<string>();

    constructor(private readonly options: MockOptions = {}) {}

    readonly mocks: pulumi.runtime.Mocks = {
        newResource: (args) => {
            const inputs = unwrapSecrets(args.inputs);
            const state = this.stateOf(args.type, args.name, args.inputs, inputs);
            this.resources.push({ type: args.type, name: args.name, inputs, provider: args.provider, state });
            return { id: `${args.name}-id`, state };
        },
        call: (args) => {
            throw new Error(`unexpected provider function call ${args.token}`);
        },
    };

    private stateOf(type: string, name: string, rawInputs: Record<string, any>, inputs: Record<string, any>): Record<string, any> {
        if (type === "random:index/randomPassword:RandomPassword") {
            const result = (this.options.password ?? randomPassword)(inputs);
            this.generated.add(result);
            // Secret, as the real provider's additionalSecretOutputs make it.
            return { ...rawInputs, result: pulumi.secret(result) };
        }
        if (!type.startsWith("kubernetes:")) return rawInputs;
        const { metadata, ...content } = inputs;
        const shown = (this.options.secretValuesShown ?? false) || this.isGenerated(inputs);
        const seed = nameSeed(inputs.kind, { ...content, labels: metadata?.labels, annotations: metadata?.annotations }, shown);
        const state: Record<string, any> = {
            ...rawInputs,
            metadata: { ...rawInputs.metadata, name: metadata?.name ?? autoName(name, seed) },
        };
        if (this.options.simulateCluster && type === "kubernetes:core/v1:Service") {
            Object.assign(state, simulateService(name, inputs.spec, this.options.balancerIngress ?? { ip: "192.0.2.10" }));
        }
        return state;
    }

    /**
     * Whether a Secret holds only passwords generated in this run (the admin password when none is
     * set): rendering writes it, as helm template writes the Secrets it generates, since no
     * configuration value of the user's is in it.
     */
    isGenerated(secret: Record<string, any>): boolean {
        if (secret.kind !== "Secret") return false;
        const values = [...Object.values(secret.stringData ?? {}), ...Object.values(secret.data ?? {}).map((v) => Buffer.from(String(v), "base64").toString())];
        return values.length > 0 && values.every((v) => this.generated.has(String(v)));
    }

    /** The Kubernetes objects registered, as they would be applied (auto-names filled in). */
    kubernetesObjects(): Record<string, any>[] {
        return this.resources
            .filter((r) => r.type.startsWith("kubernetes:"))
            .map((r) => ({ ...r.inputs, metadata: { ...r.inputs.metadata, name: r.state.metadata.name } }));
    }
}

/** What a mocked run of a program needs: the project and stack, and the configuration as the CLI hands it over. */
export interface MockRun {
    readonly project: string;
    readonly stack: string;
    readonly config: Record<string, string>;
    readonly secretKeys: string[];
    /** Run as `pulumi preview` does (isDryRun). @default false */
    readonly preview?: boolean;
}

/** Runs a program under the mock runtime and waits until every resource it registers is recorded. */
export async function runMocked<T>(recorder: Recorder, run: MockRun, program: () => T | Promise<T>): Promise<T> {
    await pulumi.runtime.setMocks(recorder.mocks, run.project, run.stack, run.preview ?? false);
    pulumi.runtime.setAllConfig(run.config, run.secretKeys);
    const result = await program();
    // Waits for every registration, not only those that the program's outputs depend on.
    await pulumi.runtime.disconnect();
    return result;
}
