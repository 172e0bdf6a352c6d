// How the traffic manager is licensed, as parts of its pod: the variables the image reads at first
// start (ZEUS_COMMUNITY_EDITION, ZEUS_LIC, ZEUS_REGISTER_*), the licence file's read-only volume, the
// owner secret's file for the self-registration document, and the Secret the program makes for them.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { LICENSING_DEFAULTS } from "../settings/defaults";
import { LicensingSettings } from "../settings/licensing";
import { VtmNames, vtmLabels } from "../settings/naming";
import { OWNER_SECRET_FILE } from "../vtm/configuration";

type EnvVar = k8s.types.input.core.v1.EnvVar;
type Volume = k8s.types.input.core.v1.Volume;
type VolumeMount = k8s.types.input.core.v1.VolumeMount;
type VolumeProjection = k8s.types.input.core.v1.VolumeProjection;

/** Where the licence file is mounted, read-only; ZEUS_LIC names the file. Not under /import: it is no configuration. */
export const LICENSE_MOUNT = { volume: "license", dir: "/etc/vtm-license", file: "license.lic" } as const;
/** The key of the owner secret in the Secret the program makes. */
export const OWNER_SECRET_KEY = "owner-secret";
/** Only the image's root processes read the licence. */
const LICENSE_FILE_MODE = 0o400;

/** What licensing adds to the traffic manager's pod. */
export interface LicensingPod {
    readonly env: EnvVar[];
    readonly volumes: Volume[];
    readonly volumeMounts: VolumeMount[];
    /** Sources for the data volume (/import/data), where the configuration's file references point. */
    readonly dataSources: VolumeProjection[];
}

/**
 * The Secret the program makes for the licence given as licenseKey, or for the owner secret; none
 * otherwise. No fixed name: Kubernetes names it with a suffix and new content replaces it under a new
 * name, so the pod template changes and the pods roll: the image reads both only when a pod starts.
 */
export function createLicensingSecret(parent: pulumi.Resource, names: VtmNames, namespace: string, licensing: LicensingSettings): k8s.core.v1.Secret | undefined {
    const secret = (name: string, key: string, value: pulumi.Output<string>) =>
        new k8s.core.v1.Secret(
            name,
            { metadata: { namespace, labels: vtmLabels(names, "credentials") }, type: "Opaque", stringData: { [key]: pulumi.secret(value) } },
            { parent },
        );
    switch (licensing.mode) {
        case "community":
            return undefined;
        case "licenseKey":
            return licensing.license.from === "config" ? secret(names.licenseSecret, LICENSING_DEFAULTS.licenseSecretKey, licensing.license.text) : undefined;
        case "servicesDirector":
            return licensing.owner === undefined ? undefined : secret(names.servicesDirectorSecret, OWNER_SECRET_KEY, licensing.owner.secret);
        default: {
            const unreachable: never = licensing;
            throw new Error(`unknown licensing ${JSON.stringify(unreachable)}`);
        }
    }
}

/** The pod's licensing parts; `made` is the Secret createLicensingSecret made for these settings, if any. */
export function licensingPod(licensing: LicensingSettings, made?: pulumi.Input<string>): LicensingPod {
    const madeSecret = (): pulumi.Input<string> => {
        if (made === undefined) throw new Error(`licensing mode ${licensing.mode} needs the Secret createLicensingSecret makes`);
        return made;
    };
    const none: LicensingPod = { env: [], volumes: [], volumeMounts: [], dataSources: [] };
    switch (licensing.mode) {
        case "community":
            // The seed's: the community edition's terms accepted up front (no notice at first login).
            return { ...none, env: [{ name: "ZEUS_COMMUNITY_EDITION", value: "yes" }] };
        case "licenseKey": {
            const source = licensing.license;
            const [secretName, key] = source.from === "secret" ? [source.secretName, source.key] : [madeSecret(), LICENSING_DEFAULTS.licenseSecretKey];
            return {
                ...none,
                // The image installs the file when the container first starts (runzeus.sh), and never re-reads it.
                env: [{ name: "ZEUS_LIC", value: `${LICENSE_MOUNT.dir}/${LICENSE_MOUNT.file}` }],
                volumes: [{ name: LICENSE_MOUNT.volume, secret: { secretName, items: [{ key, path: LICENSE_MOUNT.file }], defaultMode: LICENSE_FILE_MODE } }],
                volumeMounts: [{ name: LICENSE_MOUNT.volume, mountPath: LICENSE_MOUNT.dir, readOnly: true }],
            };
        }
        case "servicesDirector": {
            const plain = (name: string, value: string | undefined): EnvVar[] => (value === undefined ? [] : [{ name, value }]);
            const owner = licensing.owner;
            const secretRef = owner === undefined ? undefined : { name: madeSecret(), key: OWNER_SECRET_KEY };
            return {
                ...none,
                // The image registers once, when the container first starts (runzeus.sh): only it checks the
                // fingerprint and sends the e-mail and message. The self-registration document carries the rest.
                env: [
                    ...plain("ZEUS_REGISTER_HOST", licensing.registrationServer),
                    ...plain("ZEUS_REGISTER_FP", licensing.serverFingerprint),
                    ...plain("ZEUS_REGISTER_POLICY", licensing.policyId),
                    ...plain("ZEUS_REGISTER_OWNER", owner?.name),
                    ...(secretRef ? [{ name: "ZEUS_REGISTER_SECRET", valueFrom: { secretKeyRef: secretRef } }] : []),
                    ...plain("ZEUS_REGISTER_EMAIL", licensing.email),
                    ...plain("ZEUS_REGISTER_MSG", licensing.message),
                ],
                // The owner secret as the file the document's owner_secret fileRef reads.
                dataSources: secretRef ? [{ secret: { name: secretRef.name, items: [{ key: OWNER_SECRET_KEY, path: OWNER_SECRET_FILE }] } }] : [],
            };
        }
        default: {
            const unreachable: never = licensing;
            throw new Error(`unknown licensing ${JSON.stringify(unreachable)}`);
        }
    }
}
