// Whether the admin UI and REST API are reachable from outside the cluster, and whether the image's
// release allows it: an affected or unknown release (settings/advisories.ts) is refused there unless
// security.acceptAdminExposure names every advisory against it, and then every run warns.
import { ADMIN_PORTS, Exposure } from "./defaults";
import { Advisory, ImageAdvisories, describeAdvisory, fixedReleases, imageAdvisories } from "./advisories";
import { show } from "./checks";
import { AdminServiceSettings, SecuritySettings } from "./production";
import { configCommand } from "./commands";

export interface ExposureInput {
    readonly image: string;
    readonly exposure: Exposure;
    readonly adminService: AdminServiceSettings;
    readonly security: SecuritySettings;
}

/** The setting that puts the admin interfaces outside the cluster, and how; undefined when they stay inside. */
export function adminExposedBy(input: ExposureInput): { key: string; value: string; how: string } | undefined {
    const ports = `${ADMIN_PORTS.webui.port} and ${ADMIN_PORTS.restapi.port}`;
    if (input.exposure === "HostNetwork") return { key: "exposure", value: "HostNetwork", how: `on ports ${ports} of every node it runs on` };
    switch (input.adminService.type) {
        case "NodePort":
            return { key: "adminService.type", value: "NodePort", how: "on a port of every node" };
        case "LoadBalancer":
            return { key: "adminService.type", value: "LoadBalancer", how: "on a load balancer" };
        case "ClusterIP":
            return undefined;
        default: {
            const unreachable: never = input.adminService.type;
            throw new Error(`unknown admin Service type ${unreachable}`);
        }
    }
}

function whichRelease(found: ImageAdvisories): string {
    return found.release !== undefined ? `vTM ${found.release}` : `an unknown vTM release (${found.unknownBecause})`;
}

const list = (advisories: readonly Advisory[]) => advisories.map((a) => a.id).join(", ");

/** The refusal of an exposed, affected release not accepted; undefined when there is none. */
export function adminExposureProblem(input: ExposureInput): string | undefined {
    const by = adminExposedBy(input);
    if (by === undefined) return undefined;
    const found = imageAdvisories(input.image);
    const missing = found.advisories.filter((a) => !input.security.acceptAdminExposure.includes(a.id));
    if (missing.length === 0) return undefined;
    const verb = found.release !== undefined ? "is affected by" : "may be affected by";
    const instead =
        input.exposure === "HostNetwork"
            ? "use exposure NodePort or LoadBalancer (the admin Service stays ClusterIP: npm run admin reaches it)"
            : "use adminService.type ClusterIP (the default) and reach it with npm run admin";
    const fixed = fixedReleases();
    return (
        `${by.key}: ${show(by.value)} would put the admin UI and REST API of image ${show(input.image)} outside the cluster (${by.how}), ` +
        `and ${whichRelease(found)} ${verb} ${missing.map(describeAdvisory).join("; ")}. ${instead[0].toUpperCase()}${instead.slice(1)}; ` +
        `or an image of a release no known advisory affects${fixed.length > 0 ? ` (${fixed.join(", ")})` : ""}; ` +
        `or accept the risk: ${configCommand(`set --path 'security.acceptAdminExposure[0]' ${missing[0].id}`)}` +
        (missing.length > 1 ? ` (security.acceptAdminExposure: [${list(missing)}])` : "")
    );
}

/** What every preview, up and render says: an accepted exposure, named advisory by advisory, and acceptances that do nothing. */
export function adminExposureWarnings(input: ExposureInput): string[] {
    const accepted = input.security.acceptAdminExposure;
    if (accepted.length === 0) return [];
    const by = adminExposedBy(input);
    const found = imageAdvisories(input.image);
    const applies = by === undefined ? [] : found.advisories.filter((a) => accepted.includes(a.id));
    const warnings: string[] = [];
    if (by !== undefined && applies.length > 0) {
        warnings.push(
            `security.acceptAdminExposure: the admin UI and REST API of image ${show(input.image)} (${whichRelease(found)}) are reachable from outside the cluster ` +
                `(${by.key} ${by.value}, ${by.how}) although ${found.release !== undefined ? "it is affected by" : "it may be affected by"} ${applies.map(describeAdvisory).join("; ")}; ` +
                "anyone who can reach them may take over the traffic manager: restrict who can (adminService.loadBalancerSourceRanges, a firewall) or move to a fixed release",
        );
    }
    const idle = accepted.filter((id) => !applies.some((a) => a.id === id));
    if (idle.length > 0) {
        const why = by === undefined ? "the admin interfaces are not reachable from outside the cluster" : `it does not affect ${whichRelease(found)}`;
        warnings.push(`security.acceptAdminExposure: ${idle.join(", ")} does nothing: ${why}`);
    }
    return warnings;
}
