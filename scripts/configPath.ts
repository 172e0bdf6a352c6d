// `--set key=value` as `pulumi config set [--path] key value` takes it: a key, or a key with a path into
// its object or list (`pools.web.monitors[0]`, `imagePullSecrets[1]`, `a["dotted.name"]`), and a value
// stored the way the CLI stores it (true/false and whole numbers typed, the rest as text). A path that
// cannot be read, or a value that looks like JSON but is not, is refused with a message, never ignored.

export type PathSegment = string | number;

/** A `--set` key: the full config key (`<namespace>:<name>`) and the path inside its value. */
export interface ConfigPath {
    readonly key: string;
    readonly path: readonly PathSegment[];
}

export class SetError extends Error {}

/** Reads `[namespace:]name(.field|[index]|["quoted"])*`. */
export function parseConfigPath(setting: string, project: string): ConfigPath {
    const fail = (why: string): never => {
        throw new SetError(`--set '${setting}': ${why}; a key is written as npm run pulumi -- config set --path takes it, e.g. pools.web.monitors[0] or imagePullSecrets[1]`);
    };
    const head = /^([^.[\]"]+)/.exec(setting);
    if (head === null) fail("does not start with a key");
    const name = head![1];
    const key = name.includes(":") ? name : `${project}:${name}`;
    const path: PathSegment[] = [];
    let rest = setting.slice(name.length);
    while (rest !== "") {
        let m: RegExpExecArray | null;
        if ((m = /^\.([^.[\]"]+)/.exec(rest))) path.push(m[1]);
        else if ((m = /^\[(\d+)\]/.exec(rest))) path.push(Number(m[1]));
        else if ((m = /^\["((?:[^"\\]|\\.)*)"\]/.exec(rest))) path.push(JSON.parse(`"${m[1]}"`) as string);
        else fail(`cannot read '${rest}' (expected .field, [index] or ["name"])`);
        rest = rest.slice(m![0].length);
    }
    return { key, path };
}

/** A value that starts like JSON must be JSON: "invalid JSON" with the position, not a silent string. */
export function checkJson(setting: string, raw: string): unknown {
    if (!/^\s*[[{]/.test(raw)) return undefined;
    try {
        return JSON.parse(raw);
    } catch (err) {
        throw new SetError(`--set '${setting}': invalid JSON: ${(err as Error).message}`);
    }
}

/** A path's value as the CLI stores it: true/false and whole numbers typed, JSON objects and lists parsed, the rest text. */
export function pathValue(setting: string, raw: string): unknown {
    const json = checkJson(setting, raw);
    if (json !== undefined) return json;
    if (raw === "true" || raw === "false") return raw === "true";
    if (/^-?(0|[1-9]\d*)$/.test(raw) && Number.isSafeInteger(Number(raw))) return Number(raw);
    return raw;
}

/** Sets `path` inside `target` (made an object or list as its next segment asks); returns the new value. */
export function setAtPath(setting: string, target: unknown, path: readonly PathSegment[], value: unknown): unknown {
    if (path.length === 0) return value;
    const [segment, ...rest] = path;
    const where = (container: string) => `--set '${setting}': ${container} at '${String(segment)}'`;
    if (typeof segment === "number") {
        const list = target === undefined ? [] : target;
        if (!Array.isArray(list)) throw new SetError(`${where("the value is not a list")} (it is ${JSON.stringify(target)})`);
        if (segment > list.length) throw new SetError(`${where("index")}: ${segment} is past the end of the list (it has ${list.length} item${list.length === 1 ? "" : "s"}; the next is [${list.length}])`);
        const copy = [...list];
        copy[segment] = setAtPath(setting, copy[segment], rest, value);
        return copy;
    }
    const object = target === undefined ? {} : target;
    if (typeof object !== "object" || object === null || Array.isArray(object)) throw new SetError(`${where("the value is not an object")} (it is ${JSON.stringify(target)})`);
    const record = object as Record<string, unknown>;
    return { ...record, [segment]: setAtPath(setting, record[segment], rest, value) };
}
