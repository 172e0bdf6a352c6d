// The base documents every traffic manager gets (config/base): the seed's defaults and the health-check
// virtual server that the pod's probes call. Each goes into a ConfigMap of its own. They are the
// program's own documents, written with fields every API version 6.0 to 8.3 has (a test proves it), so
// like the generated documents they are deployed with the image's API version: an 18.2 image (6.0)
// and a 22.x image (8.3) each get documents of the version their importer serves.
import { CONFIG_DIR, DocumentError, LoadedDocument, loadDocument, namedObjects, property } from "./documents";
import { versionText } from "./releases";

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

/** Loads the base documents, with the image's API version when one is given (as written otherwise). */
export function loadBaseDocuments(configDir: string = CONFIG_DIR, apiVersion?: number): BaseDocuments {
    const load = (file: string) => withVersion(loadDocument(configDir, file), apiVersion);
    const [base, healthcheck] = [load(BASE_DOCUMENTS.base), load(BASE_DOCUMENTS.healthcheck)];
    return { base, healthcheck, probePort: healthcheckPort(healthcheck) };
}

/** The document with its top-level `version` (and its editor schema comment) set to the API version. */
export function withVersion(doc: LoadedDocument, apiVersion: number | undefined): LoadedDocument {
    if (apiVersion === undefined || doc.document?.version === apiVersion) return doc;
    const version = versionText(apiVersion);
    if (!/^version:.*$/m.test(doc.text)) throw new DocumentError([`${doc.source}: has no top-level version line to set to the image's API version ${version}`]);
    const text = doc.text.replace(/^version:.*$/m, `version: ${version}`).replace(/(\$schema=\S*vtm-)\d+\.\d+(\.schema\.json)/, `$1${version}$2`);
    return { ...doc, text, document: { ...doc.document, version: apiVersion } };
}
