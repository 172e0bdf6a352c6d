// The example service's configuration (the seed's vtm-example-service.yaml): its document from
// config/example-service.yaml, completed with the backend's service discovery, and its data files.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_DIR, ConfigDocument, DocumentError, dumpDocument, fileRefs, loadDocument, loadText, namedObjects, property } from "./documents";

/** Key of the example document in the `<name>-config` ConfigMap (the seed's). */
export const EXAMPLE_DOCUMENT_KEY = "my-service-config";
const EXAMPLE_DOCUMENT = "example-service.yaml";
/** Data files: config/data/<key>.<ext> becomes key <key> of `<name>-extra-data`, i.e. /import/data/<key>. */
const DATA_DIR = "data";

/** The virtual server that clients reach, as the exposure needs it. */
export interface VirtualServer {
    readonly name: string;
    readonly port: number;
}

export interface ExampleServiceConfig {
    /** Documents for the watched ConfigMap, key → YAML text. */
    readonly documents: pulumi.Output<Record<string, string>>;
    /** Data for the extra-data ConfigMap, key → text. */
    readonly extraData: Record<string, string>;
    readonly virtualServer: VirtualServer;
}

/** The `BuiltIn-DNS_Stateless` arguments for an SRV lookup of a Service port in the pod's namespace. */
export function dnsDiscoveryArgs(serviceName: string, portName: string): string {
    return `--servicename=_${portName}._tcp.${serviceName}`;
}

/** Every data file under config/data, by ConfigMap key (the file name without its extension). */
export function loadDataFiles(): Record<string, string> {
    const files = fs.readdirSync(path.join(CONFIG_DIR, DATA_DIR)).sort();
    return Object.fromEntries(files.map((f) => [path.parse(f).name, loadText(path.join(DATA_DIR, f))]));
}

/** Fills in `plugin_args` of every enabled service-discovery pool that has none. */
export function withDiscovery(document: ConfigDocument, pluginArgs: string): ConfigDocument {
    const copy = structuredClone(document) as ConfigDocument;
    for (const pool of namedObjects(copy, "pools")) {
        const discovery = (pool.properties as Record<string, Record<string, unknown>>).service_discovery;
        if (discovery?.enabled === true && discovery.plugin_args === undefined) {
            discovery.plugin_args = pluginArgs;
        }
    }
    return copy;
}

/** Builds the example service's documents and data; the pool discovers `backendService`. */
export function exampleServiceConfig(backendService: pulumi.Input<string>, portName: string): ExampleServiceConfig {
    const loaded = loadDocument(EXAMPLE_DOCUMENT);
    const extraData = loadDataFiles();
    // Every file the document references must be one the extra-data ConfigMap mounts.
    const mounted = Object.keys(extraData).map((key) => `${DATA_DIR}/${key}`);
    const missing = fileRefs(loaded.document).filter((ref) => !mounted.includes(ref));
    if (missing.length > 0) {
        throw new DocumentError(
            missing.map((ref) => `${loaded.source}: valueFrom.fileRef '${ref}' is not a mounted file (mounted: ${mounted.join(", ")})`),
        );
    }
    const vs = namedObjects(loaded.document, "virtual_servers")[0];
    const port = vs ? property(vs, "basic", "port") : undefined;
    if (vs === undefined || typeof port !== "number") {
        throw new DocumentError([`${loaded.source}: needs a virtual server with a numeric properties.basic.port`]);
    }
    return {
        documents: pulumi
            .output(backendService)
            .apply((service): Record<string, string> => ({ [EXAMPLE_DOCUMENT_KEY]: dumpDocument(withDiscovery(loaded.document, dnsDiscoveryArgs(service, portName))) })),
        extraData,
        virtualServer: { name: vs.name as string, port },
    };
}
