// Entry point of `pulumi up`: reads the stack configuration once, deploys, and exports the outputs.
import { clusterNodeAddress } from "./components/nodeAddress";
import { readSettings } from "./settings/settings";
import { createVtmStack } from "./components/stack";

const settings = readSettings();
const vtm = createVtmStack(settings, { nodeAddressLookup: clusterNodeAddress(settings.kubernetes) });

/** Every service's URL, by service name: <scheme>://<host>:<port>. */
export const serviceEndpoints = vtm.serviceEndpoints;
/** The first service's URL (the seed's one example service). */
export const serviceEndpoint = vtm.serviceEndpoint;
/** The first service's nodePort (NodePort exposure only). */
export const serviceNodePort = vtm.serviceNodePort;
/** The admin web UI (HTTPS). */
export const adminUrl = vtm.adminUrl;
/** The REST API (HTTPS), e.g. GET <restApiUrl>/api/tm/ as user admin. */
export const restApiUrl = vtm.restApiUrl;
/** The admin password (secret): pulumi stack output --show-secrets adminPassword. */
export const adminPassword = vtm.adminPassword;
export const namespace = vtm.namespace;
