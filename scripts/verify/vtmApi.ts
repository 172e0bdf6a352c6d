// The traffic manager's REST API (port 9070, HTTPS, basic authentication as user admin), reached
// through a port-forward on 127.0.0.1. The admin server's certificate is self-signed (the vTM REST
// guide says clients must accept it), so it is not verified: the tunnel itself runs inside the
// authenticated connection to the API server. The password goes only into the Authorization header.
import * as https from "https";
import { RestClient, RestResponse } from "./types";

/** The REST API's user; the password is the one in the admin Secret (ZEUS_PASS). */
export const ADMIN_USER = "admin";

/** How long one REST call may take before it counts as no answer. */
export const REST_TIMEOUT_MS = 10_000;

/** Reads at most this much of an answer: REST objects are small, a runaway body is not worth holding. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface RestOptions {
    readonly host?: string;
    readonly timeoutMs?: number;
}

/** A REST client for `https://<host>:<port>` that sends the admin user's password with every GET. */
export function restClient(port: number, password: string, options: RestOptions = {}): RestClient {
    const host = options.host ?? "127.0.0.1";
    const timeoutMs = options.timeoutMs ?? REST_TIMEOUT_MS;
    const authorization = `Basic ${Buffer.from(`${ADMIN_USER}:${password}`).toString("base64")}`;
    // One connection per call: a tunnel connection is cheap, and nothing is left open afterwards.
    const agent = new https.Agent({ keepAlive: false, rejectUnauthorized: false });
    return {
        get: (path) =>
            new Promise<RestResponse>((resolve, reject) => {
                const request = https.request(
                    { host, port, path, method: "GET", agent, headers: { Authorization: authorization, Accept: "application/json" }, timeout: timeoutMs },
                    (response) => {
                        const chunks: Buffer[] = [];
                        let size = 0;
                        response.on("data", (chunk: Buffer) => {
                            size += chunk.length;
                            if (size <= MAX_BODY_BYTES) chunks.push(chunk);
                        });
                        response.on("end", () =>
                            resolve({
                                status: response.statusCode ?? 0,
                                contentType: String(response.headers["content-type"] ?? ""),
                                body: Buffer.concat(chunks).toString("utf8"),
                            }),
                        );
                        response.on("error", reject);
                    },
                );
                request.on("timeout", () => request.destroy(new Error(`no answer in ${timeoutMs / 1000} s`)));
                request.on("error", reject);
                request.end();
            }),
    };
}

/** The `error_text` of a REST error answer (`{"error_id": ..., "error_text": ...}`), or the body cut short. */
export function errorText(response: RestResponse): string {
    try {
        const parsed = JSON.parse(response.body) as { error_id?: unknown; error_text?: unknown };
        if (typeof parsed.error_text === "string") return parsed.error_text;
    } catch {
        // not JSON: fall through
    }
    const body = response.body.replace(/\s+/g, " ").trim();
    return body.length > 120 ? `${body.slice(0, 117)}...` : body;
}

/** The names of a REST collection answer (`{"children": [{"name": ..., "href": ...}]}`). */
export function childNames(response: RestResponse): string[] {
    try {
        const parsed = JSON.parse(response.body) as { children?: { name?: unknown }[] };
        return (parsed.children ?? []).map((c) => c.name).filter((n): n is string => typeof n === "string");
    } catch {
        return [];
    }
}
