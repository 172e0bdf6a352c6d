// The example service's configuration (the seed's vtm-example-service.yaml): its document from
// config/example-service.yaml, completed with the backend's service discovery, and its data files.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_DIR, ConfigDocument, DocumentError, LoadedDocument, dumpDocument, fileRefs, loadDocument, namedObjects, property } from "./documents";

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

/** The example service's files, loaded and checked. */
export interface ExampleService {
    readonly document: LoadedDocument;
    /** Data for the extra-data ConfigMap, key → text. */
    readonly extraData: Record<string, string>;
    readonly virtualServer: VirtualServer;
}

/** The `BuiltIn-DNS_Stateless` arguments for an SRV lookup of a Service port in the pod's namespace. */
export function dnsDiscoveryArgs(serviceName: string, portName: string): string {
    return `--servicename=_${portName}._tcp.${serviceName}`;
}

/** Every data file under config/data, by ConfigMap key (the file name without its extension). */
export function loadDataFiles(configDir: string = CONFIG_DIR): Record<string, string> {
    const dir = path.join(configDir, DATA_DIR);
    return Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [path.parse(f).name, fs.readFileSync(path.join(dir, f), "utf8")]));
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

/** Loads the example document and data and checks that they fit together. */
export function loadExampleService(configDir: string = CONFIG_DIR): ExampleService {
    const document = loadDocument(configDir, EXAMPLE_DOCUMENT);
    const extraData = loadDataFiles(configDir);
    const problems: string[] = [];
    // Every file the document references must be one the extra-data ConfigMap mounts.
    const mounted = Object.keys(extraData).map((key) => `${DATA_DIR}/${key}`);
    for (const ref of fileRefs(document.document).filter((r) => !mounted.includes(r))) {
        problems.push(`${document.source}: valueFrom.fileRef '${ref}' is not a mounted file (mounted: ${mounted.join(", ") || "none"})`);
    }
    const vs = namedObjects(document.document, "virtual_servers")[0];
    const port = vs ? property(vs, "basic", "port") : undefined;
    if (vs === undefined || typeof port !== "number") {
        problems.push(`${document.source}: needs a virtual server with a numeric properties.basic.port`);
    }
    if (problems.length > 0) throw new DocumentError(problems);
    return { document, extraData, virtualServer: { name: vs.name as string, port: port as number } };
}

/** The example's documents for the watched ConfigMap, its pool discovering `backendService`. */
export function exampleDocuments(example: ExampleService, backendService: pulumi.Input<string>, portName: string): pulumi.Output<Record<string, string>> {
    return pulumi
        .output(backendService)
        .apply((service): Record<string, string> => ({
            [EXAMPLE_DOCUMENT_KEY]: dumpDocument(withDiscovery(example.document.document, dnsDiscoveryArgs(service, portName))),
        }));
}
