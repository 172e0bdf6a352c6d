// Messages that point at the mistake: the value and the range of a nodePort, the item of a list, how a
// list is written, the file and line of a YAML error, and commands a user can paste as they are.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR, stackConfig } from "../scripts/render";
import { NODE_PORT_RANGE } from "../settings/checks";
import { PULUMI } from "../settings/commands";
import { ACCEPT_ADMIN_EXPOSURE, renderDev, renderRefused } from "./helpers";

const RANGE = `${NODE_PORT_RANGE.min} to ${NODE_PORT_RANGE.max}`;

describe("messages that point at the mistake", () => {
    describe("a nodePort outside the NodePort range is refused before anything is registered", () => {
        const cases: [string, Record<string, string>, string][] = [
            ["a service's frontend", { services: '{"web": {"port": 80, "pool": "example-pool", "frontend": {"nodePort": 80}}}' }, "services.web.frontend.nodePort: 80"],
            ["the admin web UI", { "adminService.nodePorts.webui": "80" }, "adminService.nodePorts.webui: 80"],
            ["the admin REST API, past the top", { "adminService.nodePorts.restapi": String(NODE_PORT_RANGE.max + 1) }, `adminService.nodePorts.restapi: ${NODE_PORT_RANGE.max + 1}`],
        ];
        for (const [what, set, start] of cases) {
            it(what, async () => {
                const { message, recorder } = await renderRefused(set);
                assert.ok(message.includes(`${start} is outside the NodePort range, ${RANGE}`), message);
                assert.deepStrictEqual(recorder.resources, []);
            });
        }

        it("takes the ends of the range", async () => {
            const r = await renderDev({ ...ACCEPT_ADMIN_EXPOSURE, "adminService.type": "NodePort", "adminService.nodePorts.webui": String(NODE_PORT_RANGE.min), "adminService.nodePorts.restapi": String(NODE_PORT_RANGE.max) });
            const ports = r.objects.find((o) => o.kind === "Service" && o.metadata.name === "vtm-admin-services")!.spec.ports.map((p: any) => p.nodePort);
            assert.deepStrictEqual(ports.sort(), [NODE_PORT_RANGE.min, NODE_PORT_RANGE.max].sort());
        });
    });

    describe("lists", () => {
        it("name the item that is wrong", async () => {
            const { message } = await renderRefused({ "loadBalancer.sourceRanges": '["10.0.0.0/8", "10.0.0.300/8"]' });
            assert.match(message, /loadBalancer\.sourceRanges: \["10\.0\.0\.0\/8","10\.0\.0\.300\/8"\] is not a list of CIDR ranges such as 203\.0\.113\.0\/24: item \[1\] '10\.0\.0\.300\/8' is not one/);
        });

        it("show how a list is written when given a plain string, with the string as its item", async () => {
            const { message } = await renderRefused({ "loadBalancer.sourceRanges": "10.0.0.0/8" });
            assert.ok(
                message.includes(`loadBalancer.sourceRanges: '10.0.0.0/8' is not a list of CIDR ranges such as 203.0.113.0/24; a list is written ["10.0.0.0/8"], or item by item: ${PULUMI} config set --path 'loadBalancer.sourceRanges[0]' 10.0.0.0/8`),
                message,
            );
        });
    });

    it("a stack file that is not YAML is named, with the line and column", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-yaml-"));
        fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        fs.writeFileSync(path.join(dir, "Pulumi.bad.yaml"), "config:\n  vtm-kubernetes:eula: accept\n   vtm-kubernetes:replicas: 2\n");
        assert.throws(() => stackConfig({ projectDir: dir, stack: "bad" }), (err: Error) => {
            assert.ok(err.message.startsWith(`${path.join(dir, "Pulumi.bad.yaml")} line 3, column `), err.message);
            assert.match(err.message, /the file is not valid YAML/);
            return true;
        });
    });

    it("a managed variable in extraEnv names the setting that controls it", async () => {
        const { message } = await renderRefused({ "extraEnv.ZEUS_PASS": "x" });
        assert.match(message, /extraEnv\.ZEUS_PASS: is set by the program itself; the setting that controls it: adminPassword/);
    });

    it("no message of the program names a bare pulumi command: each is the README's npm run pulumi -- …", () => {
        const sources = ["settings", "vtm", "components", "scripts"].flatMap((room) =>
            fs.readdirSync(path.join(PROJECT_DIR, room), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts")).map((f) => path.join(room, f)),
        );
        const bare: string[] = [];
        for (const file of sources) {
            fs.readFileSync(path.join(PROJECT_DIR, file), "utf8").split("\n").forEach((line, i) => {
                if (/^\s*(\/\/|\*|\/\*)/.test(line)) return; // comments say what a command does; messages are what users paste
                for (const m of line.matchAll(/(?<!npm run |[\w-])pulumi (config|stack|up|preview|destroy)\b/g)) bare.push(`${file}:${i + 1}: ${m[0]}`);
            });
        }
        assert.deepStrictEqual(bare, []);
    });
});
