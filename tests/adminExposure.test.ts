// The admin interfaces of a vTM release with a known critical advisory stay inside the cluster unless
// security.acceptAdminExposure names the advisory: the table (settings/vtm-advisories.json) matched
// from the image tag, each refusal's exact message, and the warning every run gives once accepted.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ADVISORY_TABLE, imageAdvisories, imageTag } from "../settings/advisories";
import { ACCEPT_ADMIN_EXPOSURE, find, findAll, renderDev, renderRefused } from "./helpers";

const CVE = ADVISORY_TABLE.advisories.find((a) => a.id === "CVE-2024-7593")!;
const DESCRIBED =
    "CVE-2024-7593 (CVSS 9.8, in CISA's Known Exploited Vulnerabilities catalogue: an unauthenticated attacker can bypass the admin panel's authentication and create an administrator through the admin UI)";
const OR_FIXED = "or an image of a release no known advisory affects (22.2R1, 22.7R2); or accept the risk: npm run pulumi -- config set --path 'security.acceptAdminExposure[0]' CVE-2024-7593";

describe("the advisory table (settings/vtm-advisories.json)", () => {
    it("holds CVE-2024-7593 as its CVE record gives it: CVSS 9.8, in KEV, every release affected but 22.2R1 and 22.7R2", () => {
        assert.deepStrictEqual([CVE.cvss, CVE.kev, CVE.unaffected], [9.8, true, ["22.2R1", "22.7R2"]]);
        assert.strictEqual(CVE.record, "https://raw.githubusercontent.com/CVEProject/cvelistV5/main/cves/2024/7xxx/CVE-2024-7593.json");
        const raw = JSON.parse(fs.readFileSync(path.join(__dirname, "../settings/vtm-advisories.json"), "utf8"));
        assert.match(raw.advisories[0].description, /other than versions 22\.2R1 or 22\.7R2 allows a remote unauthenticated attacker to bypass authentication of the admin panel/);
    });

    it("reads the release from the tag, whatever the registry, port or digest", () => {
        assert.strictEqual(imageTag("pulsesecure/vtm:19.1"), "19.1");
        assert.strictEqual(imageTag("registry.example.com:5000/pulsesecure/vtm:22.7R2@sha256:" + "a".repeat(64)), "22.7R2");
        assert.strictEqual(imageTag("registry.example.com:5000/pulsesecure/vtm"), undefined);
        assert.strictEqual(imageTag("pulsesecure/vtm@sha256:" + "a".repeat(64)), undefined);
    });

    it("matches releases: affected, unaffected (in any case of R), and unknown for a digest, no tag, another tag, or a newer release", () => {
        const ids = (image: string) => imageAdvisories(image).advisories.map((a) => a.id);
        assert.deepStrictEqual(ids("pulsesecure/vtm:19.1"), ["CVE-2024-7593"]);
        assert.strictEqual(imageAdvisories("pulsesecure/vtm:19.1").release, "19.1");
        assert.deepStrictEqual(ids("pulsesecure/vtm:22.7R1"), ["CVE-2024-7593"]);
        assert.deepStrictEqual(ids("pulsesecure/vtm:22.3R3"), ["CVE-2024-7593"], "the record lists only 22.2R1 and 22.7R2 as unaffected");
        assert.deepStrictEqual(ids("pulsesecure/vtm:22.7R2"), []);
        assert.deepStrictEqual(ids("pulsesecure/vtm:22.2r1"), []);
        const unknown = (image: string) => imageAdvisories(image).unknownBecause;
        assert.strictEqual(unknown("pulsesecure/vtm@sha256:" + "a".repeat(64)), "it names a digest and no tag");
        assert.strictEqual(unknown("pulsesecure/vtm"), "it has no tag");
        assert.strictEqual(unknown("pulsesecure/vtm:latest"), "its tag 'latest' is not a vTM release number such as 22.7R2");
        assert.strictEqual(unknown("pulsesecure/vtm:23.1R1"), "23.1R1 is newer than the newest release the advisory table knows (22.7R2)");
        assert.deepStrictEqual(ids("pulsesecure/vtm:latest"), ["CVE-2024-7593"], "an unknown release may be affected by every advisory");
    });
});

describe("admin exposure of an affected or unknown release", () => {
    it("refuses a NodePort admin Service of vTM 19.1, naming the key, the value, the CVE and what is allowed, before anything is registered", async () => {
        const { message, recorder } = await renderRefused({ "adminService.type": "NodePort" });
        assert.strictEqual(
            message,
            "Invalid stack configuration (1 problem; nothing was deployed or changed):\n" +
                `  - adminService.type: 'NodePort' would put the admin UI and REST API of image 'pulsesecure/vtm:19.1' outside the cluster (on a port of every node), and vTM 19.1 is affected by ${DESCRIBED}. ` +
                `Use adminService.type ClusterIP (the default) and reach it with npm run admin; ${OR_FIXED}`,
        );
        assert.deepStrictEqual(recorder.resources, []);
    });

    it("refuses a LoadBalancer admin Service, source ranges or not", async () => {
        const { message } = await renderRefused({ adminService: '{"type": "LoadBalancer", "loadBalancerSourceRanges": ["10.0.0.0/8"]}' });
        assert.ok(message.includes("  - adminService.type: 'LoadBalancer' would put the admin UI and REST API of image 'pulsesecure/vtm:19.1' outside the cluster (on a load balancer), and vTM 19.1 is affected by CVE-2024-7593"), message);
    });

    it("refuses HostNetwork exposure, where no Service stands between the node and the admin ports", async () => {
        const { message } = await renderRefused({ exposure: "HostNetwork" });
        assert.ok(
            message.includes(
                `  - exposure: 'HostNetwork' would put the admin UI and REST API of image 'pulsesecure/vtm:19.1' outside the cluster (on ports 9090 and 9070 of every node it runs on), and vTM 19.1 is affected by ${DESCRIBED}. ` +
                    `Use exposure NodePort or LoadBalancer (the admin Service stays ClusterIP: npm run admin reaches it); ${OR_FIXED}`,
            ),
            message,
        );
    });

    it("refuses an unknown release too, saying why it is unknown", async () => {
        const { message } = await renderRefused({ image: "pulsesecure/vtm:latest", "adminService.type": "NodePort" });
        assert.ok(message.includes("and an unknown vTM release (its tag 'latest' is not a vTM release number such as 22.7R2) may be affected by CVE-2024-7593"), message);
    });

    it("allows it for a release no advisory affects, without a word", async () => {
        const r = await renderDev({ image: "pulsesecure/vtm:22.7R2", "adminService.type": "NodePort" });
        assert.strictEqual(find(r.objects, "Service", "vtm-admin-services").spec.type, "NodePort");
        assert.deepStrictEqual(r.notes.filter((n) => n.includes("CVE")), []);
    });

    it("keeps the default ClusterIP admin Service of vTM 19.1 without a word", async () => {
        const r = await renderDev();
        assert.strictEqual(find(r.objects, "Service", "vtm-admin-services").spec.type, "ClusterIP");
        assert.deepStrictEqual(r.notes.filter((n) => n.includes("CVE")), []);
    });

    it("once accepted, deploys it and warns at every run, naming the CVE", async () => {
        const r = await renderDev({ "adminService.type": "NodePort", ...ACCEPT_ADMIN_EXPOSURE });
        assert.strictEqual(find(r.objects, "Service", "vtm-admin-services").spec.type, "NodePort");
        assert.ok(
            r.notes.includes(
                "warning: security.acceptAdminExposure: the admin UI and REST API of image 'pulsesecure/vtm:19.1' (vTM 19.1) are reachable from outside the cluster " +
                    `(adminService.type NodePort, on a port of every node) although it is affected by ${DESCRIBED}; ` +
                    "anyone who can reach them may take over the traffic manager: restrict who can (adminService.loadBalancerSourceRanges, a firewall) or move to a fixed release",
            ),
            r.notes.join("\n"),
        );
        // The default NetworkPolicy admits the cluster's pods only: it says the NodePort's clients need naming.
        assert.ok(r.notes.some((n) => n.startsWith("warning: networkPolicy.adminCidrs: is empty, so the NetworkPolicy lets only pods of the cluster reach the admin ports")), r.notes.join("\n"));
    });

    it("accepted on the host network: no NetworkPolicy, the warning names the node's ports", async () => {
        const r = await renderDev({ exposure: "HostNetwork", ...ACCEPT_ADMIN_EXPOSURE });
        assert.deepStrictEqual(findAll(r.objects, "NetworkPolicy"), []);
        assert.ok(r.notes.some((n) => n.includes("(exposure HostNetwork, on ports 9090 and 9070 of every node it runs on) although it is affected by CVE-2024-7593")), r.notes.join("\n"));
    });

    it("says an acceptance does nothing where nothing is exposed, or the release is not affected", async () => {
        const idle = await renderDev({ ...ACCEPT_ADMIN_EXPOSURE });
        assert.ok(idle.notes.includes("warning: security.acceptAdminExposure: CVE-2024-7593 does nothing: the admin interfaces are not reachable from outside the cluster"), idle.notes.join("\n"));
        const fixed = await renderDev({ image: "pulsesecure/vtm:22.7R2", "adminService.type": "NodePort", ...ACCEPT_ADMIN_EXPOSURE });
        assert.ok(fixed.notes.includes("warning: security.acceptAdminExposure: CVE-2024-7593 does nothing: it does not affect vTM 22.7R2"), fixed.notes.join("\n"));
    });

    it("refuses an advisory id the table does not know, listing those it does", async () => {
        const { message } = await renderRefused({ "security.acceptAdminExposure": '["CVE-2024-7539"]' });
        assert.ok(
            message.includes("  - security.acceptAdminExposure: [\"CVE-2024-7539\"] names 'CVE-2024-7539', not an advisory of the table (settings/vtm-advisories.json knows CVE-2024-7593)"),
            message,
        );
    });
});
