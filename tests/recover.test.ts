// `npm run recover` (scripts/recover.ts): what it reads of a killed update's state and the Pulumi
// commands it runs, in order, against a stand-in for the CLI. The e2e suite runs it with the real
// engine after real kills (tests/e2e/interrupted.e2e.test.ts).
import * as assert from "assert";
import * as fs from "fs";
import { PendingCreate, USAGE, importFile, pendingCreates, plan, recoverCli } from "../scripts/recover";

const STACK = "urn:pulumi:dev::vtm-kubernetes";
const PROVIDER = `${STACK}::pulumi:providers:kubernetes::kubernetes`;
const FOUNDATION = `${STACK}::vtm:index:VtmFoundation::vtm`;
const SECRET = `${STACK}::vtm:index:VtmFoundation$kubernetes:core/v1:Secret::vtm-admin-login-credentials`;
const DEPLOYMENT = `${STACK}::vtm:index:VtmFoundation$kubernetes:apps/v1:Deployment::vtm`;
const PASSWORD = `${STACK}::vtm:index:VtmFoundation$random:index/randomPassword:RandomPassword::vtm-admin-password`;

/** A killed update's state, as `pulumi stack export` prints it. */
function killedState(): object {
    const inFlight = (urn: string, type: string, inputs?: object) => ({ type: "creating", resource: { urn, type, parent: FOUNDATION, provider: `${PROVIDER}::04da6b54`, inputs } });
    return {
        deployment: {
            resources: [
                { urn: PROVIDER, type: "pulumi:providers:kubernetes", id: "04da6b54", inputs: { namespace: "shop" } },
                { urn: FOUNDATION, type: "vtm:index:VtmFoundation" },
            ],
            pending_operations: [
                inFlight(SECRET, "kubernetes:core/v1:Secret", { apiVersion: "v1", kind: "Secret", metadata: { name: "vtm-admin-login-credentials-1a2b3c4d", annotations: { "pulumi.com/autonamed": "true" } } }),
                inFlight(DEPLOYMENT, "kubernetes:apps/v1:Deployment", { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "vtm", namespace: "shop" } }),
                // The engine can record one create twice; it is one object.
                inFlight(DEPLOYMENT, "kubernetes:apps/v1:Deployment", { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "vtm", namespace: "shop" } }),
                inFlight(PASSWORD, "random:index/randomPassword:RandomPassword", { length: 24 }),
                { type: "updating", resource: { urn: `${STACK}::x`, type: "kubernetes:core/v1:ConfigMap" } },
            ],
        },
    };
}

describe("npm run recover: what a killed update left", () => {
    it("reads each create in flight once, with its object's ID (the provider's namespace where it names none)", () => {
        const creates = pendingCreates(killedState());
        assert.deepStrictEqual(
            creates.map((c) => [c.urn.split("::").at(-1), c.object?.id]),
            [["vtm-admin-login-credentials", "shop/vtm-admin-login-credentials-1a2b3c4d"], ["vtm", "shop/vtm"], ["vtm-admin-password", undefined]],
        );
        assert.deepStrictEqual(creates[0].object, { apiVersion: "v1", kind: "Secret", namespace: "shop", name: "vtm-admin-login-credentials-1a2b3c4d", id: "shop/vtm-admin-login-credentials-1a2b3c4d" });
        assert.strictEqual(creates[0].provider, PROVIDER);
    });

    it("adopts the objects the cluster holds and drops the rest, and imports each under its URN's name, parent and provider", async () => {
        const asked: string[] = [];
        const p = await plan(pendingCreates(killedState()), async (o) => (asked.push(o.id), o.kind === "Secret"));
        assert.deepStrictEqual(asked, ["shop/vtm-admin-login-credentials-1a2b3c4d", "shop/vtm"]);
        const names = (cs: readonly PendingCreate[]) => cs.map((c) => c.urn.split("::").at(-1));
        assert.deepStrictEqual([names(p.imported), names(p.cleared)], [["vtm-admin-login-credentials"], ["vtm", "vtm-admin-password"]]);
        assert.deepStrictEqual(importFile(p), {
            nameTable: { r0: FOUNDATION, r1: PROVIDER },
            resources: [{ type: "kubernetes:core/v1:Secret", name: "vtm-admin-login-credentials", id: "shop/vtm-admin-login-credentials-1a2b3c4d", parent: "r0", provider: "r1" }],
        });
    });
});

describe("npm run recover: the commands it runs", () => {
    /** A stand-in CLI: answers `stack export` with the state, and fails the command named in `failing`. */
    function cli(state: object, failing?: string) {
        const calls: string[][] = [];
        const out: string[] = [];
        const err: string[] = [];
        const imports: unknown[] = [];
        const io = {
            stdout: (t: string) => void out.push(t),
            stderr: (t: string) => void err.push(t),
            pulumi: (args: readonly string[]) => {
                calls.push([...args]);
                if (args[0] === "import") imports.push(JSON.parse(fs.readFileSync(args[args.indexOf("--file") + 1], "utf8")));
                return { status: args[0] === failing ? 1 : 0, stdout: args[0] === "stack" ? JSON.stringify(state) : "" };
            },
        };
        return { io, calls, out, err, imports };
    }

    it("unlocks, drops the creates in flight, imports what the cluster holds, then finishes the update", async () => {
        const c = cli(killedState());
        const code = await recoverCli(["--stack", "shop"], c.io, async (o) => o.kind === "Secret");
        assert.strictEqual(code, 0, c.err.join(""));
        assert.deepStrictEqual(c.calls.map((a) => a.filter((w) => !w.includes("/")).join(" ")), [
            "cancel --yes --stack shop",
            "stack export --stack shop",
            "refresh --yes --skip-preview --clear-pending-creates --stack shop",
            "import --file --yes --skip-preview --generate-code=false --protect=false --stack shop",
            "up --yes --stack shop",
        ]);
        assert.strictEqual(c.imports.length, 1);
        assert.match(c.out.join(""), /adopting Secret shop\/vtm-admin-login-credentials-1a2b3c4d: its create was cut off after the cluster made it\n/);
        assert.match(c.out.join(""), /dropping the unfinished create of Deployment shop\/vtm: the cluster does not hold it\n/);
        assert.match(c.out.join(""), /dropping the unfinished create of random:index\/randomPassword:RandomPassword: nothing outside the state\n/);
        assert.match(c.out.join(""), /the shop stack is complete\n$/);
    });

    it("imports nothing when no create was in flight, and still finishes the update", async () => {
        const c = cli({ deployment: { resources: [] } });
        assert.strictEqual(await recoverCli(["--stack", "dev"], c.io, async () => assert.fail("nothing to ask the cluster")), 0);
        assert.deepStrictEqual(c.calls.map((a) => a[0]), ["cancel", "stack", "refresh", "up"]);
    });

    it("stops at a step that fails, saying which, with exit 1; exit 2 when it cannot start; --help exits 0", async () => {
        const failed = cli(killedState(), "import");
        assert.strictEqual(await recoverCli(["--stack", "dev"], failed.io, async () => true), 1);
        assert.deepStrictEqual(failed.calls.map((a) => a[0]), ["cancel", "stack", "refresh", "import"]);
        assert.match(failed.err.join(""), /^recover: npm run pulumi -- import failed \(above\); fix what it says and run npm run recover again\n$/);
        const locked = cli(killedState(), "cancel");
        assert.strictEqual(await recoverCli(["--stack", "dev"], locked.io, async () => true), 2);
        assert.match(locked.err.join(""), /^recover could not run: npm run pulumi -- cancel --yes --stack dev failed\n$/);
        const unknown = cli(killedState());
        assert.strictEqual(await recoverCli(["--stak", "dev"], unknown.io), 2);
        assert.strictEqual(unknown.err.join(""), `recover could not run: unknown argument '--stak'\n${USAGE}\n`);
        const help = cli(killedState());
        assert.strictEqual(await recoverCli(["--help"], help.io), 0);
        assert.deepStrictEqual([help.out.join(""), help.calls], [`${USAGE}\n`, []]);
    });
});
