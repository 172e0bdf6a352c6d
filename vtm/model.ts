// A typed model of vTM configuration documents (REST API 6.2, vTM 19.1): the sections this program
// writes and checks, their enums and the names a fresh traffic manager already has. Sources: the
// vTM Terraform provider and go-vtm for API 6.2, and the upstream Kubernetes deployment's documents.

import { defaultApiVersion } from "./releases";

/** The REST API version of the default image (pulsesecure/vtm:19.1 → 6.2), for examples in messages. */
export const API_VERSION = defaultApiVersion();

/** Virtual-server protocols (properties.basic.protocol). */
export const VS_PROTOCOLS = [
    "client_first", "dns", "dns_tcp", "ftp", "http", "https", "imaps", "imapv2", "imapv3", "imapv4", "ldap", "ldaps",
    "pop3", "pop3s", "rtsp", "server_first", "siptcp", "sipudp", "smtp", "ssl", "stream", "telnet", "udp", "udpstreaming",
] as const;
export type VsProtocol = (typeof VS_PROTOCOLS)[number];

/** Virtual-server protocols whose traffic is UDP; a Kubernetes Service port for them must be UDP. */
export const UDP_PROTOCOLS: readonly string[] = ["dns", "sipudp", "udp", "udpstreaming"];

/** The transport a virtual server's protocol carries, as a Kubernetes Service port names it. */
export function transportOf(protocol: string): "TCP" | "UDP" {
    return UDP_PROTOCOLS.includes(protocol) ? "UDP" : "TCP";
}

/** Pool load-balancing algorithms (properties.load_balancing.algorithm). */
export const POOL_ALGORITHMS = [
    "fastest_response_time", "least_connections", "perceptive", "random", "round_robin",
    "weighted_least_connections", "weighted_round_robin",
] as const;
export type PoolAlgorithm = (typeof POOL_ALGORITHMS)[number];

/** Monitor types (properties.basic.type). */
export const MONITOR_TYPES = ["connect", "http", "ping", "program", "rtsp", "sip", "tcp_transaction"] as const;

/** Traffic IP group modes (properties.basic.mode). */
export const TIP_MODES = ["ec2elastic", "ec2vpcelastic", "ec2vpcprivate", "gceexternal", "multihosted", "rhi", "singlehosted"] as const;

/** Pools a virtual server may name without defining them. */
export const BUILTIN_POOLS = ["discard", "builtin_dns"] as const;

/** Monitors every traffic manager has from the factory. */
export const BUILTIN_MONITORS = [
    "Simple HTTP", "Full HTTP", "Simple HTTPS", "Full HTTPS", "Ping", "Connect", "Client First", "Server First",
    "DNS", "FTP", "POP", "SMTP", "RTSP", "SIP TCP", "SIP TLS", "SIP UDP",
] as const;

/** Rules every traffic manager has from the factory. */
export const BUILTIN_RULES = ["Application Firewall Enforcer"] as const;

/** Service-discovery plugins that ship with the traffic manager (facts §3.2; BuiltIn-PCS_PPS was seen in 21.3, and may be absent from 19.1). */
export const BUILTIN_DISCOVERY_PLUGINS = ["BuiltIn-DNS_Resolver", "BuiltIn-DNS_Stateless", "BuiltIn-GCE", "BuiltIn-PCS_PPS"] as const;

/** Monitor scripts that ship with the traffic manager (facts §3.2). */
export const BUILTIN_MONITOR_SCRIPTS = ["dns.pl"] as const;

/** The service-discovery plugin that resolves Kubernetes Services through cluster DNS. */
export const DNS_DISCOVERY_PLUGIN = "BuiltIn-DNS_Stateless";

/** A value the importer reads from a file under its base directory (/import). */
export interface FileRef {
    readonly valueFrom: { readonly fileRef: { readonly name: string } };
}

/** Property groups of an object: `properties.<group>.<field>`. */
export type PropertyGroups = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export interface VirtualServer {
    readonly name: string;
    readonly properties: PropertyGroups & {
        readonly basic: {
            readonly enabled?: boolean;
            readonly port?: number;
            readonly protocol?: string;
            readonly pool?: string;
            readonly request_rules?: readonly string[];
            readonly response_rules?: readonly string[];
            readonly completion_rules?: readonly string[];
            readonly ssl_decrypt?: boolean;
            readonly note?: string;
        };
        readonly ssl?: { readonly server_cert_default?: string; readonly [field: string]: unknown };
    };
}

export interface Pool {
    readonly name: string;
    readonly properties: PropertyGroups & {
        readonly basic?: {
            readonly monitors?: readonly string[];
            readonly nodes_table?: readonly Readonly<Record<string, unknown>>[];
            readonly passive_monitoring?: boolean;
            readonly note?: string;
        };
        readonly load_balancing?: { readonly algorithm?: string };
        readonly service_discovery?: { readonly enabled?: boolean; readonly plugin?: string; readonly plugin_args?: string };
        readonly ssl?: { readonly enable?: boolean };
    };
}

export interface Rule {
    readonly name: string;
    readonly content: string | FileRef;
}

export interface ServerKey {
    readonly name: string;
    readonly properties: { readonly basic: { readonly public: string | FileRef; readonly private: string | FileRef; readonly note?: string } };
}

export interface Monitor {
    readonly name: string;
    readonly properties: PropertyGroups & { readonly basic?: { readonly type?: (typeof MONITOR_TYPES)[number] } };
}

export interface TrafficIpGroup {
    readonly name: string;
    readonly properties: PropertyGroups & { readonly basic?: { readonly mode?: (typeof TIP_MODES)[number]; readonly ipaddresses?: readonly string[] } };
}

/** A configuration document: `version` plus the sections this program models. */
export interface VtmDocument {
    readonly version: number;
    readonly virtual_servers?: readonly VirtualServer[];
    readonly pools?: readonly Pool[];
    readonly rules?: readonly Rule[];
    readonly monitors?: readonly Monitor[];
    readonly traffic_ip_groups?: readonly TrafficIpGroup[];
    readonly ssl?: { readonly server_keys?: readonly ServerKey[] };
    readonly global_settings?: { readonly properties: PropertyGroups };
}

/** A file reference as a document writes it. */
export function fileRef(name: string): FileRef {
    return { valueFrom: { fileRef: { name } } };
}
