// Network probes of the service endpoints, each with a timeout: a TCP connection, an HTTP(S) GET,
// a UDP datagram. What they saw is said in words a user can act on.
import * as dgram from "dgram";
import * as http from "http";
import * as https from "https";
import * as net from "net";
import { ProbeResult, Probes } from "./types";

/** How long a probe waits for a connection or an answer. */
export const PROBE_TIMEOUT_MS = 5_000;

function seconds(ms: number): string {
    return `${Number((ms / 1000).toFixed(1))} s`;
}

/** A socket error in words: `connection refused`, `no route to host`, else its message. */
export function networkError(err: NodeJS.ErrnoException): string {
    switch (err.code) {
        case "ECONNREFUSED":
            return "connection refused (nothing listens there)";
        case "EHOSTUNREACH":
        case "ENETUNREACH":
            return "no route to the host";
        case "ENOTFOUND":
        case "EAI_AGAIN":
            return "the host name does not resolve";
        case "ECONNRESET":
            return "the connection was reset";
        default:
            return err.message;
    }
}

/** A DNS query for the root's NS records: any DNS server answers it, if only with an error code. */
export function dnsQuery(): Buffer {
    const id = Math.floor(Math.random() * 0xffff);
    // Header: id, flags (recursion desired), 1 question; question: root name, type NS (2), class IN (1).
    return Buffer.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1]);
}

export function realProbes(timeoutMs = PROBE_TIMEOUT_MS): Probes {
    const tcp = (host: string, port: number) =>
        new Promise<ProbeResult>((resolve) => {
            const start = Date.now();
            const socket = net.connect({ host, port });
            socket.setTimeout(timeoutMs);
            socket.once("connect", () => {
                socket.destroy();
                resolve({ ok: true, seen: `accepted a connection in ${Date.now() - start} ms` });
            });
            socket.once("timeout", () => {
                socket.destroy();
                resolve({ ok: false, seen: `no connection in ${seconds(timeoutMs)} (a firewall, or an address not reachable from here)` });
            });
            socket.once("error", (err) => resolve({ ok: false, seen: networkError(err) }));
        });

    const httpGet = (url: string) =>
        new Promise<ProbeResult>((resolve) => {
            const start = Date.now();
            const client = url.startsWith("https:") ? https : http;
            // Certificates of a service are the user's own and often self-signed: the answer is what counts here.
            const request = client.get(url, { timeout: timeoutMs, rejectUnauthorized: false, agent: false, headers: { "User-Agent": "vtm-kubernetes-verify" } }, (response) => {
                response.resume();
                const status = response.statusCode ?? 0;
                const via = response.headers["x-served-via"] ? ` (X-Served-Via: ${response.headers["x-served-via"]})` : "";
                const seen = `HTTP ${status} in ${Date.now() - start} ms${via}`;
                request.destroy();
                resolve(
                    status >= 500
                        ? { ok: false, seen: `${seen}: the virtual server answered, but its pool did not (no healthy nodes?)` }
                        : { ok: true, seen },
                );
            });
            request.on("timeout", () => request.destroy(Object.assign(new Error(""), { code: "ETIMEDOUT" })));
            request.on("error", (err: NodeJS.ErrnoException) =>
                resolve({ ok: false, seen: err.code === "ETIMEDOUT" ? `no HTTP answer in ${seconds(timeoutMs)}` : networkError(err) }),
            );
        });

    const udp = (host: string, port: number, payload: Buffer, expectReply: boolean) =>
        new Promise<ProbeResult>((resolve) => {
            const socket = dgram.createSocket(net.isIP(host) === 6 ? "udp6" : "udp4");
            let done = false;
            const finish = (result: ProbeResult) => {
                if (done) return;
                done = true;
                clearTimeout(timer);
                socket.close();
                resolve(result);
            };
            const timer = setTimeout(
                () =>
                    finish(
                        expectReply
                            ? { ok: false, seen: `sent a ${payload.length}-byte query, no reply in ${seconds(timeoutMs)}` }
                            : { ok: true, seen: `sent a ${payload.length}-byte datagram; no refusal in ${seconds(timeoutMs)} (UDP gives no other proof of delivery)` },
                    ),
                timeoutMs,
            );
            const start = Date.now();
            socket.on("message", (reply) => finish({ ok: true, seen: `sent a ${payload.length}-byte datagram, ${reply.length}-byte reply in ${Date.now() - start} ms` }));
            // On a connected socket an ICMP port unreachable comes back as ECONNREFUSED.
            socket.on("error", (err: NodeJS.ErrnoException) => finish({ ok: false, seen: err.code === "ECONNREFUSED" ? "port unreachable (nothing listens there)" : networkError(err) }));
            socket.connect(port, host, () => socket.send(payload, (err) => err && finish({ ok: false, seen: networkError(err) })));
        });

    return { tcp, http: httpGet, udp };
}
