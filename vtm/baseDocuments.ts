// The base documents every traffic manager gets (config/base): the seed's defaults and the health-check
// virtual server that the pod's probes call. Each goes into a ConfigMap of its own.
import { CONFIG_DIR, DocumentError, LoadedDocument, loadDocument, namedObjects, property } from "./documents";

/** The base documents, each projected into the watched directory as the file named here. */
export const BASE_DOCUMENTS = {
    base: "base/00-vtm-base-config.yaml",
    healthcheck: "base/00-vtm-healthcheck-config.yaml",
} as const;

/** The base documents as loaded and checked, with the probe port the health-check one gives. */
export interface BaseDocuments {
    readonly base: LoadedDocument;
    readonly healthcheck: LoadedDocument;
    readonly probePort: number;
}

/** The port of the health-check virtual server, which the probes call. */
export function healthcheckPort(doc: LoadedDocument): number {
    const port = namedObjects(doc.document, "virtual_servers").map((vs) => property(vs, "basic", "port"))[0];
    if (typeof port !== "number") {
        throw new DocumentError([`${doc.source}: the health-check virtual server has no numeric properties.basic.port`]);
    }
    return port;
}

/** Loads and checks the base documents. */
export function loadBaseDocuments(configDir: string = CONFIG_DIR): BaseDocuments {
    const [base, healthcheck] = [loadDocument(configDir, BASE_DOCUMENTS.base), loadDocument(configDir, BASE_DOCUMENTS.healthcheck)];
    return { base, healthcheck, probePort: healthcheckPort(healthcheck) };
}
