// The upstream example service document (vtm-example-service.yaml), written out so that the tests
// need nothing outside the repository.

export const SEED_EXAMPLE_DOCUMENT = {
    version: 6.2,
    virtual_servers: [
        {
            name: "example-service",
            properties: { basic: { enabled: true, port: 80, protocol: "http", pool: "example-pool", response_rules: ["Response-Headers"] } },
        },
    ],
    pools: [
        {
            name: "example-pool",
            properties: {
                basic: { passive_monitoring: true, monitors: ["Simple HTTP"], nodes_table: [], note: "Nodes automatically discovered from Kubernetes" },
                service_discovery: {
                    enabled: true,
                    plugin: "BuiltIn-DNS_Stateless",
                    plugin_args: "--servicename=_http._tcp.example-application-backend-service",
                },
            },
        },
    ],
    rules: [{ name: "Response-Headers", content: { valueFrom: { fileRef: { name: "data/simple-rule" } } } }],
};
