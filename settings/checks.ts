// Small checks that turn raw configuration values into typed ones. Each check returns the parsed
// value or an Invalid saying what was expected; `run` records the problem with the key and value.
import * as net from "net";
import { configCommand } from "./commands";

export type Problems = string[];

export const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const IANA_SERVICE_NAME = /^(?=.*[a-z])(?!.*--)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const SHOWN_LENGTH = 80;

/** Quotes a raw value the way messages show it, cut short if it is long. */
export function show(value: unknown): string {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    const cut = text.length > SHOWN_LENGTH ? `${text.slice(0, SHOWN_LENGTH)}… (${text.length} characters)` : text;
    return typeof value === "string" ? `'${cut}'` : cut;
}

/** Lists names for a message, the first few only when there are many. */
export function listNames(names: readonly string[], max = 10): string {
    if (names.length === 0) return "none";
    const shown = names.slice(0, max).join(", ");
    return names.length > max ? `${shown}, … and ${names.length - max} more` : shown;
}

export class Invalid {
    constructor(readonly reason: string) {}
}

/** Parses a raw value; `key` is the setting's, for a reason that shows how to write it. */
export type Check<T> = (v: unknown, key?: string) => T | Invalid;

/** Checks one raw value: the parsed value, or the fallback after recording the problem. */
export function run<T>(problems: Problems, key: string, raw: unknown, fallback: T, check: Check<T>): T {
    if (raw === undefined) {
        return fallback;
    }
    const result = check(raw, key);
    if (result instanceof Invalid) {
        problems.push(`${key}: ${show(raw)} ${result.reason}`);
        return fallback;
    }
    return result;
}

export const oneOf =
    <T extends string>(allowed: readonly T[]): Check<T> =>
    (v) =>
        typeof v === "string" && (allowed as readonly string[]).includes(v) ? (v as T) : new Invalid(`is not one of ${allowed.join(", ")}`);

export const wholeNumber =
    (min: number, max = Number.MAX_SAFE_INTEGER): Check<number> =>
    (v) => {
        const n = typeof v === "number" ? v : typeof v === "string" && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
        if (Number.isInteger(n) && n >= min && n <= max) return n;
        return new Invalid(max === Number.MAX_SAFE_INTEGER ? `is not a whole number of at least ${min}` : `is not a whole number from ${min} to ${max}`);
    };

export const port = wholeNumber(1, 65535);

/** Kubernetes' default --service-node-port-range; the API server's flag is not readable through the API. */
export const NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;

/** A fixed nodePort: the API server refuses one outside its range, so it is refused here first. */
export const nodePort: Check<number> = (v) => {
    const n = port(v);
    if (n instanceof Invalid) return n;
    return n >= NODE_PORT_RANGE.min && n <= NODE_PORT_RANGE.max
        ? n
        : new Invalid(`is outside the NodePort range, ${NODE_PORT_RANGE.min} to ${NODE_PORT_RANGE.max} (Kubernetes' default; leave it unset to have one allocated)`);
};

export const positiveNumber: Check<number> = (v) => {
    const n = typeof v === "number" ? v : typeof v === "string" && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : NaN;
    return Number.isFinite(n) && n > 0 ? n : new Invalid("is not a positive number such as 6.2");
};

export const bool: Check<boolean> = (v) =>
    v === true || v === "true" ? true : v === false || v === "false" ? false : new Invalid("is not true or false");

/**
 * Text as `pulumi config set --path` may store it: the CLI keeps true/false and whole numbers typed,
 * so `--path registry.username 12345` arrives as a number. Those are taken as the text that was typed.
 */
export function asText(v: unknown): string | undefined {
    return typeof v === "string" ? v : typeof v === "boolean" || (typeof v === "number" && Number.isSafeInteger(v)) ? String(v) : undefined;
}

export const pattern =
    (re: RegExp, max: number, what: string): Check<string> =>
    (v) => {
        const text = asText(v);
        return text !== undefined && text.length <= max && re.test(text) ? text : new Invalid(`is not ${what}`);
    };

export const dns1035 = (max: number): Check<string> =>
    pattern(DNS_1035_LABEL, max, `a DNS-1035 label of at most ${max} characters (lower-case letters, digits and '-', starting with a letter)`);

export const dns1123Label = pattern(DNS_1123_LABEL, 63, "a DNS-1123 label of at most 63 characters (lower-case letters, digits and '-')");

export const resourceName = pattern(DNS_1123_SUBDOMAIN, 253, "a Kubernetes object name (lower-case letters, digits, '-' and '.')");

export const portName = pattern(IANA_SERVICE_NAME, 15, "a port name of at most 15 characters (lower-case letters, digits and '-')");

export const nonEmptyString: Check<string> = (v) => (typeof v === "string" && v.trim() !== "" ? v : new Invalid("is not a non-empty string"));

export const cidr = (v: unknown): boolean => {
    if (typeof v !== "string") return false;
    const [ip, bits, ...rest] = v.split("/");
    const family = net.isIP(ip);
    return rest.length === 0 && family !== 0 && /^\d+$/.test(bits ?? "") && Number(bits) <= (family === 4 ? 32 : 128);
};

/**
 * A list whose items pass `ok`. The reason names the items that do not; a value that is no list (a
 * plain string, most often) is shown how a list is written, with that value as the item when it is one.
 */
export const listOf =
    (ok: (item: unknown) => boolean, what: string, example?: string): Check<string[]> =>
    (v, key) => {
        const list = typeof v === "string" ? parseJson(v) : v;
        if (!Array.isArray(list)) {
            const item = typeof v === "string" && ok(v) ? v : example;
            const syntax =
                item === undefined || key === undefined
                    ? ""
                    : `; a list is written ${JSON.stringify([item])}, or item by item: ${configCommand(`set --path '${key}[0]' ${item}`)}`;
            return new Invalid(`is not a list of ${what}${syntax}`);
        }
        const bad = list.flatMap((item, i) => (ok(item) ? [] : [`[${i}] ${show(item)}`]));
        if (bad.length === 0) return list as string[];
        const shown = bad.length > 3 ? `${bad.slice(0, 3).join(", ")}, … (${bad.length} in all)` : bad.join(", ");
        return new Invalid(`is not a list of ${what}: item${bad.length === 1 ? "" : "s"} ${shown} ${bad.length === 1 ? "is not one" : "are not"}`);
    };

export const cidrList = listOf(cidr, "CIDR ranges such as 203.0.113.0/24", "203.0.113.0/24");

export const nameList = listOf((s) => typeof s === "string" && s.trim() !== "", "names (non-empty strings)");

export const stringMap: Check<Record<string, string>> = (v) =>
    isPlainObject(v) && Object.values(v).every((x) => asText(x) !== undefined)
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asText(x)!]))
        : new Invalid("is not a map of strings to strings");

export function parseJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reports the keys of an object value that are not settings; returns the object (or {} if it is none). */
export function objectFields(problems: Problems, key: string, value: unknown, allowed: readonly string[]): Record<string, unknown> {
    if (!isPlainObject(value)) {
        problems.push(`${key}: ${show(value)} is not an object (set its fields with: ${configCommand(`set --path ${key}.<field> <value>`)})`);
        return {};
    }
    for (const unknownKey of Object.keys(value).filter((k) => !allowed.includes(k))) {
        problems.push(`${key}.${unknownKey}: is not a setting (allowed: ${allowed.join(", ")})`);
    }
    return value;
}

/** Parses an object-valued key as the CLI hands it over (JSON text) and reports unknown fields. */
export function objectValue(problems: Problems, key: string, raw: string | undefined, allowed: readonly string[]): Record<string, unknown> {
    if (raw === undefined) {
        return {};
    }
    const value = parseJson(raw);
    // The message shows the raw text, as the user typed it.
    return isPlainObject(value) ? objectFields(problems, key, value, allowed) : objectFields(problems, key, raw, allowed);
}
