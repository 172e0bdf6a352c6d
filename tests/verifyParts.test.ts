// The pure parts of verify, alone: why a pod is not ready, where each endpoint is, how a running
// object is compared with the documents, and how documents layer into the objects to expect.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { V1Pod, V1Service } from "@kubernetes/client-node";
import { podProblem } from "../scripts/verify/checks";
import { clusterEndpoints, outputEndpoints, parseEndpoint, StackShape } from "../scripts/verify/endpoints";
import { DeployedFiles, differences, expectedObjects, holds, objectPath, versionText } from "../scripts/verify/expected";
import { importErrors } from "../scripts/verify/checks";
import { localBackendEnv, pulumiOutputs } from "../scripts/verify/outputs";
import { vtmNames } from "../settings/naming";
import { ServiceSettings } from "../settings/services";

const names = vtmNames("vtm");

function pod(status: Record<string, any>, env = [{ name: "ZEUS_EULA", value: "accept" }]): V1Pod {
    return {
        metadata: { name: "vtm-1", namespace: "shop" },
        spec: { containers: [{ name: "vtm", image: "registry.example.com/vtm:19.1", env }] },
        status: { phase: "Running", conditions: [{ type: "Ready", status: "False" }], ...status },
    } as V1Pod;
}

describe("verify: why a pod is not ready", () => {
    it("names an image that cannot be pulled", () => {
        const p = pod({ phase: "Pending", containerStatuses: [{ name: "vtm", state: { waiting: { reason: "ImagePullBackOff", message: "Back-off pulling image" } } }] });
        assert.strictEqual(
            podProblem(p, [], names),
            "image registry.example.com/vtm:19.1 cannot be pulled (ImagePullBackOff: Back-off pulling image); check image, imagePullSecrets and registry settings; look: kubectl -n shop describe pod vtm-1",
        );
    });

    it("names a licence not accepted, from the environment or from the container's last words", () => {
        assert.match(podProblem(pod({}, [{ name: "ZEUS_EULA", value: "no" }]), [], names)!, /^the vTM licence is not accepted \(ZEUS_EULA is 'no'\): npm run pulumi -- config set eula accept; look: kubectl -n shop logs vtm-1 -c vtm --previous$/);
        const exited = pod({ containerStatuses: [{ name: "vtm", restartCount: 2, lastState: { terminated: { exitCode: 1, message: "Please read and accept the EULA" } } }] });
        assert.match(podProblem(exited, [], names)!, /^the container exited over the vTM licence: "Please read and accept the EULA"/);
    });

    it("quotes the newest probe failure, and the scheduler's reason for a pending pod", () => {
        const running = pod({ containerStatuses: [{ name: "vtm", restartCount: 0, state: { running: {} } }] });
        const events = [
            { reason: "Unhealthy", message: "Readiness probe failed: connection refused", count: 3 },
            { reason: "Unhealthy", message: "Readiness probe failed: HTTP probe failed with statuscode: 503", count: 2 },
        ];
        assert.strictEqual(
            podProblem(running, events as any, names),
            'probe failures: "Readiness probe failed: HTTP probe failed with statuscode: 503" (2 times); the traffic manager takes about a minute to start; look: kubectl -n shop describe pod vtm-1',
        );
        const pending = pod({ phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/3 nodes are available: 3 Insufficient memory." }] });
        assert.strictEqual(podProblem(pending, [], names), "not scheduled: 0/3 nodes are available: 3 Insufficient memory.; look: kubectl -n shop describe pod vtm-1");
        assert.strictEqual(podProblem(pod({ conditions: [{ type: "Ready", status: "True" }] }), [], names), undefined);
    });
});

describe("verify: where the endpoints are", () => {
    const http: ServiceSettings = { name: "web", protocol: "http", port: 80, pool: "p", requestRules: [], responseRules: [] };
    const stack = (exposure: StackShape["exposure"], services = [http]): StackShape => ({ namespace: "shop", exposure, services, names });
    const service = (type: string, extra: Record<string, any> = {}): V1Service => ({ metadata: { name: "vtm-services" }, spec: { type, ports: [{ name: "web", port: 80, nodePort: 31080 }] }, ...extra }) as V1Service;
    const nodes = [{ status: { addresses: [{ address: "10.0.0.5" }] } }] as any;

    it("NodePort: the first node's address and the nodePort; LoadBalancer: the balancer, or a failure while it has none", () => {
        assert.deepStrictEqual(clusterEndpoints(stack("NodePort"), { services: [service("NodePort")], nodes, pods: [] }), [{ service: "web", url: "http://10.0.0.5:31080" }]);
        assert.deepStrictEqual(clusterEndpoints(stack("LoadBalancer"), { services: [service("LoadBalancer", { status: { loadBalancer: { ingress: [{ hostname: "lb.example.com" }] } } })], nodes, pods: [] }), [
            { service: "web", url: "http://lb.example.com:80" },
        ]);
        const [pending] = clusterEndpoints(stack("LoadBalancer"), { services: [service("LoadBalancer")], nodes, pods: [] });
        assert.match(pending.fail!, /^the balancer of Service vtm-services has no address yet \(kubectl -n shop get service vtm-services;/);
    });

    it("HostNetwork: every node a traffic manager pod runs on, at the virtual server's port", () => {
        const pods = [{ status: { hostIP: "10.0.0.7" } }, { status: { hostIP: "10.0.0.8" } }] as V1Pod[];
        assert.deepStrictEqual(clusterEndpoints(stack("HostNetwork"), { services: [], nodes, pods }).map((p) => p.url), ["http://10.0.0.7:80", "http://10.0.0.8:80"]);
    });

    it("from the stack output: placeholders fail with what to do, cluster DNS names are skipped", () => {
        const plans = outputEndpoints(stack("NodePort"), {
            a: "http://<node-address>:31080",
            b: "http://<pending-load-balancer-address>:80",
            c: "tcp://vtm-c.shop.svc.cluster.local:5432",
            d: "udp://10.0.0.5:31053",
        });
        assert.match(plans[0].fail!, /no node address was known at deploy time; set nodeAddress$/);
        assert.match(plans[1].fail!, /the balancer had no address at deploy time/);
        assert.strictEqual(plans[2].skip, "tcp://vtm-c.shop.svc.cluster.local:5432 is a cluster DNS name: reachable inside the cluster only");
        assert.deepStrictEqual(plans[3], { service: "d", url: "udp://10.0.0.5:31053" });
    });
});

describe("verify: reading an endpoint URL to probe", () => {
    it("probes a scheme's default port, which URL leaves out (a balancer or host-network service on port 80)", () => {
        assert.deepStrictEqual(parseEndpoint("http://127.0.0.2:80"), { transport: "http", host: "127.0.0.2", port: 80 });
        assert.deepStrictEqual(parseEndpoint("https://vtm.example:443"), { transport: "http", host: "vtm.example", port: 443 });
        assert.deepStrictEqual(parseEndpoint("http://192.0.2.10:30080"), { transport: "http", host: "192.0.2.10", port: 30080 });
        assert.deepStrictEqual(parseEndpoint("udp://[2001:db8::1]:53"), { transport: "udp", host: "2001:db8::1", port: 53 });
        assert.strictEqual(parseEndpoint("tcp://host"), undefined);
        assert.strictEqual(parseEndpoint("<node-address>:80"), undefined);
    });
});

describe("verify: comparing a running object with the documents", () => {
    it("lets the running value carry defaults and rows the document leaves out, and treats name lists as sets except rule lists", () => {
        assert.ok(holds({ port: 80 }, { port: 80, listen_on_any: true }, "basic"));
        assert.ok(holds(["Simple HTTP", "Ping"], ["Ping", "Simple HTTP"], "basic.monitors"));
        assert.ok(!holds(["a", "b"], ["b", "a"], "basic.request_rules"));
        assert.ok(holds([{ node: "10.0.0.1:80" }], [{ node: "10.0.0.1:80", weight: 1 }, { node: "10.0.0.2:80", weight: 1 }], "basic.nodes_table"));
        assert.ok(!holds([{ node: "10.0.0.3:80" }], [{ node: "10.0.0.1:80" }], "basic.nodes_table"));
        assert.ok(holds(0, "0", "web_cache.size"), "the importer's numbers and strings are one value");
        assert.ok(!holds(false, "false", "java.enabled"));
        assert.ok(!holds(80, undefined, "basic.port"));
    });

    const files = (documents: Record<string, string>, data: Record<string, string> = {}): DeployedFiles => ({
        documents: Object.entries(documents).map(([p, text]) => ({ path: `config/${p}`, text, origin: "ConfigMap vtm-config" })),
        data: new Map(Object.entries(data)),
        problems: [],
    });

    it("layers documents in file-name order: the last one to set a field is the one compared, and named in the line", () => {
        const { objects, versions } = expectedObjects(
            files({
                "30-web.yaml": "version: 6.2\nvirtual_servers:\n  - name: web\n    properties: {basic: {port: 80, pool: p}}\n",
                "50-web-tls.yaml": "version: 7.0\nvirtual_servers:\n  - name: web\n    properties: {basic: {port: 443}}\n",
            }),
            "6.2",
        );
        assert.deepStrictEqual(versions, ["6.2", "7.0"]);
        assert.strictEqual(objects.length, 1);
        assert.strictEqual(objectPath(objects[0]), "/api/tm/7.0/config/active/virtual_servers/web");
        assert.deepStrictEqual(differences(objects[0], JSON.stringify({ properties: { basic: { port: 80, pool: "p" } } })), [
            "basic.port is 80 in the running configuration; config/50-web-tls.yaml (ConfigMap vtm-config) sets 443",
        ]);
    });

    it("does not compare what the traffic manager fills itself: files read at import, nodes found by service discovery", () => {
        const { objects } = expectedObjects(
            files({
                "15-key.yaml": "version: 6.2\nssl:\n  server_keys:\n    - name: shop\n      properties: {basic: {public: {valueFrom: {fileRef: {name: data/tls/shop/tls.crt}}}}}\n",
                "20-pool.yaml": "version: 6.2\npools:\n  - name: p\n    properties:\n      basic: {nodes_table: []}\n      service_discovery: {enabled: true}\n",
            }),
            "6.2",
        );
        const key = objects.find((o) => o.section === "ssl/server_keys")!;
        assert.strictEqual(objectPath(key), "/api/tm/6.2/config/active/ssl/server_keys/shop");
        assert.deepStrictEqual(differences(key, JSON.stringify({ properties: { basic: { public: "-----BEGIN CERTIFICATE-----" } } })), []);
        const pool = objects.find((o) => o.section === "pools")!;
        assert.deepStrictEqual(differences(pool, JSON.stringify({ properties: { basic: { nodes_table: [{ node: "10.1.1.1:80" }] }, service_discovery: { enabled: true } } })), []);
    });

    it("reads a version-less document with the stack's apiVersion, and a YAML 7.0 as 7.0", () => {
        assert.strictEqual(versionText(undefined, "6.2"), "6.2");
        assert.strictEqual(versionText(7, "6.2"), "7.0");
        assert.strictEqual(versionText(6.1, "6.2"), "6.1");
    });

    it("finds import errors only since the last successful import, with the password blanked out", () => {
        const log = "Error: old problem\nSet 'conf_A' as the active configuration\nERROR: rules/x: invalid TrafficScript (user admin, password s3cret)";
        assert.deepStrictEqual(importErrors(log, "s3cret"), {
            recent: ["ERROR: rules/x: invalid TrafficScript (user admin, password <admin password>)"],
            all: ["Error: old problem", "ERROR: rules/x: invalid TrafficScript (user admin, password <admin password>)"],
        });
    });
});

describe("verify: the stack's outputs through the Pulumi CLI", () => {
    it("reads serviceEndpoints with the local backend of npm run deploy, and says why when it cannot", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-verify-cli-"));
        fs.mkdirSync(path.join(dir, ".pulumi-local", "state"), { recursive: true });
        fs.writeFileSync(path.join(dir, ".pulumi-local", "passphrase"), "x");
        // A stand-in for the CLI that prints what it was asked and with which backend.
        const cli = path.join(dir, "pulumi");
        fs.writeFileSync(cli, `#!/bin/sh\nprintf '{"web": "http://10.0.0.5:31080", "args": "%s", "backend": "%s"}' "$*" "$PULUMI_BACKEND_URL"\n`, { mode: 0o755 });
        const read = await pulumiOutputs(dir, cli)("prod");
        assert.deepStrictEqual(read.endpoints, {
            web: "http://10.0.0.5:31080",
            args: "stack output serviceEndpoints --json --stack prod --non-interactive",
            backend: `file://${path.join(dir, ".pulumi-local", "state")}`,
        });
        assert.strictEqual(read.note, "the stack's serviceEndpoints output (npm run pulumi -- stack output, stack prod)");
        assert.strictEqual(localBackendEnv(dir, { PULUMI_BACKEND_URL: "s3://mine" }).PULUMI_BACKEND_URL, "s3://mine", "the user's own backend wins");
        assert.deepStrictEqual(await pulumiOutputs(dir, path.join(dir, "no-such-cli"))("prod"), { note: "the Pulumi CLI is not installed" });
    });
});
