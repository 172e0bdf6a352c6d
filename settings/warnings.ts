// Settings that are valid but do nothing in this combination: said, not refused, so that switching
// modes stays a one-key change.
import { isDeepStrictEqual } from "util";
import { ADMIN_PORTS, DEFAULTS } from "./defaults";
import { Settings } from "./settings";
import { adminExposureWarnings } from "./adminExposure";
import { configCommand } from "./commands";

/** Whether a setting has its default value (fields left unset count as absent). */
function same(value: unknown, fallback: unknown): boolean {
    return isDeepStrictEqual(JSON.parse(JSON.stringify(value ?? null)), JSON.parse(JSON.stringify(fallback ?? null)));
}

export function settingWarnings(settings: Settings): string[] {
    const warnings: string[] = [...(settings.configWarnings ?? [])];
    for (const s of settings.services) {
        const f = s.frontend;
        if (f === undefined) continue;
        if (settings.exposure === "HostNetwork") {
            warnings.push(`services.${s.name}.frontend: is ignored in HostNetwork exposure (the service listens on the node's port ${s.port})`);
        } else if (settings.exposure === "NodePort" && f.type === undefined && f.loadBalancerSourceRanges.length > 0) {
            // Without a type of its own the frontend takes the exposure's, which is not a balancer.
            warnings.push(`services.${s.name}.frontend.loadBalancerSourceRanges: is ignored: the Service is a NodePort (set frontend.type LoadBalancer to use them)`);
        }
    }
    const balancer = settings.exposure === "LoadBalancer" || settings.services.some((s) => s.frontend?.type === "LoadBalancer");
    for (const field of ["sourceRanges", "annotations", "timeoutSeconds"] as const) {
        if (!balancer && !same(settings.loadBalancer[field], DEFAULTS.loadBalancer[field])) {
            warnings.push(`loadBalancer.${field}: is ignored: no Service is a LoadBalancer (exposure is ${settings.exposure}, and no services.<name>.frontend.type is LoadBalancer)`);
        }
    }
    if (settings.exposure === "HostNetwork") {
        const ports = Object.values(ADMIN_PORTS).map((p) => p.port).join(" and ");
        for (const [field, value] of Object.entries(settings.adminService)) {
            if (!same(value, DEFAULTS.adminService[field as keyof typeof DEFAULTS.adminService])) {
                warnings.push(`adminService.${field}: is ignored in HostNetwork exposure, which has no admin Service (the admin interfaces listen on the node's ports ${ports})`);
            }
        }
    }
    if (settings.registryPassword === undefined) {
        for (const field of ["server", "username", "email"] as const) {
            if (settings.registry[field] !== "") {
                warnings.push(`registry.${field}: is ignored without registryPassword, which makes the image pull Secret (${configCommand(`set --secret registryPassword <password>`)})`);
            }
        }
    }
    const policy = settings.networkPolicy;
    if (settings.exposure === "HostNetwork" && (policy.adminCidrs.length > 0 || policy.adminNamespaces.length > 0)) {
        warnings.push("networkPolicy: no NetworkPolicy is made in HostNetwork exposure (pods on the host network are outside NetworkPolicy), so adminCidrs and adminNamespaces do nothing (see docs/production.md)");
    }
    if (settings.exposure !== "HostNetwork" && settings.adminService.type !== "ClusterIP" && policy.enabled && policy.adminCidrs.length === 0) {
        warnings.push(
            `networkPolicy.adminCidrs: is empty, so the NetworkPolicy lets only pods of the cluster reach the admin ports, not the clients of the ${settings.adminService.type} admin Service; ` +
                "list their CIDRs (or set networkPolicy.enabled to false)",
        );
    }
    warnings.push(...adminExposureWarnings(settings));
    return warnings;
}
