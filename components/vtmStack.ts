// A whole vTM stack as one component, for any Pulumi program (YAML, Python, Go, C#, TypeScript) that adds
// this repository as a package: the same settings as the stack configuration, checked by the same
// parser, and the same objects as `pulumi up` of this project makes, under one VtmStack resource.
import * as pulumi from "@pulumi/pulumi";
import { kubernetesCluster } from "./cluster";
import { ClusterFacts } from "./prerequisites";
import { StackOptions, createVtmStack, readCluster } from "./stack";
import { Resolved, argumentSource } from "../settings/arguments";
import { asArguments } from "../settings/commands";
import { Settings, parseSettings } from "../settings/settings";
import { ConfigurationPlan, apiVersionProblems, planConfiguration } from "../vtm/configuration";
import { VtmStackArgs } from "./vtmStackArgs";
import { typeToken } from "./types";

/** The component's type token: `<package name>:index:<class>`, as the SDK's component host serves it. */
export const VTM_STACK_TYPE = typeToken("VtmStack");

/** The names of VtmStack's outputs, in the order the docs list them. */
export const VTM_STACK_OUTPUTS = ["serviceEndpoints", "serviceEndpoint", "serviceNodePort", "adminUrl", "restApiUrl", "adminPassword", "namespace"] as const;

/** Everything worked out before a resource is registered: the settings, the checked configuration, the cluster. */
interface Prepared {
    readonly settings: Settings;
    readonly plan: ConfigurationPlan;
    readonly facts?: ClusterFacts;
}

/** What `prepareVtmStack` found for an arguments object, for the constructor that follows it. */
const preparedArgs = new WeakMap<object, Prepared>();

/** How the settings and configuration are read from the arguments: every problem in one error naming the arguments. */
function prepare(name: string, args: VtmStackArgs, resolve: (o: pulumi.Output<unknown>) => Resolved | undefined): Prepared {
    return asArguments(() => {
        const source = argumentSource(`VtmStack '${name}'`, args as Record<string, unknown>, resolve);
        const settings = parseSettings(source, apiVersionProblems);
        const plan = planConfiguration(settings, undefined, { documents: args.configDocuments, rules: args.rules, data: args.data });
        return { settings, plan };
    });
}

/**
 * What an Output argument holds (a secret password, a value another resource computes). The SDK's internal
 * `isKnown` and `promise` are read because the public `apply` never runs for a value unknown in a preview.
 */
async function resolveOutput(output: pulumi.Output<unknown>): Promise<Resolved> {
    const o = output as unknown as { isKnown: Promise<boolean>; promise(): Promise<unknown> };
    const [known, secret, value] = await Promise.all([o.isKnown, pulumi.isSecret(output), o.promise()]);
    return { known, secret, value: known ? value : undefined };
}

/**
 * Reads and checks the arguments, reads the cluster as `pulumi up` of this project does, and keeps the
 * result for `new VtmStack(name, args)`: the component host calls this first, since a constructor cannot wait.
 */
export function prepareVtmStack(name: string, args: VtmStackArgs, warn: (message: string) => void): Promise<void> {
    return asArguments(async () => {
        const outputs = Object.values(args).filter((v): v is pulumi.Output<unknown> => pulumi.Output.isInstance(v));
        const resolved = new Map(await Promise.all(outputs.map(async (o) => [o, await resolveOutput(o)] as const)));
        const { settings, plan } = prepare(name, args, (o) => resolved.get(o));
        const facts = await readCluster(settings, { cluster: (kubernetes) => kubernetesCluster(kubernetes) }, warn);
        preparedArgs.set(args, { settings, plan, facts });
    });
}

/**
 * Pulse Secure Virtual Traffic Manager on Kubernetes: the traffic manager with its configuration, the example
 * backend, the exposure you choose (NodePort, LoadBalancer or HostNetwork) and NetworkPolicies, from the same
 * settings as the vtm-kubernetes stack configuration. Bad arguments stop it before anything is created.
 */
export class VtmStack extends pulumi.ComponentResource {
    /** Every service's URL, by service name: <scheme>://<host>:<port>. */
    readonly serviceEndpoints: pulumi.Output<{ [name: string]: string }>;
    /** The first service's URL, when there are services. */
    readonly serviceEndpoint?: pulumi.Output<string>;
    /** The first service's nodePort (NodePort exposure only). */
    readonly serviceNodePort?: pulumi.Output<number>;
    /** The admin web UI (HTTPS). */
    readonly adminUrl: pulumi.Output<string>;
    /** The REST API (HTTPS), e.g. GET <restApiUrl>/api/tm/ as user admin. */
    readonly restApiUrl: pulumi.Output<string>;
    /** The admin password (secret). */
    readonly adminPassword: pulumi.Output<string>;
    /** The namespace of every object. */
    readonly namespace: pulumi.Output<string>;

    constructor(name: string, args: VtmStackArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before the component is registered: bad arguments leave nothing behind.
        const { settings, plan, facts } = preparedArgs.get(args) ?? prepare(name, args, () => undefined);
        super(VTM_STACK_TYPE, name, {}, opts);
        const options: StackOptions = { parent: this, warn: (message) => void pulumi.log.warn(message, this) };
        // Its warnings too name arguments, not stack configuration commands.
        const outputs = asArguments(() => createVtmStack(settings, options, facts, plan));
        this.serviceEndpoints = outputs.serviceEndpoints;
        this.serviceEndpoint = outputs.serviceEndpoint;
        this.serviceNodePort = outputs.serviceNodePort as pulumi.Output<number> | undefined;
        this.adminUrl = outputs.adminUrl;
        this.restApiUrl = outputs.restApiUrl;
        this.adminPassword = outputs.adminPassword;
        this.namespace = pulumi.output(outputs.namespace);
        this.registerOutputs(Object.fromEntries(VTM_STACK_OUTPUTS.map((key) => [key, this[key]])));
    }
}
