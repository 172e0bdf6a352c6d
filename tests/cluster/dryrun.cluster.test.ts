// Every object of every shipped stack and documented example passes the API server's own validation:
// server-side apply with dry-run, into a namespace of the test's own (Secrets included).
import * as assert from "assert";
import { PROJECT_DIR, RenderOptions, render } from "../../scripts/render";
import { SHOP_STACK, projectWith } from "../docExamples";
import { Cluster, Namespace, connect } from "./harness";

/** The default image (vTM 19.1) with its admin interfaces outside the cluster: accepted, naming CVE-2024-7593. */
const ACCEPT = { "security.acceptAdminExposure": "CVE-2024-7593" };
const ACCEPTED = (exposure: string): Record<string, string> => (exposure === "HostNetwork" ? ACCEPT : {});

/** The stacks: the shipped stack files, in every exposure mode, the docs' stack file and licensing examples. */
const STACKS: [string, RenderOptions][] = [
    ...["NodePort", "LoadBalancer", "HostNetwork"].map((exposure): [string, RenderOptions] => [`Pulumi.dev.yaml, ${exposure}`, { stack: "dev", set: { exposure, ...ACCEPTED(exposure) } }]),
    ["Pulumi.dev.yaml, 3 replicas on the host network", { stack: "dev", set: { exposure: "HostNetwork", replicas: "3", ...ACCEPTED("HostNetwork") } }],
    ["Pulumi.dev.yaml, an accepted NodePort admin Service with named admin sources", { stack: "dev", set: { "adminService.type": "NodePort", ...ACCEPT, "networkPolicy.adminCidrs": '["10.20.0.0/16"]', "networkPolicy.adminNamespaces": '["platform-ops"]' } }],
    ["Pulumi.prod.yaml", { stack: "prod", set: { registryPassword: "registry-token", imageDigest: `sha256:${"d".repeat(64)}` } }],
    ["Pulumi.shop.yaml (docs/configuration.md)", { stack: "shop", projectDir: projectWith("shop", SHOP_STACK()) }],
    ["licensing: a licence key given as a secret (docs/configuration.md)", { stack: "dev", set: { licensing: '{"mode": "licenseKey"}', licenseKey: "serial=VTM-DRY-RUN" } }],
    ["licensing: a licence key in your own Secret (docs/configuration.md)", { stack: "dev", set: { licensing: '{"mode": "licenseKey", "licenseSecret": "vtm-license"}' } }],
    [
        "licensing: Services Director registration (docs/configuration.md)",
        {
            stack: "dev",
            set: {
                licensing: JSON.stringify({
                    mode: "servicesDirector",
                    registrationServer: "sd.example.com:8100",
                    serverFingerprint: "A0:A1:A2:A3:A4:A5:A6:A7:A8:A9:B1:B2:B3:B4:B5:B6:B7:B8:B9:B0",
                    policyId: "Policy-9999-9999-9999-9999",
                    owner: "platform-team",
                    email: "vtm-ops@example.com",
                    message: "prod cluster eu-1",
                }),
                servicesDirectorOwnerSecret: "owner-secret-value",
            },
        },
    ],
];

describe("cluster: server-side dry-run of every stack", function () {
    this.timeout(120_000);
    let cluster: Cluster;
    let ns: Namespace;

    before(async () => {
        cluster = await connect();
        ns = await cluster.namespace("vtm-dryrun");
    });
    after(() => ns?.cleanup());

    for (const [name, options] of STACKS) {
        it(`${name}: the API server accepts every object`, async () => {
            // Offline, as `npm run render` renders: the objects these stacks refer to need not exist for a dry-run.
            const r = await render({ projectDir: PROJECT_DIR, includeSecrets: true, ...options, set: { ...options.set, namespace: ns.name } });
            assert.ok(r.objects.length >= 8, `${r.objects.length} objects`);
            const accepted = await ns.apply(r.objects, true);
            assert.deepStrictEqual(
                accepted.map((o) => `${o.kind}/${o.metadata.name}`),
                r.objects.map((o) => `${o.kind}/${o.metadata.name}`),
            );
            // Nothing was created: a dry-run only validates.
            assert.deepStrictEqual(await ns.leftovers(), []);
        });
    }
});
