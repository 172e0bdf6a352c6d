// The command lines of the scripts (render, verify): `--flag value`, repeatable `--flag value`, and
// switches; anything else is refused with the usage.

export interface FlagSpec {
    /** Flags that take one value. */
    readonly values?: readonly string[];
    /** Flags that take a value and may be given more than once. */
    readonly repeated?: readonly string[];
    /** Flags without a value. */
    readonly switches?: readonly string[];
}

export interface Flags {
    readonly values: Readonly<Record<string, string>>;
    readonly repeated: Readonly<Record<string, readonly string[]>>;
    readonly switches: ReadonlySet<string>;
    /** --help or -h was given. */
    readonly help: boolean;
}

export function readFlags(argv: readonly string[], usage: string, spec: FlagSpec): Flags {
    const values: Record<string, string> = {};
    const repeated: Record<string, string[]> = {};
    const switches = new Set<string>();
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--help" || arg === "-h") return { values, repeated, switches, help: true };
        if (spec.switches?.includes(arg)) {
            switches.add(arg);
            continue;
        }
        const valued = spec.values?.includes(arg) || spec.repeated?.includes(arg);
        if (!valued) throw new Error(`unknown argument '${arg}'\n${usage}`);
        const value = argv[++i];
        if (value === undefined) throw new Error(`${arg} needs a value\n${usage}`);
        if (spec.repeated?.includes(arg)) (repeated[arg] ??= []).push(value);
        else values[arg] = value;
    }
    return { values, repeated, switches, help: false };
}
