// Settings that are valid but do nothing in this combination: said, not refused, so that switching
// modes stays a one-key change.
import { Settings } from "./settings";

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
    if (settings.networkPolicy.enabled && settings.exposure === "HostNetwork") {
        warnings.push("networkPolicy.enabled: has no effect in HostNetwork exposure: pods on the host network are outside NetworkPolicy (see docs/production.md)");
    }
    return warnings;
}
