// The production settings: admin interfaces, NetworkPolicy, pod security and placement, availability,
// waits, registry credentials and image pinning. Their types, defaults and checks; settings.ts hands
// over the raw values.
import { configCommand } from "./commands";
import { DEFAULTS } from "./defaults";
import {
    Check, Invalid, Problems, bool, cidrList, isPlainObject, nameList, nodePort, objectFields, oneOf, parseJson, pattern, resourceName, run, show,
    stringMap, wholeNumber,
} from "./checks";
import { LICENSING_ENV } from "./licensing";
import { ADVISORY_TABLE } from "./advisories";

export const ADMIN_SERVICE_TYPES = ["ClusterIP", "NodePort", "LoadBalancer"] as const;
export type AdminServiceType = (typeof ADMIN_SERVICE_TYPES)[number];

export interface AdminServiceSettings {
    /** @default "ClusterIP": reach it with kubectl port-forward; the dev stack sets NodePort, as upstream */
    readonly type: AdminServiceType;
    /** Fixed nodePorts for the web UI and the REST API. @default allocated */
    readonly nodePorts: { readonly webui?: number; readonly restapi?: number };
    readonly loadBalancerSourceRanges: readonly string[];
    readonly annotations: Readonly<Record<string, string>>;
    /** A LoadBalancer without source ranges is refused unless this is true. @default false */
    readonly allowPublicLoadBalancer: boolean;
}

export interface NetworkPolicySettings {
    /** @default false */
    readonly enabled: boolean;
    /** CIDRs that may reach the admin ports 9090 and 9070. @default [] */
    readonly adminCidrs: readonly string[];
    /** Namespaces whose pods may reach the admin ports. @default [] */
    readonly adminNamespaces: readonly string[];
}

export interface SecuritySettings {
    /** Drop every capability and add back only what vTM needs. @default true (false: the runtime's defaults plus SYS_RESOURCE, as upstream) */
    readonly dropAllCapabilities: boolean;
    /** More capabilities to add, if the image needs one the program does not know of. @default [] */
    readonly extraCapabilities: readonly string[];
    /**
     * The advisories (CVE ids) whose risk the user accepts for admin interfaces reachable from outside the
     * cluster (settings/adminExposure.ts). @default [] (an affected or unknown release's admin interfaces stay inside the cluster)
     */
    readonly acceptAdminExposure: readonly string[];
}

export interface ResourceSettings {
    readonly requests: Readonly<Record<string, string>>;
    readonly limits: Readonly<Record<string, string>>;
}

export interface Toleration {
    readonly key?: string;
    readonly operator?: "Exists" | "Equal";
    readonly value?: string;
    readonly effect?: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
    readonly tolerationSeconds?: number;
}

export interface AvailabilitySettings {
    /** A PodDisruptionBudget when there is more than one replica. @default true */
    readonly podDisruptionBudget: boolean;
    /** Pods that may be down at once, in a disruption or a rolling update. @default 1 */
    readonly maxUnavailable: number;
    /** Replicas spread over this node label. @default "kubernetes.io/hostname" */
    readonly spreadTopologyKey: string;
}

export interface WaitSettings {
    /** How long `pulumi up` waits for the Deployment's pods to be ready; 0 does not wait. @default 600 */
    readonly deploymentSeconds: number;
    /** How long it waits for the admin balancer's address and the example backend's Service; 0 does not wait. @default 600 */
    readonly serviceSeconds: number;
}

export interface RegistrySettings {
    readonly server: string;
    readonly username: string;
    readonly email: string;
}

export interface ProductionSettings {
    readonly adminService: AdminServiceSettings;
    readonly networkPolicy: NetworkPolicySettings;
    readonly security: SecuritySettings;
    readonly resources: ResourceSettings;
    readonly nodeSelector: Readonly<Record<string, string>>;
    readonly tolerations: readonly Toleration[];
    /** Passed to the pod as written (an object with nodeAffinity, podAffinity, podAntiAffinity). */
    readonly affinity?: Readonly<Record<string, unknown>>;
    readonly priorityClassName?: string;
    /** More environment variables for the traffic manager (ZEUS_PACKAGES, …). */
    readonly extraEnv: Readonly<Record<string, string>>;
    readonly availability: AvailabilitySettings;
    readonly wait: WaitSettings;
    readonly registry: RegistrySettings;
    /** Pins the image: `<image>@<digest>`. */
    readonly imageDigest?: string;
    /** Changing it generates a new admin password. */
    readonly adminPasswordRotation: string;
}

/** The raw values of the production keys, as settings.ts reads them. */
export type RawProduction = Partial<Record<
    | "adminService" | "networkPolicy" | "security" | "resources" | "nodeSelector" | "tolerations" | "affinity" | "priorityClassName"
    | "extraEnv" | "availability" | "wait" | "registry" | "imageDigest" | "adminPasswordRotation",
    string
>>;

/** Environment variables the program sets itself: overriding them would break the deployment. */
export const MANAGED_ENV = ["ZEUS_EULA", "ZEUS_COMMUNITY_EDITION", "ZEUS_WATCHED_CONFIG", "ZEUS_CONFIG_IMPORT_ARGS", "ZEUS_PASS"] as const;

/** The setting that controls each variable the program sets, for the message that refuses it in extraEnv. */
const MANAGED_BY: Readonly<Record<(typeof MANAGED_ENV)[number], string>> = {
    ZEUS_EULA: "eula",
    ZEUS_COMMUNITY_EDITION: "licensing.mode",
    ZEUS_WATCHED_CONFIG: "documents, configMounts and dataMounts (the program watches /import)",
    ZEUS_CONFIG_IMPORT_ARGS: "none: the program's own import of the configuration documents",
    ZEUS_PASS: `adminPassword (${configCommand("set --secret adminPassword <password>")})`,
};

const CAPABILITY = /^[A-Z][A-Z_]*$/;
/** Kubernetes resource quantities, e.g. 500m, 2, 1.5, 2Gi, 512M. */
const QUANTITY = /^([0-9]+(\.[0-9]+)?|\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** The placeholder Pulumi.prod.yaml ships: refused, so that a copied stack never pins an image that does not exist. */
export const PLACEHOLDER_DIGEST = `sha256:${"0".repeat(64)}`;

const fieldsOf = (raw: string | undefined): unknown => (raw === undefined ? {} : parseJson(raw) ?? raw);

function parseAdminService(problems: Problems, raw: string | undefined): AdminServiceSettings {
    const d = DEFAULTS.adminService;
    const o = objectFields(problems, "adminService", fieldsOf(raw), Object.keys(d));
    const nodePorts = o.nodePorts === undefined ? {} : objectFields(problems, "adminService.nodePorts", o.nodePorts, ["webui", "restapi"]);
    const settings: AdminServiceSettings = {
        type: run(problems, "adminService.type", o.type, d.type, oneOf(ADMIN_SERVICE_TYPES)),
        nodePorts: {
            webui: run(problems, "adminService.nodePorts.webui", nodePorts.webui, undefined as number | undefined, nodePort),
            restapi: run(problems, "adminService.nodePorts.restapi", nodePorts.restapi, undefined as number | undefined, nodePort),
        },
        loadBalancerSourceRanges: run(problems, "adminService.loadBalancerSourceRanges", o.loadBalancerSourceRanges, d.loadBalancerSourceRanges, cidrList),
        annotations: run(problems, "adminService.annotations", o.annotations, d.annotations, stringMap),
        allowPublicLoadBalancer: run(problems, "adminService.allowPublicLoadBalancer", o.allowPublicLoadBalancer, d.allowPublicLoadBalancer, bool),
    };
    if (settings.type === "LoadBalancer" && settings.loadBalancerSourceRanges.length === 0 && !settings.allowPublicLoadBalancer) {
        problems.push(
            "adminService.loadBalancerSourceRanges: is empty, so a LoadBalancer would open the admin UI and REST API to anyone who " +
                "can reach the balancer; list the CIDRs allowed in, or set adminService.allowPublicLoadBalancer to true if that is what you want",
        );
    }
    const typeRefused = o.type !== undefined && !(ADMIN_SERVICE_TYPES as readonly unknown[]).includes(o.type);
    if (!typeRefused && settings.type === "ClusterIP" && (settings.nodePorts.webui !== undefined || settings.nodePorts.restapi !== undefined)) {
        problems.push("adminService.nodePorts: need type NodePort or LoadBalancer (type is ClusterIP)");
    }
    if (settings.nodePorts.webui !== undefined && settings.nodePorts.webui === settings.nodePorts.restapi) {
        problems.push(`adminService.nodePorts.restapi: ${settings.nodePorts.restapi} is already used by adminService.nodePorts.webui`);
    }
    return settings;
}

function parseNetworkPolicy(problems: Problems, raw: string | undefined): NetworkPolicySettings {
    const d = DEFAULTS.networkPolicy;
    const o = objectFields(problems, "networkPolicy", fieldsOf(raw), Object.keys(d));
    return {
        enabled: run(problems, "networkPolicy.enabled", o.enabled, d.enabled, bool),
        adminCidrs: run(problems, "networkPolicy.adminCidrs", o.adminCidrs, d.adminCidrs, cidrList),
        adminNamespaces: run(problems, "networkPolicy.adminNamespaces", o.adminNamespaces, d.adminNamespaces, nameList),
    };
}

const KNOWN_ADVISORIES = ADVISORY_TABLE.advisories.map((a) => a.id);

/** A list of the advisory table's CVE ids (one id alone is taken as a list of one). */
const advisoryIds: Check<readonly string[]> = (v) => {
    const list = typeof v === "string" ? [v] : v;
    if (!Array.isArray(list) || !list.every((id) => typeof id === "string")) return new Invalid(`is not a list of advisory ids (known: ${KNOWN_ADVISORIES.join(", ")})`);
    const unknown = list.filter((id) => !KNOWN_ADVISORIES.includes(id));
    return unknown.length === 0 ? [...new Set(list as string[])] : new Invalid(`names ${unknown.map((id) => `'${id}'`).join(", ")}, not an advisory of the table (settings/vtm-advisories.json knows ${KNOWN_ADVISORIES.join(", ")})`);
};

function parseSecurity(problems: Problems, raw: string | undefined): SecuritySettings {
    const d = DEFAULTS.security;
    const o = objectFields(problems, "security", fieldsOf(raw), Object.keys(d));
    return {
        dropAllCapabilities: run(problems, "security.dropAllCapabilities", o.dropAllCapabilities, d.dropAllCapabilities, bool),
        extraCapabilities: run(problems, "security.extraCapabilities", o.extraCapabilities, d.extraCapabilities, (v) =>
            Array.isArray(v) && v.every((c) => typeof c === "string" && CAPABILITY.test(c) && c !== "ALL")
                ? (v as string[])
                : new Invalid("is not a list of capability names such as NET_RAW (upper case, without CAP_)"),
        ),
        acceptAdminExposure: run(problems, "security.acceptAdminExposure", o.acceptAdminExposure, d.acceptAdminExposure, advisoryIds),
    };
}

const quantities =
    (key: string): Check<Record<string, string>> =>
    (v) => {
        if (!isPlainObject(v)) return new Invalid("is not a map of cpu and memory quantities");
        for (const [name, q] of Object.entries(v)) {
            if (!["cpu", "memory", "ephemeral-storage"].includes(name)) return new Invalid(`has '${name}' (allowed: cpu, memory, ephemeral-storage)`);
            if (typeof q !== "string" && typeof q !== "number") return new Invalid(`has ${key}.${name} that is not a quantity such as 500m or 2Gi`);
            if (!QUANTITY.test(String(q))) return new Invalid(`has ${name} ${show(q)}, not a quantity such as 500m or 2Gi`);
        }
        return Object.fromEntries(Object.entries(v).map(([k, q]) => [k, String(q)]));
    };

const QUANTITY_SUFFIXES: Record<string, number> = {
    "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
    Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** A quantity's value in base units (cores, bytes). */
export function quantityValue(quantity: string): number {
    const [, number, , suffix] = QUANTITY.exec(quantity) ?? [];
    return Number(number) * QUANTITY_SUFFIXES[suffix ?? ""];
}

/** The default requests, each lowered to its limit when the user set a smaller one (Kubernetes refuses a request above its limit). */
function defaultRequests(limits: Readonly<Record<string, string>>): Record<string, string> {
    const requests: Record<string, string> = { ...DEFAULTS.resources.requests };
    for (const [name, limit] of Object.entries(limits)) {
        if (requests[name] !== undefined && quantityValue(limit) < quantityValue(requests[name])) requests[name] = limit;
    }
    return requests;
}

function parseResources(problems: Problems, raw: string | undefined): ResourceSettings {
    const o = objectFields(problems, "resources", fieldsOf(raw), ["requests", "limits"]);
    const limits = run(problems, "resources.limits", o.limits, {}, quantities("limits"));
    const resources = {
        requests: run(problems, "resources.requests", o.requests, defaultRequests(limits), quantities("requests")),
        limits,
    };
    // Kubernetes refuses a pod whose request is above its limit.
    for (const [name, request] of Object.entries(resources.requests)) {
        const limit = resources.limits[name];
        if (limit !== undefined && quantityValue(request) > quantityValue(limit)) {
            problems.push(`resources.requests.${name}: '${request}' is more than resources.limits.${name} '${limit}'; a request cannot be above its limit`);
        }
    }
    return resources;
}

const TOLERATION_FIELDS = ["key", "operator", "value", "effect", "tolerationSeconds"];

function parseTolerations(problems: Problems, raw: string | undefined): Toleration[] {
    if (raw === undefined) return [];
    const list = parseJson(raw);
    if (!Array.isArray(list)) {
        problems.push(`tolerations: ${show(raw)} is not a list of tolerations ({key, operator, value, effect, tolerationSeconds})`);
        return [];
    }
    return list.map((item, i) => {
        const key = `tolerations[${i}]`;
        const o = objectFields(problems, key, item, TOLERATION_FIELDS);
        const toleration: Toleration = {
            key: run(problems, `${key}.key`, o.key, undefined as string | undefined, pattern(LABEL_KEY, 317, "a label key")),
            operator: run(problems, `${key}.operator`, o.operator, undefined as Toleration["operator"], oneOf(["Exists", "Equal"] as const)),
            value: run(problems, `${key}.value`, o.value, undefined as string | undefined, pattern(/^.{0,63}$/, 63, "a label value")),
            effect: run(problems, `${key}.effect`, o.effect, undefined as Toleration["effect"], oneOf(["NoSchedule", "PreferNoSchedule", "NoExecute"] as const)),
            tolerationSeconds: run(problems, `${key}.tolerationSeconds`, o.tolerationSeconds, undefined as number | undefined, wholeNumber(0)),
        };
        if (toleration.operator === "Exists" && toleration.value !== undefined) problems.push(`${key}.value: must be empty when operator is Exists`);
        if (toleration.tolerationSeconds !== undefined && toleration.effect !== "NoExecute") {
            problems.push(`${key}.tolerationSeconds: only applies with effect NoExecute`);
        }
        return toleration;
    });
}

const AFFINITY_KINDS = ["nodeAffinity", "podAffinity", "podAntiAffinity"];

function parseAffinity(problems: Problems, raw: string | undefined): Record<string, unknown> | undefined {
    if (raw === undefined) return undefined;
    const o = objectFields(problems, "affinity", fieldsOf(raw), AFFINITY_KINDS);
    return Object.keys(o).length > 0 ? o : undefined;
}

const labelMap = (what: string): Check<Record<string, string>> => (v) => {
    const map = stringMap(v);
    if (map instanceof Invalid) return map;
    const bad = Object.keys(map).find((k) => !LABEL_KEY.test(k));
    return bad === undefined ? map : new Invalid(`has '${bad}', which is not a ${what} key`);
};

function parseExtraEnv(problems: Problems, raw: string | undefined): Record<string, string> {
    const env = run(problems, "extraEnv", fieldsOf(raw), {}, stringMap);
    for (const name of Object.keys(env)) {
        if (!ENV_NAME.test(name)) problems.push(`extraEnv.${name}: is not an environment variable name (letters, digits and '_')`);
        if ((MANAGED_ENV as readonly string[]).includes(name)) {
            problems.push(`extraEnv.${name}: is set by the program itself; the setting that controls it: ${MANAGED_BY[name as (typeof MANAGED_ENV)[number]]}`);
        } else if ((LICENSING_ENV as readonly string[]).includes(name)) {
            problems.push(`extraEnv.${name}: is set by the program from the licensing setting (${LICENSING_ENV.join(", ")}); use licensing (docs/configuration.md, Licensing)`);
        }
    }
    return env;
}

function parseAvailability(problems: Problems, raw: string | undefined): AvailabilitySettings {
    const d = DEFAULTS.availability;
    const o = objectFields(problems, "availability", fieldsOf(raw), Object.keys(d));
    return {
        podDisruptionBudget: run(problems, "availability.podDisruptionBudget", o.podDisruptionBudget, d.podDisruptionBudget, bool),
        maxUnavailable: run(problems, "availability.maxUnavailable", o.maxUnavailable, d.maxUnavailable, wholeNumber(1)),
        spreadTopologyKey: run(problems, "availability.spreadTopologyKey", o.spreadTopologyKey, d.spreadTopologyKey, pattern(LABEL_KEY, 317, "a node label key such as topology.kubernetes.io/zone")),
    };
}

function parseWait(problems: Problems, raw: string | undefined): WaitSettings {
    const d = DEFAULTS.wait;
    const o = objectFields(problems, "wait", fieldsOf(raw), Object.keys(d));
    return {
        deploymentSeconds: run(problems, "wait.deploymentSeconds", o.deploymentSeconds, d.deploymentSeconds, wholeNumber(0)),
        serviceSeconds: run(problems, "wait.serviceSeconds", o.serviceSeconds, d.serviceSeconds, wholeNumber(0)),
    };
}

function parseRegistry(problems: Problems, raw: string | undefined): RegistrySettings {
    const d = DEFAULTS.registry;
    const o = objectFields(problems, "registry", fieldsOf(raw), Object.keys(d));
    return {
        server: run(problems, "registry.server", o.server, d.server, pattern(/^$|^[^\s/]+(\/[^\s]*)?$/, 253, "a registry host such as registry.example.com")),
        username: run(problems, "registry.username", o.username, d.username, pattern(/^[^\s:]*$/, 253, "a user name (no spaces or ':')")),
        email: run(problems, "registry.email", o.email, d.email, pattern(/^$|^[^\s@]+@[^\s@]+$/, 253, "an e-mail address")),
    };
}

const digestPattern = pattern(DIGEST, 71, "an image digest: sha256: and 64 lower-case hex digits");
const imageDigest: Check<string> = (v) =>
    v === PLACEHOLDER_DIGEST
        ? new Invalid("is the placeholder of Pulumi.prod.yaml, not your image's digest; set the digest of your image (docker buildx imagetools inspect <image>), or unset imageDigest to use the image by tag")
        : digestPattern(v);

export function parseProduction(problems: Problems, raw: RawProduction, replicas: number): ProductionSettings {
    const availability = parseAvailability(problems, raw.availability);
    if (availability.maxUnavailable >= replicas && replicas > 1) {
        problems.push(`availability.maxUnavailable: ${availability.maxUnavailable} would let every one of the ${replicas} replicas go down at once; use at most ${replicas - 1}`);
    }
    const digest = raw.imageDigest === "" ? undefined : raw.imageDigest;
    return {
        adminService: parseAdminService(problems, raw.adminService),
        networkPolicy: parseNetworkPolicy(problems, raw.networkPolicy),
        security: parseSecurity(problems, raw.security),
        resources: parseResources(problems, raw.resources),
        nodeSelector: run(problems, "nodeSelector", fieldsOf(raw.nodeSelector), {}, labelMap("label")),
        tolerations: parseTolerations(problems, raw.tolerations),
        affinity: parseAffinity(problems, raw.affinity),
        priorityClassName: run(problems, "priorityClassName", raw.priorityClassName === "" ? undefined : raw.priorityClassName, undefined as string | undefined, resourceName),
        extraEnv: parseExtraEnv(problems, raw.extraEnv),
        availability,
        wait: parseWait(problems, raw.wait),
        registry: parseRegistry(problems, raw.registry),
        imageDigest: run(problems, "imageDigest", digest, undefined as string | undefined, imageDigest),
        adminPasswordRotation: run(problems, "adminPasswordRotation", raw.adminPasswordRotation, DEFAULTS.adminPasswordRotation, pattern(/^.{0,253}$/s, 253, "a string of at most 253 characters")),
    };
}
