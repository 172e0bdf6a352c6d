// `npm run admin`: the way in to the admin UI and REST API when they stay inside the cluster (the
// default, since the default image's release has a known admin authentication bypass): a port-forward
// to a traffic manager pod, as `kubectl port-forward` makes one, through verify's client (verify/kube.ts).
//
//   npm run admin -- [--stack NAME] [--port N] [--rest-port N]
//
// It prints the URLs and how to get the password, and runs until Ctrl+C (exit 0); 2 when it cannot start.
import { ADMIN_PORTS } from "../settings/defaults";
import { vtmNames } from "../settings/naming";
import { ADMIN_PASSWORD_KEY } from "../components/podTemplate";
import { readFlags } from "./cliFlags";
import { PROJECT_DIR, stackSettings } from "./render";
import { stackName } from "./stackName";
import { kubeCluster } from "./verify/kube";
import { Cluster, Forward } from "./verify/types";
import type { V1Pod } from "@kubernetes/client-node";

export const USAGE = `usage: npm run admin -- [--stack NAME] [--port N] [--rest-port N]
  a port-forward to a traffic manager pod's admin UI (${ADMIN_PORTS.webui.port}) and REST API (${ADMIN_PORTS.restapi.port}) on 127.0.0.1, until Ctrl+C
  --stack NAME     the stack (default: PULUMI_STACK, else the stack selected, else dev: as npm run deploy)
  --port N         the local port of the admin UI (default ${ADMIN_PORTS.webui.port}; 0: any free port)
  --rest-port N    the local port of the REST API (default ${ADMIN_PORTS.restapi.port}; 0: any free port)`;

export interface AdminArgs {
    readonly stack: string;
    readonly port: number;
    readonly restPort: number;
    readonly help?: boolean;
}

function portFlag(flag: string, value: string | undefined, fallback: number): number {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) > 65535) throw new Error(`${flag} takes a port number from 0 to 65535, not '${value}'\n${USAGE}`);
    return Number(value);
}

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): AdminArgs {
    const flags = readFlags(argv, USAGE, { values: ["--stack", "--port", "--rest-port"] });
    if (flags.help) return { stack: "", port: 0, restPort: 0, help: true };
    return {
        stack: stackName(flags.values["--stack"], PROJECT_DIR, env),
        port: portFlag("--port", flags.values["--port"], ADMIN_PORTS.webui.port),
        restPort: portFlag("--rest-port", flags.values["--rest-port"], ADMIN_PORTS.restapi.port),
    };
}

const ready = (pod: V1Pod) => pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;

/** The admin Secret's name, from the pod's ZEUS_PASS (the Secret's name carries a generated suffix). */
function passwordSecret(pod: V1Pod): string | undefined {
    return pod.spec?.containers.flatMap((c) => c.env ?? []).find((e) => e.name === "ZEUS_PASS")?.valueFrom?.secretKeyRef?.name;
}

export interface AdminSession {
    /** What to print: the URLs and how to log in. */
    readonly text: string;
    readonly ui: Forward;
    readonly rest: Forward;
    close(): Promise<void>;
}

/** Opens both forwards to a ready pod of the stack (any pod when none is ready yet). */
export async function openAdmin(args: AdminArgs, cluster?: Cluster): Promise<AdminSession> {
    const settings = stackSettings({ stack: args.stack });
    const names = vtmNames(settings.name);
    const namespace = settings.namespace;
    const kube = cluster ?? (await kubeCluster(settings.kubernetes));
    const pods = await kube.pods(namespace, `app=${names.prefix}`);
    const pod = pods.find(ready) ?? pods[0];
    const podName = pod?.metadata?.name;
    if (pod === undefined || podName === undefined) {
        throw new Error(`no traffic manager pod in namespace ${namespace} (kubectl -n ${namespace} get pods -l app=${names.prefix}); deploy first: npm run deploy -- --stack ${args.stack}`);
    }
    const listen = async (port: number, local: number, flag: string) => {
        try {
            return await kube.forward(namespace, podName, port, local);
        } catch (err) {
            const inUse = (err as { code?: string }).code === "EADDRINUSE";
            throw new Error(inUse ? `${flag} ${local}: 127.0.0.1:${local} is in use; choose another local port with ${flag} (0 takes any)` : (err as Error).message);
        }
    };
    const ui = await listen(ADMIN_PORTS.webui.port, args.port, "--port");
    const rest = await listen(ADMIN_PORTS.restapi.port, args.restPort, "--rest-port").catch(async (err) => {
        await ui.close();
        throw err;
    });
    const secret = passwordSecret(pod);
    const stackFlag = args.stack === "dev" ? "" : ` --stack ${args.stack}`;
    const text = [
        `Admin UI of the ${args.stack} stack (pod ${namespace}/${podName}${ready(pod) ? "" : ", not ready yet"}), forwarded until Ctrl+C:`,
        `  admin UI:  https://127.0.0.1:${ui.port}/`,
        `  REST API:  https://127.0.0.1:${rest.port}/api/tm/`,
        `Log in as admin (the certificate is the traffic manager's own, self-signed). The password:`,
        `  npm run -s pulumi -- stack output --show-secrets adminPassword${stackFlag}`,
        ...(secret === undefined ? [] : [`  or: kubectl -n ${namespace} get secret ${secret} -o jsonpath='{.data.${ADMIN_PASSWORD_KEY}}' | base64 -d`]),
        "",
    ].join("\n");
    return { text, ui, rest, close: async () => void (await Promise.all([ui.close(), rest.close()])) };
}

async function main(argv: string[]): Promise<number> {
    const args = parseArgs(argv);
    if (args.help) {
        process.stdout.write(`${USAGE}\n`);
        return 0;
    }
    const session = await openAdmin(args);
    process.stdout.write(session.text);
    await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
    });
    await session.close();
    process.stdout.write("port-forward stopped\n");
    return 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        // Exit now: a tunnel the cluster left half-open must not keep the command running.
        (code) => process.exit(code),
        (err: Error) => {
            process.stderr.write(`admin could not start: ${err.message}\n`);
            process.exit(2);
        },
    );
}
