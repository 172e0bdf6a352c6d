// The `services`, `pools`, `configMounts` and `dataMounts` settings: their types, defaults and checks.
// settings.ts hands over the raw values; everything here is plain parsing, no Pulumi.
import { DEFAULTS } from "./defaults";
import {
    Check, Invalid, Problems, bool, cidrList, dns1035, dns1123Label, isPlainObject, nameList, nodePort, objectFields, oneOf, parseJson,
    pattern, port, portName, resourceName, run, show, stringMap,
} from "./checks";
import { DNS_LABEL_MAX, VtmNames } from "./naming";
import { configCommand } from "./commands";

export const FRONTEND_TYPES = ["NodePort", "LoadBalancer", "ClusterIP"] as const;
export type FrontendType = (typeof FRONTEND_TYPES)[number];

export const PORT_PROTOCOLS = ["tcp", "udp"] as const;
export type PortProtocol = (typeof PORT_PROTOCOLS)[number];

export const MOUNT_TYPES = ["configMap", "secret"] as const;
export type MountType = (typeof MOUNT_TYPES)[number];

/** A Service of its own for one virtual server. */
export interface FrontendSettings {
    /** @default the exposure mode's type (NodePort, or LoadBalancer in LoadBalancer mode) */
    readonly type?: FrontendType;
    /** The Service port. @default the virtual server's port */
    readonly port?: number;
    /** A fixed nodePort. @default allocated by Kubernetes */
    readonly nodePort?: number;
    readonly annotations: Readonly<Record<string, string>>;
    readonly loadBalancerSourceRanges: readonly string[];
}

/** One virtual server, declared in stack config. */
export interface ServiceSettings {
    readonly name: string;
    /** The virtual server's protocol; vTM's own list is checked with the documents (vtm/). @default "http" */
    readonly protocol: string;
    readonly port: number;
    readonly pool: string;
    /** A kubernetes.io/tls Secret whose certificate and key terminate TLS on this service. */
    readonly tlsSecret?: string;
    readonly requestRules: readonly string[];
    readonly responseRules: readonly string[];
    /** A Service of its own; without it the service is a port of the shared `<name>-services` Service. */
    readonly frontend?: FrontendSettings;
}

/** One pool whose nodes come from a Kubernetes Service through DNS. */
export interface PoolSettings {
    readonly name: string;
    /** Undefined: the example backend's Service. */
    readonly serviceName?: string;
    /** @default the traffic manager's namespace (a short name) */
    readonly serviceNamespace?: string;
    /** The Service port's name for an SRV lookup. */
    readonly portName?: string;
    readonly portProtocol?: PortProtocol;
    /** An explicit port: an address lookup instead of an SRV lookup. */
    readonly port?: number;
    /** TLS to the backends. @default false */
    readonly tls: boolean;
    /** @default [] */
    readonly monitors: readonly string[];
    /** Checked against vTM's list with the documents (vtm/). @default vTM's own (round_robin) */
    readonly algorithm?: string;
}

/** An existing ConfigMap or Secret mounted into the importer's directories. */
export interface MountSettings {
    readonly name: string;
    /** @default "configMap" */
    readonly type: MountType;
    /** Only these keys, each at its path. @default every key at its own name */
    readonly items?: readonly { readonly key: string; readonly path: string }[];
}

/** A name from vTM's own lists (a protocol, an algorithm): the list itself is checked with the documents. */
const vtmName = pattern(/^[a-z][a-z0-9_]*$/, 64, "a vTM name such as http or round_robin (lower-case letters, digits and '_')");

/** Service names are port names of the shared Service too: IANA service names of at most 15 characters. */
const SERVICE_NAME: Check<string> = (v) =>
    portName(v) instanceof Invalid
        ? new Invalid("is not a service name: at most 15 lower-case letters, digits and '-', starting with a letter")
        : dns1035(15)(v);

/** Pool names appear in configuration file names: letters, digits, '.', '_' and '-', at most 63. */
const POOL_NAME = /^[A-Za-z0-9]([-._A-Za-z0-9]{0,62})$/;

const SERVICE_FIELDS = ["protocol", "port", "pool", "tlsSecret", "requestRules", "responseRules", "frontend"] as const;
const FRONTEND_FIELDS = ["type", "port", "nodePort", "annotations", "loadBalancerSourceRanges"] as const;
const POOL_FIELDS = ["serviceName", "serviceNamespace", "portName", "portProtocol", "port", "tls", "monitors", "algorithm"] as const;
const MOUNT_FIELDS = ["name", "type", "items"] as const;

/** A map-valued key: its entries, or nothing after recording why it is not a map. */
function mapEntries(problems: Problems, key: string, raw: unknown): [string, unknown][] {
    const value = typeof raw === "string" ? parseJson(raw) : raw;
    if (!isPlainObject(value)) {
        problems.push(`${key}: ${show(raw)} is not a map of names to objects (set one with: ${configCommand(`set --path '${key}.<name>.<field>' <value>`)})`);
        return [];
    }
    // Sorted, so the same settings always give the same objects in the same order.
    return Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function parseFrontend(problems: Problems, key: string, raw: unknown): FrontendSettings | undefined {
    if (raw === undefined) return undefined;
    const o = objectFields(problems, key, raw, FRONTEND_FIELDS);
    const frontend: FrontendSettings = {
        type: run(problems, `${key}.type`, o.type, undefined as FrontendType | undefined, oneOf(FRONTEND_TYPES)),
        port: run(problems, `${key}.port`, o.port, undefined as number | undefined, port),
        nodePort: run(problems, `${key}.nodePort`, o.nodePort, undefined as number | undefined, nodePort),
        annotations: run(problems, `${key}.annotations`, o.annotations, {}, stringMap),
        loadBalancerSourceRanges: run(problems, `${key}.loadBalancerSourceRanges`, o.loadBalancerSourceRanges, [], cidrList),
    };
    if (frontend.type === "ClusterIP" && frontend.nodePort !== undefined) {
        problems.push(`${key}.nodePort: ${frontend.nodePort} needs type NodePort or LoadBalancer (type is ClusterIP)`);
    }
    if (frontend.type !== undefined && frontend.type !== "LoadBalancer" && frontend.loadBalancerSourceRanges.length > 0) {
        problems.push(`${key}.loadBalancerSourceRanges: only applies to type LoadBalancer (type is ${frontend.type})`);
    }
    return frontend;
}

/** Services with a field that was refused (and so holds a fallback value). */
const PARTIAL = new WeakSet<ServiceSettings>();

function parseService(problems: Problems, name: string, raw: unknown): ServiceSettings {
    const reported = problems.length;
    const service = parseServiceFields(problems, name, raw);
    if (problems.length > reported) PARTIAL.add(service);
    return service;
}

function parseServiceFields(problems: Problems, name: string, raw: unknown): ServiceSettings {
    const key = `services.${name}`;
    run(problems, key, name, name, SERVICE_NAME);
    const o = objectFields(problems, key, raw, SERVICE_FIELDS);
    // A value that is no object is one mistake, reported once: its fields are not missing as well.
    if (isPlainObject(raw) && o.port === undefined) problems.push(`${key}.port: is required: the port the virtual server listens on (1 to 65535)`);
    if (isPlainObject(raw) && o.pool === undefined) problems.push(`${key}.pool: is required: a pool from pools, a pool in a document, or discard`);
    return {
        name,
        protocol: run(problems, `${key}.protocol`, o.protocol, DEFAULTS.service.protocol, vtmName),
        port: run(problems, `${key}.port`, o.port, 0, port),
        pool: run(problems, `${key}.pool`, o.pool, "", (v) => (typeof v === "string" && v !== "" ? v : new Invalid("is not a pool name"))),
        tlsSecret: run(problems, `${key}.tlsSecret`, o.tlsSecret, undefined as string | undefined, resourceName),
        requestRules: run(problems, `${key}.requestRules`, o.requestRules, [], nameList),
        responseRules: run(problems, `${key}.responseRules`, o.responseRules, [], nameList),
        frontend: parseFrontend(problems, `${key}.frontend`, o.frontend),
    };
}

function parsePool(problems: Problems, name: string, raw: unknown, backendEnabled: boolean): PoolSettings {
    const key = `pools.${name}`;
    if (!POOL_NAME.test(name)) {
        problems.push(`${key}: ${show(name)} is not a pool name (at most 63 letters, digits, '.', '_' and '-', starting with a letter or digit)`);
    }
    const o = objectFields(problems, key, raw, POOL_FIELDS);
    const serviceName = run(problems, `${key}.serviceName`, o.serviceName === "" ? undefined : o.serviceName, undefined as string | undefined, dns1035(63));
    if (serviceName === undefined && !backendEnabled) {
        problems.push(
            `${key}.serviceName: is required when backend.enabled is false: name the Service whose pods the pool balances over ` +
                `(${configCommand(`set --path '${key}.serviceName' <service>`)})`,
        );
    }
    const pool: PoolSettings = {
        name,
        serviceName,
        serviceNamespace: run(problems, `${key}.serviceNamespace`, o.serviceNamespace, undefined as string | undefined, dns1123Label),
        portName: run(problems, `${key}.portName`, o.portName, undefined as string | undefined, portName),
        portProtocol: run(problems, `${key}.portProtocol`, o.portProtocol, undefined as PortProtocol | undefined, oneOf(PORT_PROTOCOLS)),
        port: run(problems, `${key}.port`, o.port, undefined as number | undefined, port),
        tls: run(problems, `${key}.tls`, o.tls, false, bool),
        monitors: run(problems, `${key}.monitors`, o.monitors, [], nameList),
        algorithm: run(problems, `${key}.algorithm`, o.algorithm, undefined as string | undefined, vtmName),
    };
    // The plugin takes either a host name and port or an SRV name, never both.
    for (const field of ["portName", "portProtocol"] as const) {
        if (pool.port !== undefined && pool[field] !== undefined) {
            problems.push(
                `${key}.${field}: cannot be combined with ${key}.port (with a port the pool looks up the Service's addresses; ` +
                    `without one it finds the port by an SRV lookup of the port's name and protocol)`,
            );
        }
    }
    return pool;
}

function parseMount(problems: Problems, key: string, raw: unknown): MountSettings {
    const o = objectFields(problems, key, raw, MOUNT_FIELDS);
    if (o.name === undefined) problems.push(`${key}.name: is required: the name of an existing ConfigMap or Secret`);
    return {
        name: run(problems, `${key}.name`, o.name, "", resourceName),
        type: run(problems, `${key}.type`, o.type, "configMap" as MountType, oneOf(MOUNT_TYPES)),
        items: o.items === undefined ? undefined : parseItems(problems, `${key}.items`, o.items),
    };
}

/** A mounted item's path: relative, inside the mount directory. */
const ITEM_PATH = /^(?!\.\.?(\/|$))(?!.*\/\.\.?(\/|$))[^/\0][^\0]*$/;

function parseItems(problems: Problems, key: string, raw: unknown): { key: string; path: string }[] {
    if (!Array.isArray(raw) || raw.length === 0) {
        problems.push(`${key}: ${show(raw)} is not a non-empty list of {key, path}`);
        return [];
    }
    return raw.map((item, i) => {
        const o = objectFields(problems, `${key}[${i}]`, item, ["key", "path"]);
        const itemKey = run(problems, `${key}[${i}].key`, o.key, "", pattern(/^[-._a-zA-Z0-9]+$/, 253, "a ConfigMap or Secret key"));
        const path = run(problems, `${key}[${i}].path`, o.path ?? itemKey, itemKey, (v) =>
            typeof v === "string" && ITEM_PATH.test(v) && !v.endsWith("/") ? v : new Invalid("is not a relative file path inside the mount (no leading '/', no '..')"),
        );
        if (o.key === undefined) problems.push(`${key}[${i}].key: is required`);
        return { key: itemKey, path };
    });
}

/**
 * The entries of `services` or `pools`, each set over the default entry of its name: setting one field
 * of the default service or pool (`pools.example-pool.algorithm`) keeps its other fields, whether it
 * came from --set or from a stack file that `pulumi config set --path` wrote the entry into.
 */
function overDefaults(problems: Problems, key: string, raw: unknown, defaults: Readonly<Record<string, unknown>>): [string, unknown][] {
    // The defaults go through the same checks as any value: they obey the same rules.
    if (raw === undefined) return Object.entries(defaults);
    return mapEntries(problems, key, raw).map(([name, value]) => {
        const base = Object.hasOwn(defaults, name) ? defaults[name] : undefined;
        return [name, isPlainObject(base) && isPlainObject(value) ? { ...base, ...value } : value];
    });
}

export function parseServices(problems: Problems, raw: unknown): ServiceSettings[] {
    return overDefaults(problems, "services", raw, DEFAULTS.services).map(([name, value]) => parseService(problems, name, value));
}

export function parsePools(problems: Problems, raw: unknown, backendEnabled: boolean): PoolSettings[] {
    return overDefaults(problems, "pools", raw, DEFAULTS.pools).map(([name, value]) => parsePool(problems, name, value, backendEnabled));
}

export function parseMounts(problems: Problems, key: string, raw: unknown): MountSettings[] {
    if (raw === undefined) return [];
    const list = typeof raw === "string" ? parseJson(raw) : raw;
    if (!Array.isArray(list)) {
        problems.push(`${key}: ${show(raw)} is not a list of {name, type, items} (${configCommand(`set --path '${key}[0].name' <name>`)})`);
        return [];
    }
    return list.map((item, i) => parseMount(problems, `${key}[${i}]`, item));
}

/** What the services must not collide with: Service names and nodePorts already taken, by whom. */
export interface Taken {
    readonly serviceNames: ReadonlyMap<string, string>;
    readonly nodePorts: ReadonlyMap<number, string>;
}

/**
 * Checks across services of what Kubernetes decides: nodePorts that clash and Service names that do not
 * fit or collide. Listening ports are vTM's business and are checked with the documents (vtm/validation.ts).
 */
export function checkServices(problems: Problems, services: readonly ServiceSettings[], names: VtmNames, taken: Taken): void {
    const nodePorts = new Map(taken.nodePorts);
    for (const service of services) {
        const key = `services.${service.name}`;
        // A service with a broken field was reported already; comparing its fallback values would only mislead.
        if (PARTIAL.has(service)) continue;
        const nodePort = service.frontend?.nodePort;
        if (nodePort !== undefined) {
            if (nodePorts.has(nodePort)) problems.push(`${key}.frontend.nodePort: ${nodePort} is already used by ${nodePorts.get(nodePort)}`);
            nodePorts.set(nodePort, key);
        }
        if (service.frontend !== undefined) {
            const serviceName = names.frontendService(service.name);
            if (serviceName.length > DNS_LABEL_MAX) {
                problems.push(`${key}: its Service name '${serviceName}' is longer than ${DNS_LABEL_MAX} characters; use a shorter service name or name prefix`);
            } else if (taken.serviceNames.has(serviceName)) {
                problems.push(`${key}: its Service name '${serviceName}' is already used by ${taken.serviceNames.get(serviceName)}; rename the service`);
            }
        }
    }
}
