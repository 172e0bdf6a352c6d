// Services and pools declared in stack config: each becomes a virtual server or pool, Services expose
// them with the right protocol, TLS comes from Secrets, and broken references are refused at preview.
import * as assert from "assert";
import { RenderResult } from "../scripts/render";
import { KubeObject, allocatedNodePort, configWith, container, find, findAll, outputValue, renderDev, HOST_NETWORK, renderRefused, vtmObject, watchedDocuments } from "./helpers";

/** The address the simulated cluster's balancers get. */
const BALANCER = "198.51.100.20";

/** A shop: HTTP, HTTPS with TLS from a Secret, and DNS over UDP, over three pools. */
const SHOP = {
    services: JSON.stringify({
        web: { port: 8080, pool: "web", responseRules: ["Response-Headers"] },
        secure: { port: 8443, pool: "web", tlsSecret: "shop-tls", requestRules: ["Response-Headers"] },
        api: { protocol: "http", port: 9443, pool: "api", tlsSecret: "shop-tls", frontend: { type: "LoadBalancer", port: 443, annotations: { team: "api" } } },
        dns: { protocol: "dns", port: 5353, pool: "resolvers" },
    }),
    pools: JSON.stringify({
        web: { serviceName: "shop-web", portName: "http", monitors: ["Simple HTTP"], algorithm: "least_connections" },
        api: { serviceName: "shop-api", serviceNamespace: "api", port: 8443, tls: true },
        resolvers: { serviceName: "coredns", serviceNamespace: "kube-system", portName: "dns", portProtocol: "udp" },
    }),
    "backend.enabled": "false",
};

function discovery(result: RenderResult, pool: string): string {
    return vtmObject(result.objects, "pools", pool).properties.service_discovery.plugin_args;
}

describe("services and pools from stack config", () => {
    let shop: RenderResult;
    before(async () => {
        shop = await renderDev(SHOP, {}, { balancerIngress: { ip: BALANCER } });
    });

    it("makes one virtual server per service, with its protocol, port, pool and rules", () => {
        const web = vtmObject(shop.objects, "virtual_servers", "web").properties.basic;
        assert.deepStrictEqual(web, { enabled: true, port: 8080, protocol: "http", pool: "web", response_rules: ["Response-Headers"] });
        const dns = vtmObject(shop.objects, "virtual_servers", "dns").properties.basic;
        assert.deepStrictEqual(dns, { enabled: true, port: 5353, protocol: "dns", pool: "resolvers" });
        assert.deepStrictEqual(vtmObject(shop.objects, "virtual_servers", "secure").properties.basic.request_rules, ["Response-Headers"]);
    });

    it("puts each object in a document of its own, named so that generated documents sort first", () => {
        assert.deepStrictEqual(Object.keys(watchedDocuments(shop.objects)), [
            "10-rules.yaml",
            "15-server-key-shop-tls.yaml",
            "20-pool-api.yaml",
            "20-pool-resolvers.yaml",
            "20-pool-web.yaml",
            "30-service-api.yaml",
            "30-service-dns.yaml",
            "30-service-secure.yaml",
            "30-service-web.yaml",
        ]);
    });

    it("discovers each pool's nodes through DNS in the Helm chart's forms", () => {
        // SRV lookup of a named port in the pod's namespace.
        assert.strictEqual(discovery(shop, "web"), "--servicename=_http._tcp.shop-web");
        // SRV lookup of a UDP port in another namespace.
        assert.strictEqual(discovery(shop, "resolvers"), "--servicename=_dns._udp.coredns.kube-system.svc.cluster.local");
        // Address lookup with an explicit port.
        assert.strictEqual(discovery(shop, "api"), "--hostname=shop-api.api.svc.cluster.local --port 8443");
        for (const pool of ["web", "api", "resolvers"]) {
            const sd = vtmObject(shop.objects, "pools", pool).properties.service_discovery;
            assert.deepStrictEqual([sd.enabled, sd.plugin], [true, "BuiltIn-DNS_Stateless"]);
        }
    });

    it("sets monitors, algorithm and TLS to the backends only where asked", () => {
        const web = vtmObject(shop.objects, "pools", "web").properties;
        assert.deepStrictEqual(web.basic.monitors, ["Simple HTTP"]);
        assert.deepStrictEqual(web.load_balancing, { algorithm: "least_connections" });
        assert.strictEqual(web.ssl, undefined);
        const api = vtmObject(shop.objects, "pools", "api").properties;
        assert.deepStrictEqual(api.ssl, { enable: true });
        assert.deepStrictEqual(api.basic.monitors, []);
        assert.strictEqual(api.load_balancing, undefined);
    });

    it("terminates TLS with the Secret's certificate and key, mounted once where the server key reads them", () => {
        const key = mergedServerKey(shop.objects, "shop-tls");
        assert.deepStrictEqual(key.properties.basic, {
            public: { valueFrom: { fileRef: { name: "data/tls/shop-tls/tls.crt" } } },
            private: { valueFrom: { fileRef: { name: "data/tls/shop-tls/tls.key" } } },
        });
        for (const name of ["secure", "api"]) {
            const vs = vtmObject(shop.objects, "virtual_servers", name).properties;
            assert.strictEqual(vs.basic.ssl_decrypt, true, name);
            assert.deepStrictEqual(vs.ssl, { server_cert_default: "shop-tls" }, name);
        }
        const vtm = find(shop.objects, "Deployment", "vtm");
        const dataVolume = vtm.spec.template.spec.volumes.find((v: KubeObject) => v.name === "data-volume");
        const secrets = dataVolume.projected.sources.filter((s: KubeObject) => s.secret);
        assert.deepStrictEqual(secrets, [
            { secret: { name: "shop-tls", items: [{ key: "tls.crt", path: "tls/shop-tls/tls.crt" }, { key: "tls.key", path: "tls/shop-tls/tls.key" }] } },
        ]);
        // The data volume is mounted at /import/data: the importer resolves data/tls/... relative to /import.
        const mount = container(vtm).volumeMounts.find((m: KubeObject) => m.name === "data-volume");
        assert.strictEqual(mount.mountPath, "/import/data");
        assert.strictEqual(container(vtm).env.find((e: KubeObject) => e.name === "ZEUS_WATCHED_CONFIG").value, "/import");
    });

    it("exposes services without a frontend as ports of vtm-services, UDP ones as UDP", () => {
        const shared = find(shop.objects, "Service", "vtm-services");
        assert.strictEqual(shared.spec.type, "NodePort");
        const ports = shared.spec.ports.map(({ nodePort: _n, ...p }: KubeObject) => p);
        assert.deepStrictEqual(ports, [
            { name: "dns", port: 5353, targetPort: 5353, protocol: "UDP" },
            { name: "secure", port: 8443, targetPort: 8443, protocol: "TCP" },
            { name: "web", port: 8080, targetPort: 8080, protocol: "TCP" },
        ]);
    });

    it("gives a service with a frontend a Service of its own, of its type and port", () => {
        const api = find(shop.objects, "Service", "vtm-api");
        assert.strictEqual(api.spec.type, "LoadBalancer");
        assert.deepStrictEqual(api.spec.ports, [{ name: "api", port: 443, targetPort: 9443, protocol: "TCP" }]);
        assert.deepStrictEqual(api.metadata.annotations, { team: "api", "pulumi.com/waitFor": "jsonpath={.status.loadBalancer.ingress}", "pulumi.com/timeoutSeconds": "120" });
        assert.deepStrictEqual(api.spec.selector, find(shop.objects, "Service", "vtm-services").spec.selector);
    });

    it("outputs every service's URL, scheme from its protocol and TLS", () => {
        const nodePort = (name: string) => allocatedNodePort(shop, "vtm-services", name);
        const balancer = BALANCER;
        assert.deepStrictEqual(outputValue(shop, "serviceEndpoints"), {
            api: `https://${balancer}:443`,
            dns: `udp://203.0.113.7:${nodePort("dns")}`,
            secure: `https://203.0.113.7:${nodePort("secure")}`,
            web: `http://203.0.113.7:${nodePort("web")}`,
        });
        // The first service by name keeps the single-service outputs.
        assert.strictEqual(outputValue(shop, "serviceEndpoint"), `https://${balancer}:443`);
    });

    it("validates against the Kubernetes schemas", async () => {
        const { validateSchema } = await import("./helpers");
        for (const o of shop.objects) validateSchema(o);
    });
});

function mergedServerKey(objects: KubeObject[], name: string): any {
    const keys = Object.values(watchedDocuments(objects)).flatMap((d: any) => d.ssl?.server_keys ?? []);
    const found = keys.filter((k: any) => k.name === name);
    assert.strictEqual(found.length, 1, `one server key ${name}`);
    return found[0];
}

describe("services in each exposure mode", () => {
    it("LoadBalancer: vtm-services is a balancer and URLs use its address and the Service ports", async () => {
        const r = await renderDev({ ...SHOP, exposure: "LoadBalancer" }, {}, { balancerIngress: { ip: BALANCER } });
        const shared = find(r.objects, "Service", "vtm-services");
        assert.strictEqual(shared.spec.type, "LoadBalancer");
        const ip = BALANCER;
        const urls = outputValue(r, "serviceEndpoints") as Record<string, string>;
        assert.strictEqual(urls.web, `http://${ip}:8080`);
        assert.strictEqual(urls.dns, `udp://${ip}:5353`);
    });

    it("HostNetwork: no data Services; each virtual server listens on the node's own port", async () => {
        const r = await renderDev({ ...SHOP, ...HOST_NETWORK, nodeAddress: "198.51.100.4" });
        assert.deepStrictEqual(findAll(r.objects, "Service").map((s) => s.metadata.name), []);
        assert.deepStrictEqual(outputValue(r, "serviceEndpoints"), {
            api: "https://198.51.100.4:9443",
            dns: "udp://198.51.100.4:5353",
            secure: "https://198.51.100.4:8443",
            web: "http://198.51.100.4:8080",
        });
    });

    it("a ClusterIP frontend is reachable inside the cluster only, and its URL says so", async () => {
        const r = await renderDev({ services: JSON.stringify({ internal: { port: 8080, pool: "example-pool", frontend: { type: "ClusterIP" } } }) });
        assert.strictEqual(find(r.objects, "Service", "vtm-internal").spec.type, "ClusterIP");
        assert.deepStrictEqual(outputValue(r, "serviceEndpoints"), { internal: "http://vtm-internal.default.svc.cluster.local:8080" });
        assert.strictEqual(r.objects.some((o) => o.kind === "Service" && o.metadata.name === "vtm-services"), false);
    });

    it("a fixed nodePort and source ranges reach the Service", async () => {
        const r = await renderDev({
            services: JSON.stringify({
                web: { port: 80, pool: "example-pool", frontend: { nodePort: 30080 } },
                edge: { port: 81, pool: "example-pool", frontend: { type: "LoadBalancer", loadBalancerSourceRanges: ["192.0.2.0/24"] } },
            }),
        });
        assert.strictEqual(find(r.objects, "Service", "vtm-web").spec.ports[0].nodePort, 30080);
        assert.strictEqual(find(r.objects, "Service", "vtm-web").spec.type, "NodePort");
        assert.deepStrictEqual(find(r.objects, "Service", "vtm-edge").spec.loadBalancerSourceRanges, ["192.0.2.0/24"]);
        assert.strictEqual(outputValue(r, "serviceEndpoints") && (outputValue(r, "serviceEndpoints") as any).web, "http://203.0.113.7:30080");
    });

    it("an empty services map deploys the traffic manager alone, with no data Service", async () => {
        const r = await renderDev({ services: "{}" });
        assert.deepStrictEqual(outputValue(r, "serviceEndpoints"), {});
        assert.strictEqual(r.outputs.serviceEndpoint?.value, undefined);
        assert.deepStrictEqual(findAll(r.objects, "Service").map((s) => s.metadata.name).sort(), ["example-application-backend-service", "vtm-admin-services"]);
    });
});

describe("services and pools: refused before anything is registered", () => {
    const cases: [string, Record<string, string>, string[]][] = [
        [
            "a pool that does not exist",
            { services: '{"web": {"port": 80, "pool": "webb"}}', pools: '{"web": {"serviceName": "shop"}}' },
            ["services.web.pool: 'webb' is not a pool (defined: builtin_dns, discard, web)"],
        ],
        [
            "a rule that does not exist",
            { services: '{"web": {"port": 80, "pool": "discard", "requestRules": ["Nope"]}}' },
            ["services.web.requestRules: 'Nope' is not a rule (defined: Application Firewall Enforcer, internal_healthcheck, Response-Headers)"],
        ],
        [
            "a monitor that does not exist",
            { pools: '{"example-pool": {"monitors": ["Simple HTTPS", "Smiple HTTP"]}}' },
            ["pools.example-pool.monitors: 'Smiple HTTP' is not a monitor (defined: Client First, Connect, DNS, FTP, Full HTTP, Full HTTPS, Ping, POP, RTSP, Server First, … and 6 more)"],
        ],
        ["an unknown protocol", { services: '{"web": {"protocol": "http2", "port": 80, "pool": "discard"}}' }, [
            "services.web.protocol: 'http2' is not one of client_first, dns, dns_tcp, ftp, http, https, imaps, imapv2, imapv3, imapv4, ldap, ldaps, pop3, pop3s, rtsp, server_first, siptcp, sipudp, smtp, ssl, stream, telnet, udp, udpstreaming",
        ]],
        ["a service name that cannot be a port name", { services: '{"storefront-public": {"port": 80, "pool": "discard"}}' }, [
            "services.storefront-public: 'storefront-public' is not a service name: at most 15 lower-case letters, digits and '-', starting with a letter",
        ]],
        ["a missing port and pool", { services: '{"web": {}}' }, [
            "services.web.port: is required: the port the virtual server listens on (1 to 65535)",
            "services.web.pool: is required: a pool from pools, a pool in a document, or discard",
        ]],
        ["a port out of range", { services: '{"web": {"port": 70000, "pool": "discard"}}' }, ["services.web.port: 70000 is not a whole number from 1 to 65535"]],
        ["two services on one port", { services: '{"a": {"port": 80, "pool": "discard"}, "b": {"port": 80, "pool": "discard"}}' }, [
            "services.b.port: 80 is already used by virtual server 'a' (TCP/80)",
        ]],
        ["a service on the admin port", { services: '{"a": {"port": 9090, "pool": "discard"}}' }, [
            "services.a.port: 9090 is already used by the admin interface vtm-webui (TCP/9090)",
        ]],
        ["a service on the health-check port", { services: '{"a": {"port": 19999, "pool": "discard"}}' }, [
            "services.a.port: 19999 is already used by virtual server 'kubernetes_healthcheck' (TCP/19999)",
        ]],
        ["TLS on UDP", { services: '{"a": {"protocol": "udp", "port": 53, "pool": "discard", "tlsSecret": "x"}}' }, [
            "services.a.tlsSecret: a udp virtual server carries UDP and cannot decrypt TLS; use a TCP protocol or turn TLS off",
        ]],
        ["one nodePort twice", { services: '{"a": {"port": 80, "pool": "discard", "frontend": {"nodePort": 30080}}, "b": {"port": 81, "pool": "discard", "frontend": {"nodePort": 30080}}}' }, [
            "services.b.frontend.nodePort: 30080 is already used by services.a",
        ]],
        ["a nodePort on a ClusterIP", { services: '{"a": {"port": 80, "pool": "discard", "frontend": {"type": "ClusterIP", "nodePort": 30080}}}' }, [
            "services.a.frontend.nodePort: 30080 needs type NodePort or LoadBalancer (type is ClusterIP)",
        ]],
        ["a frontend Service name taken by the program", { services: '{"admin-services": {"port": 80, "pool": "discard", "frontend": {}}}' }, [
            "services.admin-services: its Service name 'vtm-admin-services' is already used by the admin Service; rename the service",
        ]],
        ["an unknown service field", { services: '{"web": {"port": 80, "pool": "discard", "tls": "x"}}' }, [
            "services.web.tls: is not a setting (allowed: protocol, port, pool, tlsSecret, requestRules, responseRules, frontend)",
        ]],
        ["services that are not a map", { services: '["web"]' }, [
            `services: '["web"]' is not a map of names to objects (set one with: npm run pulumi -- config set --path 'services.<name>.<field>' <value>)`,
        ]],
        ["a port name with a port", { pools: '{"example-pool": {"serviceName": "x", "portName": "http", "port": 80}}' }, [
            "pools.example-pool.portName: cannot be combined with pools.example-pool.port (with a port the pool looks up the Service's addresses; without one it finds the port by an SRV lookup of the port's name and protocol)",
        ]],
        ["an unknown algorithm", { pools: '{"example-pool": {"algorithm": "roundrobin"}}' }, [
            "pools.example-pool.algorithm: 'roundrobin' is not one of fastest_response_time, least_connections, perceptive, random, round_robin, weighted_least_connections, weighted_round_robin",
        ]],
        ["a bad portProtocol", { pools: '{"example-pool": {"portProtocol": "sctp"}}' }, ["pools.example-pool.portProtocol: 'sctp' is not one of tcp, udp"]],
    ];
    for (const [what, values, expected] of cases) {
        it(`refuses ${what}, naming the setting`, async () => {
            const { message, recorder } = await renderRefused(values);
            const listed = message.split("\n").slice(1).map((l) => l.replace(/^ {2}- /, ""));
            assert.deepStrictEqual(listed, expected);
            assert.deepStrictEqual(recorder.resources, []);
        });
    }
});

describe("services: other settings", () => {
    it("apiVersion sets the generated documents' version, and no document may be newer", async () => {
        const r = await renderDev({ image: "pulsesecure/vtm:22.7R2", apiVersion: "7.0" });
        for (const [key, doc] of Object.entries(watchedDocuments(r.objects))) assert.strictEqual(doc.version, 7, key);
        const refused = await renderRefused({ apiVersion: "6.1" }, { configDir: configWith({ "documents/50-web.yaml": "version: 6.2\npools: []\n" }) });
        assert.match(refused.message, /config\/documents\/50-web\.yaml: version: 6\.2 is newer than 6\.1, the highest API version the traffic manager image understands/);
        assert.deepStrictEqual(refused.recorder.resources, []);
    });

    it("source ranges on a frontend that is a NodePort are ignored, with a warning that says so", async () => {
        const r = await renderDev({ services: '{"web": {"port": 8080, "pool": "example-pool", "frontend": {"loadBalancerSourceRanges": ["10.0.0.0/8"]}}}' });
        assert.deepStrictEqual(r.notes.filter((n) => n.startsWith("warning:")), [
            "warning: services.web.frontend.loadBalancerSourceRanges: is ignored: the Service is a NodePort (set frontend.type LoadBalancer to use them)",
        ]);
        assert.strictEqual(find(r.objects, "Service", "vtm-web").spec.loadBalancerSourceRanges, undefined);
    });

    it("in HostNetwork mode a frontend is ignored, with a warning that says so", async () => {
        const r = await renderDev({ ...HOST_NETWORK, services: '{"web": {"port": 8080, "pool": "example-pool", "frontend": {"type": "LoadBalancer"}}}' });
        assert.deepStrictEqual(r.notes.filter((n) => n.startsWith("warning: services.")), [
            "warning: services.web.frontend: is ignored in HostNetwork exposure (the service listens on the node's port 8080)",
        ]);
        assert.deepStrictEqual(findAll(r.objects, "Service").map((s) => s.metadata.name), ["example-application-backend-service"]);
    });
});

describe("services: every problem of a service in one run", () => {
    it("a wrong protocol and a port clash are reported together", async () => {
        const { message } = await renderRefused({ services: '{"web": {"protocol": "htp", "port": 9090, "pool": "discard"}}' });
        const problems = message.split("\n").slice(1).map((l) => l.replace(/^ {2}- /, ""));
        assert.strictEqual(problems.length, 2, message);
        assert.match(problems.join("\n"), /^services\.web\.protocol: 'htp' is not one of client_first, /m);
        assert.match(problems.join("\n"), /^services\.web\.port: 9090 is already used by the admin interface vtm-webui \(TCP\/9090\)$/m);
    });
});
