// The VtmStack component's edge: its arguments, as another Pulumi program passes them, read as the same
// raw values the stack configuration gives, so that one parser checks both with the same messages.
import * as pulumi from "@pulumi/pulumi";
import { ConfigSource } from "./settings";

/** What an argument that arrived as an Output held: its value when known, and whether it is secret. */
export interface Resolved {
    readonly known: boolean;
    readonly secret: boolean;
    readonly value?: unknown;
}

/** The namespace the arguments' keys are listed under, as the stack's keys are under the project's name. */
const ARGUMENTS = "argument";

/** A value as the CLI hands configuration over: text as is, anything else as JSON. */
function raw(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * A ConfigSource over a component's arguments. An Output argument (a secret, or a value another resource
 * computes) is read through `resolve`, which knows what it held; `kubernetes:*` settings are the stack's.
 */
export function argumentSource(
    component: string,
    args: Readonly<Record<string, unknown>>,
    resolve: (output: pulumi.Output<unknown>) => Resolved | undefined,
    config: Readonly<Record<string, string>> = pulumi.runtime.allConfig(),
): ConfigSource {
    const given = Object.keys(args).filter((k) => args[k] !== undefined && args[k] !== null);
    const output = (key: string) => (pulumi.Output.isInstance(args[key]) ? (args[key] as pulumi.Output<unknown>) : undefined);
    const resolved = (key: string): Resolved | undefined => {
        const o = output(key);
        // Not resolved (a TypeScript program constructing VtmStack itself): taken as a secret known later.
        return o === undefined ? undefined : (resolve(o) ?? { known: false, secret: true });
    };
    return {
        project: ARGUMENTS,
        component,
        get: (key) => {
            const value = args[key];
            if (value === undefined || value === null) return undefined;
            const r = resolved(key);
            if (r === undefined) return raw(value);
            return r.known && r.value !== undefined ? raw(r.value) : undefined;
        },
        isSecret: (key) => resolved(key)?.secret === true,
        computed: (key) => {
            const r = resolved(key);
            return r !== undefined && !r.known ? (output(key) as pulumi.Output<string>) : undefined;
        },
        getKubernetes: (key) => config[`kubernetes:${key}`],
        keys: () => [...given.map((k) => `${ARGUMENTS}:${k}`), ...Object.keys(config).filter((k) => k.startsWith("kubernetes:"))],
    };
}
