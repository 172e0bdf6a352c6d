// The document validator: every rule, broken once, with the exact line it reports; the shipped and
// upstream documents pass; problems across many documents come back together, in order.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { DocumentInput, Finding, ValidationContext, formatFinding, validateDocuments } from "../vtm/validation";
import { SEED_EXAMPLE_DOCUMENT } from "./fixtures";

const MOUNTED: ValidationContext = {
    mountedFiles: new Set(["data/simple-rule", "data/rules/x", "data/tls/web-cert/tls.crt", "data/tls/web-cert/tls.key"]),
};

/** "<severity> <formatted finding>" for each finding of some documents. */
function report(documents: readonly DocumentInput[], context: ValidationContext = MOUNTED): string[] {
    return validateDocuments(documents, context).map((f) => `${f.severity} ${formatFinding(f)}`);
}

/** The findings of one document, labelled "t.yaml", with `version: 6.2` unless the sections set it. */
function reportOne(sections: Record<string, unknown>, context: ValidationContext = MOUNTED): string[] {
    return report([{ source: "t.yaml", document: { version: 6.2, ...sections } }], context);
}

/** A virtual server with a valid port and pool unless `basic` overrides them, plus other groups. */
function vs(name: string, basic: Record<string, unknown>, groups: Record<string, unknown> = {}): unknown {
    return { name, properties: { basic: { port: 80, pool: "discard", ...basic }, ...groups } };
}

function fileRef(name: string): unknown {
    return { valueFrom: { fileRef: { name } } };
}

// The upstream documents (kubernetes-vtm deploy/*.yaml), as the seed test writes them out.
const BASE_DOCUMENT = {
    version: 6.2,
    global_settings: { properties: { java: { enabled: false }, fault_tolerance: { frontend_check_ips: [] }, web_cache: { size: 0 } } },
};

const HEALTHCHECK_DOCUMENT = {
    version: 6.2,
    virtual_servers: [
        {
            name: "kubernetes_healthcheck",
            properties: { basic: { enabled: true, port: 19999, protocol: "http", pool: "discard", request_rules: ["internal_healthcheck"] } },
        },
    ],
    rules: [{ name: "internal_healthcheck", content: "http.sendResponse( '200 OK', 'text/plain', '', '');" }],
};

// A TLS service with its key from a mounted Secret, listening on a traffic IP group.
const TLS_DOCUMENT = {
    version: 6.2,
    ssl: {
        server_keys: [
            {
                name: "web-cert",
                properties: { basic: { public: fileRef("data/tls/web-cert/tls.crt"), private: fileRef("data/tls/web-cert/tls.key"), note: "from Secret web-cert" } },
            },
        ],
    },
    virtual_servers: [
        {
            name: "web-tls",
            properties: {
                basic: { enabled: true, port: 443, protocol: "http", pool: "example-pool", ssl_decrypt: true, listen_on_any: false, listen_on_traffic_ips: ["web-ips"] },
                ssl: {
                    server_cert_default: "web-cert",
                    server_cert_alt_certificates: [],
                    server_cert_host_mapping: [{ host: "www.example.com", certificate: "web-cert", alt_certificates: [] }],
                    support_tls1_3: "enabled",
                    request_client_cert: "dont_request",
                },
                http: { add_x_forwarded_for: true, location_rewrite: "if_host_matches" },
                connection: { timeout: 300, keepalive: true, max_client_buffer: 65536 },
            },
        },
    ],
    traffic_ip_groups: [
        { name: "web-ips", properties: { basic: { enabled: true, mode: "singlehosted", ipaddresses: ["10.1.0.10"], machines: ["vtm-0"] } } },
        { name: "shared-ips", properties: { basic: { mode: "multihosted", multicast: "239.100.1.2", ipaddresses: ["10.1.0.11"] } } },
    ],
};

// A UDP (DNS) service with a fixed node list and its own monitor.
const UDP_DOCUMENT = {
    version: 6.2,
    virtual_servers: [
        { name: "dns", properties: { basic: { enabled: true, port: 53, protocol: "dns", pool: "dns-pool" }, udp: { timeout: 7, end_point_persistence: true } } },
    ],
    pools: [
        {
            name: "dns-pool",
            properties: {
                basic: {
                    monitors: ["dns-check", "Ping"],
                    nodes_table: [
                        { node: "10.0.0.53:53", state: "active", weight: 1, priority: 1 },
                        { node: "10.0.0.54:53", state: "draining", weight: 100, priority: 0 },
                    ],
                    failure_pool: "example-pool",
                },
                load_balancing: { algorithm: "weighted_round_robin" },
                udp: { accept_from: "dest_only" },
            },
        },
    ],
    monitors: [
        {
            name: "dns-check",
            properties: {
                basic: { type: "tcp_transaction", scope: "pernode", delay: 5, timeout: 3, failures: 3, use_ssl: false },
                tcp: { write_string: "ping", response_regex: ".+", max_response_len: 2048 },
            },
        },
    ],
};

const VALID_SET: DocumentInput[] = [
    { source: "base/00-vtm-base-config.yaml", document: BASE_DOCUMENT },
    { source: "base/00-vtm-healthcheck-config.yaml", document: HEALTHCHECK_DOCUMENT },
    { source: "my-service-config", document: SEED_EXAMPLE_DOCUMENT },
    { source: "tls.yaml", document: TLS_DOCUMENT },
    { source: "udp.yaml", document: UDP_DOCUMENT },
];

describe("validation: valid documents", () => {
    it("accepts the upstream documents plus a TLS service, a UDP service, a monitor and traffic IP groups", () => {
        assert.deepStrictEqual(report(VALID_SET), []);
    });

    it("does not change the documents it checks", () => {
        const before = structuredClone(VALID_SET);
        validateDocuments(VALID_SET, MOUNTED);
        const broken = [{ source: "x", document: { version: "6", pools: [{ name: "p", properties: { basic: { monitors: ["nope"] } } }] } }];
        const brokenBefore = structuredClone(broken);
        assert.notDeepStrictEqual(report(broken), []);
        assert.deepStrictEqual(VALID_SET, before);
        assert.deepStrictEqual(broken, brokenBefore);
    });

    it("accepts the base documents shipped under config/base", () => {
        const baseDir = path.resolve(__dirname, "..", "config", "base");
        const files = fs.readdirSync(baseDir).filter((f) => /\.ya?ml$/.test(f)).sort();
        assert.ok(files.length >= 2, `expected the base documents in ${baseDir}`);
        const documents = files.map((f) => ({ source: `config/base/${f}`, document: yaml.load(fs.readFileSync(path.join(baseDir, f), "utf8")) }));
        assert.deepStrictEqual(report(documents, { mountedFiles: new Set() }), []);
    });

    it("accepts an empty list of documents and a document with only a version", () => {
        assert.deepStrictEqual(report([]), []);
        assert.deepStrictEqual(reportOne({}), []);
    });
});

describe("validation: documents", () => {
    it("refuses a document that is not a mapping, saying what it is", () => {
        assert.deepStrictEqual(
            report([
                { source: "a.yaml", document: [{ version: 6.2 }] },
                { source: "b.yaml", document: "version: 6.2" },
                { source: "c.yaml", document: null },
                { source: "d.yaml", document: undefined },
                { source: "e.yaml", document: 42 },
            ]),
            [
                "error a.yaml: is not a mapping of sections (found a list)",
                "error b.yaml: is not a mapping of sections (found the string 'version: 6.2')",
                "error c.yaml: is not a mapping of sections (found nothing)",
                "error d.yaml: is not a mapping of sections (found nothing)",
                "error e.yaml: is not a mapping of sections (found the number 42)",
            ],
        );
    });

    it("requires a numeric version no newer than the image's API", () => {
        assert.deepStrictEqual(
            report([
                { source: "a.yaml", document: { pools: [] } },
                { source: "b.yaml", document: { version: "6.2" } },
                { source: "c.yaml", document: { version: 7.0 } },
                { source: "d.yaml", document: { version: 6.1 } },
            ]),
            [
                "error a.yaml: version: is missing: expected an API version number such as 6.2",
                "error b.yaml: version: '6.2' is not an API version number such as 6.2",
                "error c.yaml: version: 7 is newer than 6.2, the highest API version the traffic manager image understands",
            ],
        );
    });

    it("takes the highest version from the context", () => {
        assert.deepStrictEqual(report([{ source: "c.yaml", document: { version: 7.0 } }], { ...MOUNTED, apiVersion: 7.0 }), []);
        assert.deepStrictEqual(report([{ source: "c.yaml", document: { version: 6.2 } }], { ...MOUNTED, apiVersion: 6.1 }), [
            "error c.yaml: version: 6.2 is newer than 6.1, the highest API version the traffic manager image understands",
        ]);
    });

    it("warns about a top-level key that is not a configuration section, naming the closest or the known ones", () => {
        assert.deepStrictEqual(reportOne({ virtual_server: [], sevrices: [] }), [
            "warning t.yaml: virtual_server: is not a configuration section (closest: virtual_servers)",
            "warning t.yaml: sevrices: is not a configuration section (known: action_programs, actions, appliance, aptimizer, bandwidth, bgpneighbors, cloud_api_credentials, custom, dns_server, event_types, … and 25 more)",
        ]);
    });

    it("only warns about unknown sections, groups and fields when the document's version is newer than every schema", () => {
        const document = { version: 9.0, virtual_servers: [vs("web", { port: "80" }, { sip: { udp_associate_by_peer: true } })], new_section: [] };
        assert.deepStrictEqual(report([{ source: "t.yaml", document }], { ...MOUNTED, apiVersion: 9.0 }), [
            "error t.yaml: virtual_servers 'web': properties.basic.port: '80' is not a whole number from 1 to 65535",
            "warning t.yaml: virtual_servers 'web': properties.sip.udp_associate_by_peer: is not a field of sip (closest: udp_associate_by_source); not in the API 8.3 schema, the newest here, but API 9 may have it: not checked",
            "warning t.yaml: new_section: is not a configuration section (known: action_programs, actions, appliance, aptimizer, bandwidth, bgpneighbors, cloud_api_credentials, custom, dns_server, event_types, … and 25 more); not in the API 8.3 schema, the newest here, but API 9 may have it: not checked",
        ]);
    });

    it("accepts every kind of REST section: flat, nested, singleton and raw text", () => {
        const sections = {
            actions: [{ name: "mail", properties: { basic: { type: "email" } } }],
            persistence: [{ name: "sticky", properties: { basic: { type: "ip" } } }],
            servicediscovery: [{ name: "custom", content: fileRef("data/rules/x") }],
            dns_server: { zones: [{ name: "example.com", properties: { basic: { origin: "example.com", zonefile: "db.example" } } }] },
            kerberos: { principals: [] },
            aptimizer: { profiles: [] },
            saml: { trustedidps: [] },
            appliance: { nat: { properties: {} } },
            security: { properties: { basic: { access: [] } } },
            ssl: { cas: [{ name: "ca", content: "PEM" }], client_keys: [], ticket_keys: [] },
        };
        assert.deepStrictEqual(reportOne(sections), []);
    });

    it("refuses an unknown child of a nested section", () => {
        assert.deepStrictEqual(reportOne({ ssl: { server_key: [], certs: [] }, dns_server: { zone: [] } }), [
            "error t.yaml: ssl.server_key: is not a configuration section (closest: ssl.server_keys)",
            "error t.yaml: ssl.certs: is not a configuration section (known: ssl.cas, ssl.client_keys, ssl.server_keys, ssl.ticket_keys)",
            "error t.yaml: dns_server.zone: is not a configuration section (closest: dns_server.zones)",
        ]);
    });

    it("refuses an ssl section that is not a mapping", () => {
        assert.deepStrictEqual(reportOne({ ssl: [{ name: "k" }] }), ["error t.yaml: ssl: is not a mapping of ssl sections (cas, client_keys, server_keys, ticket_keys) (found a list)"]);
    });
});

describe("validation: named sections", () => {
    it("requires a list of mappings, each with a non-empty string name", () => {
        assert.deepStrictEqual(reportOne({ virtual_servers: { name: "web" } }), ["error t.yaml: virtual_servers: is not a list of objects (found a mapping)"]);
        assert.deepStrictEqual(reportOne({ pools: ["web", { properties: {} }, { name: "", properties: {} }, { name: 7, properties: {} }] }), [
            "error t.yaml: pools: [0]: is not a mapping with a name (found the string 'web')",
            "error t.yaml: pools: [1].name: is missing: every object needs a non-empty string name",
            "error t.yaml: pools: [2].name: '' is not a non-empty string",
            "error t.yaml: pools: [3].name: 7 is not a non-empty string",
        ]);
    });

    it("still checks the fields of an object without a name, by its index", () => {
        assert.deepStrictEqual(reportOne({ pools: [{ properties: { basic: { passive_monitoring: "yes" } } }] }), [
            "error t.yaml: pools: [0].name: is missing: every object needs a non-empty string name",
            "error t.yaml: pools: [0].properties.basic.passive_monitoring: 'yes' is not true or false",
        ]);
    });

    it("refuses a name defined twice in one document", () => {
        assert.deepStrictEqual(reportOne({ monitors: [{ name: "m", properties: {} }, { name: "n", properties: {} }, { name: "m", properties: {} }] }), [
            "error t.yaml: monitors 'm': is defined twice in this document (monitors[0] and [2])",
        ]);
    });

    it("allows the same name in different documents", () => {
        const doc = { version: 6.2, pools: [{ name: "p", properties: {} }] };
        assert.deepStrictEqual(report([{ source: "a.yaml", document: doc }, { source: "b.yaml", document: doc }]), []);
    });

    it("requires properties to be a mapping of groups, each a mapping of fields", () => {
        assert.deepStrictEqual(reportOne({ pools: [{ name: "a" }, { name: "b", properties: [] }, { name: "c", properties: { basic: null } }] }), [
            "error t.yaml: pools 'a': properties: is missing: expected a mapping of property groups",
            "error t.yaml: pools 'b': properties: is not a mapping of property groups (found a list)",
            "error t.yaml: pools 'c': properties.basic: is not a mapping of fields (found nothing)",
        ]);
    });

    it("refuses keys other than name and properties (or content for rules)", () => {
        assert.deepStrictEqual(reportOne({ pools: [{ name: "p", propertes: {}, properties: {} }], rules: [{ name: "r", content: "", properties: {} }] }), [
            "error t.yaml: pools 'p': propertes: is not a key of an object in pools (known: name, properties)",
            "error t.yaml: rules 'r': properties: is not a key of an object in rules (known: content, name)",
        ]);
    });

    it("refuses unknown groups and misspelt fields, naming the closest or every known one", () => {
        assert.deepStrictEqual(reportOne({ virtual_servers: [vs("web", { prot: "http", protocoll: "http", xyz: 1 }, { basics: {} })] }), [
            "error t.yaml: virtual_servers 'web': properties.basic.prot: is not a field of basic (closest: port)",
            "error t.yaml: virtual_servers 'web': properties.basic.protocoll: is not a field of basic (closest: protocol)",
            "error t.yaml: virtual_servers 'web': properties.basic.xyz: is not a field of basic (known: bandwidth_class, completion_rules, connect_timeout, enabled, glb_services, listen_on_any, listen_on_hosts, listen_on_traffic_ips, max_concurrent_connections, note, pool, port, protection_class, protocol, proxy_protocol, proxy_protocol_optional, request_rules, response_rules, rules_on_connect, slm_class, ssl_decrypt, transparent)",
            "error t.yaml: virtual_servers 'web': properties.basics: is not a property group of virtual_servers (closest: basic)",
        ]);
        assert.deepStrictEqual(reportOne({ traffic_ip_groups: [{ name: "t", properties: { ssl: {} } }] }), [
            "error t.yaml: traffic_ip_groups 't': properties.ssl: is not a property group of traffic_ip_groups (known: basic)",
        ]);
    });

    it("checks every group's fields, including the expert keys only go-vtm lists", () => {
        const groups = { gzip: { enabled: "maybe", chunk: "yes" }, aptimizer: { profile: [{ name: "x" }] }, ssl: { cipher_suites: 1, min_key_size: "2048" } };
        assert.deepStrictEqual(reportOne({ virtual_servers: [vs("web", { rules_on_connect: [] }, groups)] }), [
            "error t.yaml: virtual_servers 'web': properties.basic.rules_on_connect: [] is not true or false",
            "error t.yaml: virtual_servers 'web': properties.gzip.enabled: 'maybe' is not true or false",
            "error t.yaml: virtual_servers 'web': properties.gzip.chunk: 'yes' is not true or false",
            "error t.yaml: virtual_servers 'web': properties.aptimizer.profile[0].urls: is required",
            "error t.yaml: virtual_servers 'web': properties.ssl.cipher_suites: 1 is not a string",
            "error t.yaml: virtual_servers 'web': properties.ssl.min_key_size: '2048' is not a whole number",
        ]);
    });
});

describe("validation: virtual server fields", () => {
    it("checks basic types, enums and ranges", () => {
        const basic = {
            port: "eighty",
            enabled: "yes",
            protocol: "htp",
            request_rules: "internal_healthcheck",
            response_rules: [3],
            connect_timeout: 100000,
            max_concurrent_connections: -1,
            note: 42,
            listen_on_any: 1,
        };
        assert.deepStrictEqual(reportOne({ virtual_servers: [vs("web", basic)] }), [
            "error t.yaml: virtual_servers 'web': properties.basic.port: 'eighty' is not a whole number from 1 to 65535",
            "error t.yaml: virtual_servers 'web': properties.basic.enabled: 'yes' is not true or false",
            "error t.yaml: virtual_servers 'web': properties.basic.protocol: 'htp' is not one of client_first, dns, dns_tcp, ftp, http, https, imaps, imapv2, imapv3, imapv4, ldap, ldaps, pop3, pop3s, rtsp, server_first, siptcp, sipudp, smtp, ssl, stream, telnet, udp, udpstreaming",
            "error t.yaml: virtual_servers 'web': properties.basic.request_rules: 'internal_healthcheck' is not a list of strings",
            "error t.yaml: virtual_servers 'web': properties.basic.response_rules[0]: 3 is not a string",
            "error t.yaml: virtual_servers 'web': properties.basic.connect_timeout: 100000 is not a whole number from 0 to 99999",
            "error t.yaml: virtual_servers 'web': properties.basic.max_concurrent_connections: -1 is not a whole number of 0 or more",
            "error t.yaml: virtual_servers 'web': properties.basic.note: 42 is not a string",
            "error t.yaml: virtual_servers 'web': properties.basic.listen_on_any: 1 is not true or false",
        ]);
    });

    it("refuses a port of 0, 65536 or 80.5", () => {
        assert.deepStrictEqual(reportOne({ virtual_servers: [vs("a", { port: 0 }), vs("b", { port: 65536 }), vs("c", { port: 80.5 })] }), [
            "error t.yaml: virtual_servers 'a': properties.basic.port: 0 is not a whole number from 1 to 65535",
            "error t.yaml: virtual_servers 'b': properties.basic.port: 65536 is not a whole number from 1 to 65535",
            "error t.yaml: virtual_servers 'c': properties.basic.port: 80.5 is not a whole number from 1 to 65535",
        ]);
    });

    it("checks ssl fields, including host-mapping rows", () => {
        const ssl = {
            request_client_cert: "always",
            client_cert_headers: "full",
            support_tls1_2: "on",
            ocsp_stapling: "true",
            server_cert_host_mapping: [{ certificate: "web-cert", hosts: "x" }, "www.example.com"],
        };
        assert.deepStrictEqual(reportOne({ virtual_servers: [vs("web", {}, { ssl })], ssl: { server_keys: [{ name: "web-cert", properties: { basic: { public: "P", private: "K" } } }] } }), [
            "error t.yaml: virtual_servers 'web': properties.ssl.request_client_cert: 'always' is not one of dont_request, request, require",
            "error t.yaml: virtual_servers 'web': properties.ssl.client_cert_headers: 'full' is not one of all, none, simple",
            "error t.yaml: virtual_servers 'web': properties.ssl.support_tls1_2: 'on' is not one of disabled, enabled, use_default",
            "error t.yaml: virtual_servers 'web': properties.ssl.ocsp_stapling: 'true' is not true or false",
            "error t.yaml: virtual_servers 'web': properties.ssl.server_cert_host_mapping[0].hosts: is not a field of server_cert_host_mapping rows (closest: host)",
            "error t.yaml: virtual_servers 'web': properties.ssl.server_cert_host_mapping[0].host: is required",
            "error t.yaml: virtual_servers 'web': properties.ssl.server_cert_host_mapping[1]: 'www.example.com' is not a row (a mapping of fields)",
        ]);
    });

    it("checks connection, http, udp and tcp fields", () => {
        const groups = {
            connection: { max_client_buffer: 100, keepalive: "on" },
            http: { location_rewrite: "sometimes", add_x_forwarded_proto: null },
            udp: { timeout: 0, response_datagrams_expected: 1.5 },
            tcp: { nagle: "off" },
        };
        assert.deepStrictEqual(reportOne({ virtual_servers: [vs("web", {}, groups)] }), [
            "error t.yaml: virtual_servers 'web': properties.connection.max_client_buffer: 100 is not a whole number from 1024 to 16777216",
            "error t.yaml: virtual_servers 'web': properties.connection.keepalive: 'on' is not true or false",
            "error t.yaml: virtual_servers 'web': properties.http.location_rewrite: 'sometimes' is not one of always, if_host_matches, never",
            "error t.yaml: virtual_servers 'web': properties.http.add_x_forwarded_proto: null is not true or false",
            "error t.yaml: virtual_servers 'web': properties.udp.timeout: 0 is not a whole number from 1 to 99999",
            "error t.yaml: virtual_servers 'web': properties.udp.response_datagrams_expected: 1.5 is not a whole number",
            "error t.yaml: virtual_servers 'web': properties.tcp.nagle: 'off' is not true or false",
        ]);
    });

    it("accepts a file reference in place of any field value, and checks the reference instead", () => {
        assert.deepStrictEqual(reportOne({ virtual_servers: [vs("web", { note: fileRef("data/rules/x"), port: fileRef("data/port") })] }), [
            "error t.yaml: virtual_servers 'web': properties.basic.port: 'data/port' is not a mounted file (mounted: data/rules/x, data/simple-rule, data/tls/web-cert/tls.crt, data/tls/web-cert/tls.key)",
        ]);
    });

    it("cuts long values to 80 characters", () => {
        const long = "x".repeat(100);
        assert.deepStrictEqual(reportOne({ virtual_servers: [vs("web", { note: { text: long } }, { http: { location_rewrite: long } })] }), [
            `error t.yaml: virtual_servers 'web': properties.basic.note: {"text":"${"x".repeat(71)}… (111 characters) is not a string`,
            `error t.yaml: virtual_servers 'web': properties.http.location_rewrite: '${"x".repeat(80)}…' (100 characters) is not one of always, if_host_matches, never`,
        ]);
    });

    it("shows line breaks in a value as \\n", () => {
        assert.deepStrictEqual(reportOne({ virtual_servers: [vs("web", { enabled: "a\nb" })] }), [
            "error t.yaml: virtual_servers 'web': properties.basic.enabled: 'a\\nb' is not true or false",
        ]);
    });
});

describe("validation: pool fields", () => {
    it("checks node rows: host:port, state, weight and priority", () => {
        const nodes_table = [
            { node: "10.0.0.1" },
            { node: "10.0.0.2:70000", state: "up", weight: 0, priority: -1 },
            { state: "active" },
            { node: "[::1]:80", source_ip: "10.0.0.9" },
            { node: 8080 },
        ];
        assert.deepStrictEqual(reportOne({ pools: [{ name: "p", properties: { basic: { nodes_table } } }] }), [
            "error t.yaml: pools 'p': properties.basic.nodes_table[0].node: '10.0.0.1' is not host:port with a port from 1 to 65535",
            "error t.yaml: pools 'p': properties.basic.nodes_table[1].node: '10.0.0.2:70000' is not host:port with a port from 1 to 65535",
            "error t.yaml: pools 'p': properties.basic.nodes_table[1].state: 'up' is not one of active, disabled, draining",
            "error t.yaml: pools 'p': properties.basic.nodes_table[1].weight: 0 is not a whole number from 1 to 100",
            "error t.yaml: pools 'p': properties.basic.nodes_table[1].priority: -1 is not a whole number of 0 or more",
            "error t.yaml: pools 'p': properties.basic.nodes_table[2].node: is required",
            "error t.yaml: pools 'p': properties.basic.nodes_table[4].node: 8080 is not host:port with a port from 1 to 65535",
        ]);
        assert.deepStrictEqual(reportOne({ pools: [{ name: "p", properties: { basic: { nodes_table: "10.0.0.1:80" } } }] }), [
            "error t.yaml: pools 'p': properties.basic.nodes_table: '10.0.0.1:80' is not a table (a list of rows)",
        ]);
    });

    it("checks basic, service discovery, load balancing, ssl, connection, node, http, tcp and udp fields", () => {
        const properties = {
            basic: { passive_monitoring: "true", node_connection_attempts: 0, node_delete_behavior: "later" },
            service_discovery: { enabled: "yes", plugin: 1, interval: -5 },
            load_balancing: { algorithm: "roundrobin", priority_nodes: 0 },
            ssl: { enable: "true", support_tls1_3: "yes", common_name_match: "example.com" },
            connection: { max_connect_time: 0, queue_timeout: 31536001 },
            node: { retry_fail_time: 0 },
            http: { keepalive: 1 },
            tcp: { nagle: "no" },
            udp: { accept_from: "anyone" },
        };
        assert.deepStrictEqual(reportOne({ pools: [{ name: "p", properties }] }), [
            "error t.yaml: pools 'p': properties.basic.passive_monitoring: 'true' is not true or false",
            "error t.yaml: pools 'p': properties.basic.node_connection_attempts: 0 is not a whole number from 1 to 100",
            "error t.yaml: pools 'p': properties.basic.node_delete_behavior: 'later' is not one of drain, immediate",
            "error t.yaml: pools 'p': properties.service_discovery.enabled: 'yes' is not true or false",
            "error t.yaml: pools 'p': properties.service_discovery.plugin: 1 is not a string",
            "error t.yaml: pools 'p': properties.service_discovery.interval: -5 is not a whole number of 0 or more",
            "error t.yaml: pools 'p': properties.load_balancing.algorithm: 'roundrobin' is not one of fastest_response_time, least_connections, perceptive, random, round_robin, weighted_least_connections, weighted_round_robin",
            "error t.yaml: pools 'p': properties.load_balancing.priority_nodes: 0 is not a whole number from 1 to 65535",
            "error t.yaml: pools 'p': properties.ssl.enable: 'true' is not true or false",
            "error t.yaml: pools 'p': properties.ssl.support_tls1_3: 'yes' is not one of disabled, enabled, use_default",
            "error t.yaml: pools 'p': properties.ssl.common_name_match: 'example.com' is not a list of strings",
            "error t.yaml: pools 'p': properties.connection.max_connect_time: 0 is not a whole number from 1 to 99999",
            "error t.yaml: pools 'p': properties.connection.queue_timeout: 31536001 is not a whole number from 0 to 31536000",
            "error t.yaml: pools 'p': properties.node.retry_fail_time: 0 is not a whole number from 1 to 99999",
            "error t.yaml: pools 'p': properties.http.keepalive: 1 is not true or false",
            "error t.yaml: pools 'p': properties.tcp.nagle: 'no' is not true or false",
            "error t.yaml: pools 'p': properties.udp.accept_from: 'anyone' is not one of all, dest_ip_only, dest_only, ip_mask",
        ]);
    });
});

describe("validation: rules and server keys", () => {
    it("requires rule content as a string or a file reference", () => {
        assert.deepStrictEqual(reportOne({ rules: [{ name: "a", content: 42 }, { name: "b", content: { valueFrom: { secretKeyRef: { name: "s" } } } }, { name: "c" }] }), [
            "error t.yaml: rules 'a': content: 42 is not a string",
            `error t.yaml: rules 'b': content: {"valueFrom":{"secretKeyRef":{"name":"s"}}} is not a file reference: expected {valueFrom: {fileRef: {name: <path under /import>}}}`,
            "error t.yaml: rules 'c': content: is required (no document sets it)",
        ]);
    });

    it("requires a server key's public and private parts, as text or file references", () => {
        const keys = [
            { name: "a", properties: { basic: { public: fileRef("data/tls/web-cert/tls.crt") } } },
            { name: "b", properties: { basic: { public: 1, private: "PEM", request: [], note: false } } },
            { name: "c", properties: { basic: { public: "P", private: "K", secret: "x" }, extra: {} } },
        ];
        assert.deepStrictEqual(reportOne({ ssl: { server_keys: keys } }), [
            "error t.yaml: ssl.server_keys 'a': properties.basic.private: is required (no document sets it)",
            "error t.yaml: ssl.server_keys 'b': properties.basic.public: 1 is not a string",
            "error t.yaml: ssl.server_keys 'b': properties.basic.request: [] is not a string",
            "error t.yaml: ssl.server_keys 'b': properties.basic.note: false is not a string",
            "error t.yaml: ssl.server_keys 'c': properties.basic.secret: is not a field of basic (known: note, private, public, request)",
            "error t.yaml: ssl.server_keys 'c': properties.extra: is not a property group of ssl.server_keys (known: basic)",
        ]);
        assert.deepStrictEqual(reportOne({ ssl: { server_keys: { name: "k" } } }), ["error t.yaml: ssl.server_keys: is not a list of objects (found a mapping)"]);
    });
});

describe("validation: monitors and traffic IP groups", () => {
    it("checks monitor fields", () => {
        const properties = {
            basic: { type: "https", scope: "global", delay: 0, timeout: 100000, failures: 0, back_off: "no", factory: true },
            http: { path: 1 },
            tcp: { max_response_len: -1 },
            sip: { transport: "tls" },
            rtsp: { status_regex: false },
            script: { program: "check.sh", arguments: [{ name: "host" }, { name: "port", value: "80", help: "x" }] },
            udp: { accept_all: "yes" },
        };
        assert.deepStrictEqual(reportOne({ monitors: [{ name: "m", properties }] }), [
            "error t.yaml: monitors 'm': properties.basic.type: 'https' is not one of connect, http, ping, program, rtsp, sip, tcp_transaction",
            "error t.yaml: monitors 'm': properties.basic.scope: 'global' is not one of pernode, poolwide",
            "error t.yaml: monitors 'm': properties.basic.delay: 0 is not a whole number from 1 to 999990",
            "error t.yaml: monitors 'm': properties.basic.timeout: 100000 is not a whole number from 1 to 99999",
            "error t.yaml: monitors 'm': properties.basic.failures: 0 is not a whole number from 1 to 99999",
            "error t.yaml: monitors 'm': properties.basic.back_off: 'no' is not true or false",
            "warning t.yaml: monitors 'm': properties.basic.factory: is read-only: the traffic manager sets it",
            "error t.yaml: monitors 'm': properties.http.path: 1 is not a string",
            "error t.yaml: monitors 'm': properties.tcp.max_response_len: -1 is not a whole number of 0 or more",
            "error t.yaml: monitors 'm': properties.sip.transport: 'tls' is not one of tcp, udp",
            "error t.yaml: monitors 'm': properties.rtsp.status_regex: false is not a string",
            "error t.yaml: monitors 'm': properties.script.program: 'check.sh' is not a monitor script (defined: dns.pl)",
            "error t.yaml: monitors 'm': properties.script.arguments[0].value: is required",
            "error t.yaml: monitors 'm': properties.script.arguments[1].help: is not a field of arguments rows (known: description, name, value)",
            "error t.yaml: monitors 'm': properties.udp.accept_all: 'yes' is not true or false",
        ]);
    });

    it("checks traffic IP group fields and needs multicast for multihosted groups", () => {
        const groups = [
            { name: "a", properties: { basic: { mode: "active", ipaddresses: "10.0.0.1", ip_assignment_mode: "random", ip_mapping: [{ ip: "10.0.0.1" }], rhi_ospfv2_metric_base: 0 } } },
            { name: "b", properties: { basic: { mode: "multihosted", ipaddresses: ["10.0.0.2"] } } },
            { name: "c", properties: { basic: { mode: "multihosted", multicast: "" } } },
        ];
        assert.deepStrictEqual(reportOne({ traffic_ip_groups: groups }), [
            "error t.yaml: traffic_ip_groups 'a': properties.basic.mode: 'active' is not one of ec2elastic, ec2vpcelastic, ec2vpcprivate, gceexternal, multihosted, rhi, singlehosted",
            "error t.yaml: traffic_ip_groups 'a': properties.basic.ipaddresses: '10.0.0.1' is not a list of strings",
            "error t.yaml: traffic_ip_groups 'a': properties.basic.ip_assignment_mode: 'random' is not one of alphabetic, balanced",
            "error t.yaml: traffic_ip_groups 'a': properties.basic.ip_mapping[0].traffic_manager: is required",
            "error t.yaml: traffic_ip_groups 'a': properties.basic.rhi_ospfv2_metric_base: 0 is not a whole number from 1 to 65535",
            "error t.yaml: traffic_ip_groups 'b': properties.basic.multicast: is required when properties.basic.mode is multihosted (no document sets it)",
            "error t.yaml: traffic_ip_groups 'c': properties.basic.multicast: is required when properties.basic.mode is multihosted (found '')",
        ]);
    });
});

describe("validation: global settings", () => {
    it("requires a mapping with properties", () => {
        assert.deepStrictEqual(reportOne({ global_settings: [] }), ["error t.yaml: global_settings: is not a mapping with properties (found a list)"]);
        assert.deepStrictEqual(reportOne({ global_settings: { java: { enabled: false } } }), [
            "error t.yaml: global_settings: java: is not a key of global_settings (known: properties)",
            "error t.yaml: global_settings: properties: is missing: expected a mapping of property groups",
        ]);
    });

    it("types every field of every group and refuses unknown groups and fields", () => {
        const properties = {
            java: { enabled: "no", classpath: "/opt" },
            fault_tolerance: { frontend_check_ips: "%gateway%", heartbeat_method: "broadcast", unicast_port: -1 },
            web_cache: { size: true },
            log: { error_level: "debug" },
            remote_licensing: { comm_channel_port: 0, comm_channel_enabled: "yes", registration_server: 9090 },
            basic: { socket_optimizations: "maybe" },
            rest_api: { auth_timeout: "2m" },
            admin: { anything: [1, 2] },
            javas: {},
        };
        assert.deepStrictEqual(reportOne({ global_settings: { properties } }), [
            "error t.yaml: global_settings: properties.java.enabled: 'no' is not true or false",
            "error t.yaml: global_settings: properties.fault_tolerance.frontend_check_ips: '%gateway%' is not a list of strings",
            "error t.yaml: global_settings: properties.fault_tolerance.heartbeat_method: 'broadcast' is not one of multicast, unicast",
            "error t.yaml: global_settings: properties.fault_tolerance.unicast_port: -1 is not a whole number of 0 or more",
            "error t.yaml: global_settings: properties.web_cache.size: true is not a string or a whole number of 0 or more",
            "error t.yaml: global_settings: properties.log.error_level: 'debug' is not one of fatal, info, serious, warn",
            "error t.yaml: global_settings: properties.remote_licensing.comm_channel_port: 0 is not a whole number from 1 to 65535",
            "error t.yaml: global_settings: properties.remote_licensing.comm_channel_enabled: 'yes' is not true or false",
            "error t.yaml: global_settings: properties.remote_licensing.registration_server: 9090 is not a string",
            "error t.yaml: global_settings: properties.basic.socket_optimizations: 'maybe' is not one of auto, no, yes",
            "error t.yaml: global_settings: properties.rest_api.auth_timeout: '2m' is not a whole number of 0 or more",
            "error t.yaml: global_settings: properties.admin.anything: is not a field of admin (known: honor_fallback_scsv, ssl3_allow_rehandshake, ssl3_ciphers, ssl3_diffie_hellman_key_length, ssl3_min_rehandshake_interval, ssl_elliptic_curves, ssl_insert_extra_fragment, ssl_max_handshake_message_size, ssl_prevent_timing_side_channels, ssl_signature_algorithms, support_ssl3, support_tls1, support_tls1_1, support_tls1_2, support_tls1_3)",
            "error t.yaml: global_settings: properties.javas: is not a property group of global_settings (closest: java)",
        ]);
    });

    it("accepts web_cache.size as a string or a number", () => {
        assert.deepStrictEqual(reportOne({ global_settings: { properties: { web_cache: { size: "200MB" } } } }), []);
        assert.deepStrictEqual(reportOne({ global_settings: { properties: { web_cache: { size: 0 } } } }), []);
    });
});

describe("validation: references", () => {
    it("checks a virtual server's pool, rules, traffic IP groups and certificates against every document and the built-in names", () => {
        const basic = {
            pool: "webb",
            request_rules: ["internal_healthcheck", "Application Firewall Enforcer", "missing-rule"],
            response_rules: ["Response-Headers", "resp"],
            completion_rules: ["done"],
            listen_on_traffic_ips: ["web-ips", "other-ips"],
        };
        const ssl = {
            server_cert_default: "web-certt",
            server_cert_alt_certificates: ["web-cert", "alt"],
            server_cert_host_mapping: [{ host: "a.example.com", certificate: "nokey", alt_certificates: ["web-cert", "alt2"] }],
        };
        const broken = { version: 6.2, virtual_servers: [vs("web", basic, { ssl })] };
        assert.deepStrictEqual(report([...VALID_SET, { source: "web.yaml", document: broken }]), [
            "error web.yaml: virtual_servers 'web': properties.basic.pool: 'webb' is not a pool (defined: builtin_dns, discard, dns-pool, example-pool)",
            "error web.yaml: virtual_servers 'web': properties.basic.request_rules[2]: 'missing-rule' is not a rule (defined: Application Firewall Enforcer, internal_healthcheck, Response-Headers)",
            "error web.yaml: virtual_servers 'web': properties.basic.response_rules[1]: 'resp' is not a rule (defined: Application Firewall Enforcer, internal_healthcheck, Response-Headers)",
            "error web.yaml: virtual_servers 'web': properties.basic.completion_rules[0]: 'done' is not a rule (defined: Application Firewall Enforcer, internal_healthcheck, Response-Headers)",
            "error web.yaml: virtual_servers 'web': properties.basic.listen_on_traffic_ips[1]: 'other-ips' is not a traffic IP group (defined: shared-ips, web-ips)",
            "error web.yaml: virtual_servers 'web': properties.ssl.server_cert_default: 'web-certt' is not a server key in ssl.server_keys (defined: web-cert)",
            "error web.yaml: virtual_servers 'web': properties.ssl.server_cert_alt_certificates[1]: 'alt' is not a server key in ssl.server_keys (defined: web-cert)",
            "error web.yaml: virtual_servers 'web': properties.ssl.server_cert_host_mapping[0].certificate: 'nokey' is not a server key in ssl.server_keys (defined: web-cert)",
            "error web.yaml: virtual_servers 'web': properties.ssl.server_cert_host_mapping[0].alt_certificates[1]: 'alt2' is not a server key in ssl.server_keys (defined: web-cert)",
        ]);
    });

    it("with documents it cannot read (openWorld), reports an undefined name as a warning instead", () => {
        const doc = { version: 6.2, virtual_servers: [vs("web", { port: 80, pool: "mounted-pool" })] };
        assert.deepStrictEqual(report([{ source: "web.yaml", document: doc }], { ...MOUNTED, openWorld: true }), [
            "warning web.yaml: virtual_servers 'web': properties.basic.pool: 'mounted-pool' is not a pool of the documents read before deploy (defined: builtin_dns, discard); not checked: a mounted document may define it",
        ]);
        assert.deepStrictEqual(report([{ source: "web.yaml", document: doc }]), [
            "error web.yaml: virtual_servers 'web': properties.basic.pool: 'mounted-pool' is not a pool (defined: builtin_dns, discard)",
        ]);
    });

    it("says 'none' when nothing of the kind is defined", () => {
        assert.deepStrictEqual(reportOne({ virtual_servers: [vs("web", { listen_on_traffic_ips: ["ips"] })] }), [
            "error t.yaml: virtual_servers 'web': properties.basic.listen_on_traffic_ips[0]: 'ips' is not a traffic IP group (defined: none)",
        ]);
    });

    it("checks a pool's monitors (with the 16 built-in ones, listing ten) and failure pool", () => {
        const pools = [
            { name: "p", properties: { basic: { monitors: ["Simple HTTP", "dns-check", "Simple HTTTP"], failure_pool: "discard" } } },
            { name: "q", properties: { basic: { failure_pool: "", monitors: [] } } },
        ];
        assert.deepStrictEqual(report([...VALID_SET, { source: "p.yaml", document: { version: 6.2, pools } }]), [
            "error p.yaml: pools 'p': properties.basic.monitors[2]: 'Simple HTTTP' is not a monitor (defined: Client First, Connect, DNS, dns-check, FTP, Full HTTP, Full HTTPS, Ping, POP, RTSP, … and 7 more)",
            "error p.yaml: pools 'p': properties.basic.failure_pool: 'discard' is not a pool (defined: dns-pool, example-pool, p, q)",
        ]);
    });

    it("treats an empty pool name as a broken reference, since the pool is required", () => {
        assert.deepStrictEqual(reportOne({ virtual_servers: [vs("web", { pool: "" })] }), [
            "error t.yaml: virtual_servers 'web': properties.basic.pool: '' is not a pool (defined: builtin_dns, discard)",
        ]);
    });

    it("lists at most ten defined names", () => {
        const pools = Array.from({ length: 12 }, (_, i) => ({ name: `pool-${String(i).padStart(2, "0")}`, properties: {} }));
        assert.deepStrictEqual(reportOne({ pools, virtual_servers: [vs("web", { pool: "pool-12" })] }), [
            "error t.yaml: virtual_servers 'web': properties.basic.pool: 'pool-12' is not a pool (defined: builtin_dns, discard, pool-00, pool-01, pool-02, pool-03, pool-04, pool-05, pool-06, pool-07, … and 4 more)",
        ]);
    });

    it("needs a default certificate when the virtual server decrypts SSL", () => {
        assert.deepStrictEqual(reportOne({ virtual_servers: [vs("a", { ssl_decrypt: true }), vs("b", { ssl_decrypt: true }, { ssl: { server_cert_default: "" } }), vs("c", { ssl_decrypt: false })] }), [
            "error t.yaml: virtual_servers 'a': properties.ssl.server_cert_default: is required when properties.basic.ssl_decrypt is true (no document sets it)",
            "error t.yaml: virtual_servers 'b': properties.ssl.server_cert_default: is required when properties.basic.ssl_decrypt is true (found '')",
        ]);
    });
});

describe("validation: objects across documents", () => {
    it("accepts a virtual server split over two documents", () => {
        const first = { version: 6.2, virtual_servers: [{ name: "web", properties: { basic: { port: 8080, protocol: "http" } } }] };
        const second = { version: 6.2, virtual_servers: [{ name: "web", properties: { basic: { pool: "discard", response_rules: ["r"] } } }], rules: [{ name: "r", content: "x" }] };
        assert.deepStrictEqual(report([{ source: "40-config", document: first }, { source: "50-vtm-config", document: second }]), []);
    });

    it("reports a required field no document sets once, at the object's first document", () => {
        const first = { version: 6.2, virtual_servers: [{ name: "web", properties: { basic: { pool: "discard" } } }] };
        const second = { version: 6.2, virtual_servers: [{ name: "web", properties: { basic: { enabled: true } } }] };
        assert.deepStrictEqual(report([{ source: "a.yaml", document: first }, { source: "b.yaml", document: second }]), [
            "error a.yaml: virtual_servers 'web': properties.basic.port: is required (no document sets it)",
        ]);
    });

    it("checks a reference on the merged value, at the document that set it", () => {
        const pools = [{ name: "web", properties: {} }];
        const early = { version: 6.2, pools, virtual_servers: [vs("web", { pool: "webb" })] };
        const fix = { version: 6.2, virtual_servers: [{ name: "web", properties: { basic: { pool: "web" } } }] };
        const breaks = { version: 6.2, virtual_servers: [{ name: "web", properties: { basic: { pool: "wbe" } } }] };
        assert.deepStrictEqual(report([{ source: "a.yaml", document: early }, { source: "b.yaml", document: fix }]), []);
        assert.deepStrictEqual(report([{ source: "b.yaml", document: fix }, { source: "a.yaml", document: early }, { source: "c.yaml", document: breaks }]), [
            "error c.yaml: virtual_servers 'web': properties.basic.pool: 'wbe' is not a pool (defined: builtin_dns, discard, web)",
        ]);
    });

    it("finds a pool, rule or key defined in a later document", () => {
        const services = { version: 6.2, virtual_servers: [vs("web", { pool: "later", request_rules: ["later-rule"] }, { ssl: { server_cert_default: "later-key" } })] };
        const definitions = {
            version: 6.2,
            pools: [{ name: "later", properties: {} }],
            rules: [{ name: "later-rule", content: "x" }],
            ssl: { server_keys: [{ name: "later-key", properties: { basic: { public: "P", private: "K" } } }] },
        };
        assert.deepStrictEqual(report([{ source: "a.yaml", document: services }, { source: "b.yaml", document: definitions }]), []);
    });

    it("sees the ssl_decrypt condition across documents", () => {
        const first = { version: 6.2, virtual_servers: [vs("web", {}, { ssl: { server_cert_default: "k" } })], ssl: { server_keys: [{ name: "k", properties: { basic: { public: "P", private: "K" } } }] } };
        const second = { version: 6.2, virtual_servers: [{ name: "web", properties: { basic: { ssl_decrypt: true } } }] };
        assert.deepStrictEqual(report([{ source: "a.yaml", document: first }, { source: "b.yaml", document: second }]), []);
        assert.deepStrictEqual(report([{ source: "b.yaml", document: second }, { source: "c.yaml", document: { version: 6.2, virtual_servers: [vs("web", {})] } }]), [
            "error b.yaml: virtual_servers 'web': properties.ssl.server_cert_default: is required when properties.basic.ssl_decrypt is true (no document sets it)",
        ]);
    });
});

describe("validation: file references", () => {
    it("accepts a mounted file, however the path is written", () => {
        assert.deepStrictEqual(reportOne({ rules: [{ name: "a", content: fileRef("data/./rules//x") }, { name: "b", content: fileRef("data/tls/../simple-rule") }] }), []);
    });

    it("refuses absolute paths and paths that leave the base directory", () => {
        assert.deepStrictEqual(reportOne({ rules: [{ name: "a", content: fileRef("/import/data/simple-rule") }, { name: "b", content: fileRef("data/../../etc/passwd") }] }), [
            "error t.yaml: rules 'a': content: '/import/data/simple-rule' must be a path relative to /import, e.g. data/<file>",
            "error t.yaml: rules 'b': content: 'data/../../etc/passwd' must be a path relative to /import, e.g. data/<file>",
        ]);
    });

    it("refuses a file that is not mounted, listing at most ten mounted files", () => {
        const mountedFiles = new Set(Array.from({ length: 11 }, (_, i) => `data/f${i}`));
        assert.deepStrictEqual(reportOne({ rules: [{ name: "a", content: fileRef("data/simple-rul") }] }), [
            "error t.yaml: rules 'a': content: 'data/simple-rul' is not a mounted file (mounted: data/rules/x, data/simple-rule, data/tls/web-cert/tls.crt, data/tls/web-cert/tls.key)",
        ]);
        assert.deepStrictEqual(reportOne({ rules: [{ name: "a", content: fileRef("data/g") }] }, { mountedFiles }), [
            "error t.yaml: rules 'a': content: 'data/g' is not a mounted file (mounted: data/f0, data/f1, data/f10, data/f2, data/f3, data/f4, data/f5, data/f6, data/f7, data/f8, … and 1 more)",
        ]);
        assert.deepStrictEqual(reportOne({ rules: [{ name: "a", content: fileRef("data/g") }] }, { mountedFiles: new Set() }), [
            "error t.yaml: rules 'a': content: 'data/g' is not a mounted file (mounted: none)",
        ]);
    });

    it("only warns about a file under a directory whose keys are not known", () => {
        const context = { ...MOUNTED, uncheckedDirs: ["data/"] };
        const keys = [{ name: "k", properties: { basic: { public: fileRef("data/tls/other/tls.crt"), private: fileRef("tls/other/tls.key") } } }];
        assert.deepStrictEqual(reportOne({ ssl: { server_keys: keys } }, context), [
            "warning t.yaml: ssl.server_keys 'k': properties.basic.public: 'data/tls/other/tls.crt' is not a file this program mounts; it may come from a mount whose keys are not known (data): not checked",
            "error t.yaml: ssl.server_keys 'k': properties.basic.private: 'tls/other/tls.key' is not a mounted file (mounted: data/rules/x, data/simple-rule, data/tls/web-cert/tls.crt, data/tls/web-cert/tls.key)",
        ]);
    });

    it("checks file references anywhere: raw-text sections, singletons, list items, table rows", () => {
        const document = {
            version: 6.2,
            extra_files: [{ name: "page", content: fileRef("data/page.html") }],
            security: { properties: { basic: { access: [fileRef("data/security")] } } },
            virtual_servers: [vs("web", { listen_on_hosts: [fileRef("data/hosts")] }, { gzip: { include_mime: [fileRef("data/mime")] } })],
            pools: [{ name: "p", properties: { basic: { nodes_table: [{ node: fileRef("data/node") }] } } }],
        };
        const mounted = "(mounted: data/rules/x, data/simple-rule, data/tls/web-cert/tls.crt, data/tls/web-cert/tls.key)";
        assert.deepStrictEqual(report([{ source: "t.yaml", document }]), [
            `error t.yaml: extra_files 'page': content: 'data/page.html' is not a mounted file ${mounted}`,
            `error t.yaml: security: properties.basic.access[0]: 'data/security' is not a mounted file ${mounted}`,
            `error t.yaml: virtual_servers 'web': properties.basic.listen_on_hosts[0]: 'data/hosts' is not a mounted file ${mounted}`,
            `error t.yaml: virtual_servers 'web': properties.gzip.include_mime[0]: 'data/mime' is not a mounted file ${mounted}`,
            `error t.yaml: pools 'p': properties.basic.nodes_table[0].node: 'data/node' is not a mounted file ${mounted}`,
        ]);
    });
});

describe("validation: the compiled schema", () => {
    it("finds the same problems with the cached compiled code as with a fresh compile", function () {
        this.timeout(60000);
        const document = { version: 6.2, virtual_servers: [vs("web", { port: 0, protocol: "htp", prot: 1 }, { ssl: { server_cert_host_mapping: [{ hosts: "x" }] } })], pools: [{ name: "p", properties: { basic: { monitors: ["Ping", "Ping"] } } }] };
        const script = `const { validateDocuments, formatFinding } = require("./vtm/validation"); console.log(JSON.stringify(validateDocuments([{ source: "t.yaml", document: ${JSON.stringify(document)} }], { mountedFiles: new Set() }).map(formatFinding)))`;
        const fresh = spawnSync("node", ["-r", "sucrase/register/ts", "-e", script], { cwd: path.resolve(__dirname, ".."), env: { ...process.env, VTM_SCHEMA_CACHE: "off" }, encoding: "utf8" });
        assert.strictEqual(fresh.status, 0, fresh.stderr);
        const here = validateDocuments([{ source: "t.yaml", document }], { mountedFiles: new Set() }).map(formatFinding);
        assert.ok(here.length >= 5, here.join("\n"));
        assert.deepStrictEqual(JSON.parse(fresh.stdout), here);
    });
});

describe("validation: many problems at once", () => {
    it("reports every problem of several documents in one call, in document, object and field order", () => {
        const documents: DocumentInput[] = [
            { source: "a.yaml", document: { version: 6.2, rules: [{ name: "r", content: fileRef("data/nope") }], virtual_servers: [vs("web", { pool: "webb", port: 0 }), vs("api", { protocol: "grpc" })] } },
            { source: "b.yaml", document: "not yaml" },
            { source: "c.yaml", document: { version: "x", pools: [{ name: "webx", properties: { load_balancing: { algorithm: "rr" } } }], sevrices: [] } },
            { source: "d.yaml", document: { version: 6.2, virtual_servers: [{ name: "new", properties: { basic: { enabled: true } } }] } },
        ];
        assert.deepStrictEqual(report(documents), [
            "error a.yaml: rules 'r': content: 'data/nope' is not a mounted file (mounted: data/rules/x, data/simple-rule, data/tls/web-cert/tls.crt, data/tls/web-cert/tls.key)",
            "error a.yaml: virtual_servers 'web': properties.basic.port: 0 is not a whole number from 1 to 65535",
            "error a.yaml: virtual_servers 'web': properties.basic.pool: 'webb' is not a pool (defined: builtin_dns, discard, webx)",
            "error a.yaml: virtual_servers 'api': properties.basic.protocol: 'grpc' is not one of client_first, dns, dns_tcp, ftp, http, https, imaps, imapv2, imapv3, imapv4, ldap, ldaps, pop3, pop3s, rtsp, server_first, siptcp, sipudp, smtp, ssl, stream, telnet, udp, udpstreaming",
            "error b.yaml: is not a mapping of sections (found the string 'not yaml')",
            "error c.yaml: version: 'x' is not an API version number such as 6.2",
            "error c.yaml: pools 'webx': properties.load_balancing.algorithm: 'rr' is not one of fastest_response_time, least_connections, perceptive, random, round_robin, weighted_least_connections, weighted_round_robin",
            "warning c.yaml: sevrices: is not a configuration section (known: action_programs, actions, appliance, aptimizer, bandwidth, bgpneighbors, cloud_api_credentials, custom, dns_server, event_types, … and 25 more)",
            "error d.yaml: virtual_servers 'new': properties.basic.pool: is required (no document sets it)",
            "error d.yaml: virtual_servers 'new': properties.basic.port: is required (no document sets it)",
        ]);
    });

    it("returns findings with only the parts that apply", () => {
        const findings: Finding[] = validateDocuments(
            [
                { source: "a.yaml", document: {} },
                { source: "b.yaml", document: { version: 6.2, global_settings: { properties: { java: { enabled: 1 } } } } },
                { source: "c.yaml", document: { version: 6.2, pools: [{ name: "p", properties: { basic: { note: 1 } } }], foo: {} } },
            ],
            MOUNTED,
        );
        assert.deepStrictEqual(findings, [
            { severity: "error", source: "a.yaml", field: "version", message: "is missing: expected an API version number such as 6.2" },
            { severity: "error", source: "b.yaml", section: "global_settings", field: "properties.java.enabled", message: "1 is not true or false" },
            { severity: "error", source: "c.yaml", section: "pools", object: "p", field: "properties.basic.note", message: "1 is not a string" },
            {
                severity: "warning",
                source: "c.yaml",
                section: "foo",
                message: "is not a configuration section (known: action_programs, actions, appliance, aptimizer, bandwidth, bgpneighbors, cloud_api_credentials, custom, dns_server, event_types, … and 25 more)",
            },
        ]);
    });

    it("formats a finding as one line, leaving out absent parts", () => {
        assert.strictEqual(
            formatFinding({ severity: "error", source: "config/documents/web.yaml", section: "virtual_servers", object: "web", field: "properties.basic.pool", message: "'webb' is not a pool (defined: web, discard)" }),
            "config/documents/web.yaml: virtual_servers 'web': properties.basic.pool: 'webb' is not a pool (defined: web, discard)",
        );
        assert.strictEqual(formatFinding({ severity: "error", source: "services", message: "m" }), "services: m");
        assert.strictEqual(formatFinding({ severity: "warning", source: "s", section: "x", field: "f", message: "m" }), "s: x: f: m");
    });

    it("validates 2,000 documents that refer to each other", () => {
        const documents: DocumentInput[] = Array.from({ length: 2000 }, (_, i) => ({
            source: `config/documents/svc-${i}.yaml`,
            document: {
                version: 6.2,
                virtual_servers: [vs(`vs-${i}`, { port: 10000 + i, pool: `pool-${i}`, request_rules: [`rule-${i}`] })],
                pools: [{ name: `pool-${i}`, properties: { basic: { monitors: [`mon-${(i + 1) % 2000}`], nodes_table: [{ node: `10.0.${i % 256}.1:8080` }], failure_pool: `pool-${(i + 7) % 2000}` } } }],
                monitors: [{ name: `mon-${i}`, properties: { basic: { type: "http" }, http: { path: "/health" } } }],
                rules: [{ name: `rule-${i}`, content: i % 2 === 0 ? "http.setHeader('X', '1');" : fileRef("data/rules/x") }],
            },
        }));
        assert.deepStrictEqual(report(documents), []);
        (documents[1500].document as any).virtual_servers[0].properties.basic.pool = "pool-2000";
        assert.deepStrictEqual(report(documents), [
            "error config/documents/svc-1500.yaml: virtual_servers 'vs-1500': properties.basic.pool: 'pool-2000' is not a pool (defined: builtin_dns, discard, pool-0, pool-1, pool-10, pool-100, pool-1000, pool-1001, pool-1002, pool-1003, … and 1992 more)",
        ]);
    });
});
