// The `licensing` setting: how the traffic manager is licensed, one mode at a time: the community
// edition (the seed's), a licence key file, or self-registration with a Services Director. Its types
// and checks; settings.ts hands over the raw object and the two secret keys.
import * as net from "net";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULTS, LICENSING_DEFAULTS, LICENSING_MODES, LicensingMode } from "./defaults";
import { Check, DNS_1123_SUBDOMAIN, Invalid, Problems, bool, objectValue, oneOf, pattern, port, resourceName, run } from "./checks";
import { configCommand } from "./commands";

export interface CommunityLicensing {
    readonly mode: "community";
}

/** The licence file: in an existing Secret, or given as a secret config value from which the program makes one. */
export type LicenseSource =
    | { readonly from: "secret"; readonly secretName: string; readonly key: string }
    | { readonly from: "config"; readonly text: pulumi.Output<string> };

export interface LicenseKeyLicensing {
    readonly mode: "licenseKey";
    readonly license: LicenseSource;
}

export interface ServicesDirectorLicensing {
    readonly mode: "servicesDirector";
    /** The Services Director's registration address (its REST API), host:port. */
    readonly registrationServer: string;
    /** SHA-1 fingerprint of its certificate; the image registers only if it matches. @default not checked */
    readonly serverFingerprint?: string;
    /** The auto-accept policy to register under. @default none */
    readonly policyId?: string;
    /** The owner the instance registers as, and its secret. @default none */
    readonly owner?: { readonly name: string; readonly secret: pulumi.Output<string> };
    /** Contact e-mail sent with the registration. @default none */
    readonly email?: string;
    /** Message sent with the registration. @default none */
    readonly message?: string;
    /** Whether vTM opens the communications channel to the Services Director. @default vTM's own (true) */
    readonly commChannelEnabled?: boolean;
    /** The Services Director's communications channel port. @default vTM's own (8102) */
    readonly commChannelPort?: number;
}

export type LicensingSettings = CommunityLicensing | LicenseKeyLicensing | ServicesDirectorLicensing;

/** A secret key as settings.ts read it: whether it was set at all, and its value when it was accepted. */
export interface SecretKey {
    readonly set: boolean;
    readonly value?: pulumi.Output<string>;
}

/** The image's variables that licensing sets (ZEUS_COMMUNITY_EDITION in the community mode); extraEnv may not set them. */
export const LICENSING_ENV = [
    "ZEUS_COMMUNITY_EDITION", "ZEUS_LIC", "ZEUS_REGISTER_HOST", "ZEUS_REGISTER_FP", "ZEUS_REGISTER_POLICY", "ZEUS_REGISTER_OWNER",
    "ZEUS_REGISTER_SECRET", "ZEUS_REGISTER_EMAIL", "ZEUS_REGISTER_MSG",
] as const;

/** The secret keys that belong to a mode. */
export const LICENSING_SECRET_KEYS = { licenseKey: "licenseKey", ownerSecret: "servicesDirectorOwnerSecret" } as const;

/** The fields of `licensing` each mode takes, besides `mode`. */
const MODE_FIELDS: Readonly<Record<LicensingMode, readonly string[]>> = {
    community: [],
    licenseKey: ["licenseSecret", "licenseSecretKey"],
    servicesDirector: ["registrationServer", "serverFingerprint", "policyId", "owner", "email", "message", "commChannelEnabled", "commChannelPort"],
};
const MODE_SECRETS: Readonly<Record<LicensingMode, readonly string[]>> = {
    community: [],
    licenseKey: [LICENSING_SECRET_KEYS.licenseKey],
    servicesDirector: [LICENSING_SECRET_KEYS.ownerSecret],
};

/** host:port, split at the first colon as the image does (so no IPv6 address). */
const hostPort: Check<string> = (v) => {
    const [host, portText, ...rest] = typeof v === "string" ? v.split(":") : [];
    const hostOk = host !== undefined && (net.isIPv4(host) || (host.length <= 253 && DNS_1123_SUBDOMAIN.test(host.toLowerCase())));
    const portOk = portText !== undefined && /^[0-9]{1,5}$/.test(portText) && Number(portText) >= 1 && Number(portText) <= 65535;
    return hostOk && portOk && rest.length === 0
        ? (v as string)
        : new Invalid("is not host:port (a host name or IPv4 address, a colon, a port from 1 to 65535), e.g. sd.example.com:8100");
};

const SHA1_FINGERPRINT = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){19}$/;
const fingerprint = pattern(SHA1_FINGERPRINT, 59, "a SHA-1 fingerprint: 20 pairs of hex digits separated by colons, e.g. AB:CD:…:EF");
const email = pattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 254, "an e-mail address such as ops@example.com");
/** The image writes these values into its setup file one per line: a line break would start another setting. */
const oneLine = (what: string) => pattern(/^[^\r\n]*\S[^\r\n]*$/, 1024, `${what} on one line (not empty, no line break)`);
const secretKey = pattern(/^[-._a-zA-Z0-9]+$/, 253, "a Secret key (letters, digits, '-', '_' and '.')");

/** Why a Services Director owner secret cannot be used; the value itself is never put in a message. */
export function ownerSecretProblem(raw: string): string | undefined {
    return /[\r\n]/.test(raw)
        ? `${LICENSING_SECRET_KEYS.ownerSecret}: contains a line break, which the image would write into its setup file as another setting; set it on one line`
        : undefined;
}

/** Parses `licensing` with its secret keys; every problem names its key. */
export function parseLicensing(problems: Problems, raw: string | undefined, secrets: Readonly<Record<keyof typeof LICENSING_SECRET_KEYS, SecretKey>>): LicensingSettings {
    const o = objectValue(problems, "licensing", raw, ["mode", ...Object.values(MODE_FIELDS).flat()]);
    const mode = run(problems, "licensing.mode", o.mode, DEFAULTS.licensing.mode, oneOf(LICENSING_MODES));
    if (o.mode !== undefined && mode !== o.mode) {
        // The mode is refused (so the whole configuration is): which fields belong to it is unknown,
        // so nothing else is said about them.
        return { mode: "community" };
    }
    const secretSet: Record<string, boolean> = {
        [LICENSING_SECRET_KEYS.licenseKey]: secrets.licenseKey.set,
        [LICENSING_SECRET_KEYS.ownerSecret]: secrets.ownerSecret.set,
    };
    for (const other of LICENSING_MODES.filter((m) => m !== mode)) {
        for (const field of MODE_FIELDS[other].filter((f) => o[f] !== undefined)) {
            problems.push(`licensing.${field}: belongs to licensing.mode ${other}, and the mode is ${mode}; set the mode or remove it (${configCommand(`rm --path licensing.${field}`)})`);
        }
        for (const key of MODE_SECRETS[other].filter((k) => secretSet[k])) {
            problems.push(`${key}: belongs to licensing.mode ${other}, and the mode is ${mode}; set the mode or remove it (${configCommand(`rm ${key}`)})`);
        }
    }
    switch (mode) {
        case "community":
            return { mode };
        case "licenseKey":
            return { mode, license: parseLicenseSource(problems, o, secrets.licenseKey) };
        case "servicesDirector":
            return parseServicesDirector(problems, o, secrets.ownerSecret);
        default: {
            const unreachable: never = mode;
            throw new Error(`unknown licensing mode ${unreachable}`);
        }
    }
}

function parseLicenseSource(problems: Problems, o: Record<string, unknown>, text: SecretKey): LicenseSource {
    const secretName = run(problems, "licensing.licenseSecret", o.licenseSecret, "", resourceName);
    const key = run(problems, "licensing.licenseSecretKey", o.licenseSecretKey, LICENSING_DEFAULTS.licenseSecretKey, secretKey);
    if (o.licenseSecret !== undefined && text.set) {
        problems.push(`${LICENSING_SECRET_KEYS.licenseKey}: cannot be combined with licensing.licenseSecret: give the licence one way, in your Secret or as this secret value`);
    } else if (o.licenseSecret === undefined && !text.set) {
        problems.push(
            "licensing.licenseSecret: is not set, and neither is licenseKey: mode licenseKey needs the licence file, in an existing Secret " +
                `(${configCommand("set --path licensing.licenseSecret <name>")}) or as a secret value (${configCommand("set --secret licenseKey < license.lic")})`,
        );
    } else if (o.licenseSecretKey !== undefined && o.licenseSecret === undefined) {
        problems.push("licensing.licenseSecretKey: names the key in licensing.licenseSecret, which is not set (the Secret made from licenseKey has its own key)");
    }
    return text.value !== undefined ? { from: "config", text: text.value } : { from: "secret", secretName, key };
}

function parseServicesDirector(problems: Problems, o: Record<string, unknown>, ownerSecret: SecretKey): ServicesDirectorLicensing {
    const optional = <T>(field: string, check: Check<T>): T | undefined => run(problems, `licensing.${field}`, o[field], undefined as T | undefined, check);
    if (o.registrationServer === undefined) {
        problems.push("licensing.registrationServer: is required in mode servicesDirector: the Services Director's host:port, e.g. sd.example.com:8100");
    }
    const ownerName = optional("owner", oneLine("an owner name"));
    if (o.owner !== undefined && !ownerSecret.set) {
        problems.push(`licensing.owner: needs the owner's secret: ${configCommand(`set --secret ${LICENSING_SECRET_KEYS.ownerSecret} <secret>`)}`);
    }
    if (ownerSecret.set && o.owner === undefined) {
        problems.push(`${LICENSING_SECRET_KEYS.ownerSecret}: needs licensing.owner, the Services Director owner it belongs to`);
    }
    return {
        mode: "servicesDirector",
        registrationServer: optional("registrationServer", hostPort) ?? "",
        serverFingerprint: optional("serverFingerprint", fingerprint),
        policyId: optional("policyId", oneLine("a policy id")),
        owner: ownerName !== undefined && ownerSecret.value !== undefined ? { name: ownerName, secret: ownerSecret.value } : undefined,
        email: optional("email", email),
        message: optional("message", oneLine("a message")),
        commChannelEnabled: optional("commChannelEnabled", bool),
        commChannelPort: optional("commChannelPort", port),
    };
}
