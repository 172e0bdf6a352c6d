// Setting one field of the default service or pool keeps the rest of that default: through render's
// --set, and through a stack file as `pulumi config set --path` writes it (only the field that was set,
// under the key: the CLI does not copy Pulumi.yaml's default into the stack file).
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR, stackConfig } from "../scripts/render";
import { DEFAULTS } from "../settings/defaults";
import { renderDev, renderRefused, vtmObject } from "./helpers";

/** What pulumi 3.276 wrote for `pulumi config set --path pools.example-pool.algorithm least_connections` and `… services.example-service.port 8080`. */
const CLI_WRITTEN = [
    "config:",
    "  vtm-kubernetes:eula: accept",
    "  vtm-kubernetes:pools:",
    "    example-pool:",
    "      algorithm: least_connections",
    "  vtm-kubernetes:services:",
    "    example-service:",
    "      port: 8080",
    "",
].join("\n");

const defaultPool = DEFAULTS.pools["example-pool"] as { monitors: string[] };
const defaultService = DEFAULTS.services["example-service"] as { pool: string; responseRules: string[] };

describe("one field of a defaulted service or pool", () => {
    it("--set pools.example-pool.algorithm keeps the default pool's monitors", async () => {
        const r = await renderDev({ "pools.example-pool.algorithm": "least_connections" });
        const pool = vtmObject(r.objects, "pools", "example-pool").properties;
        assert.strictEqual(pool.load_balancing.algorithm, "least_connections");
        assert.deepStrictEqual(pool.basic.monitors, defaultPool.monitors);
    });

    it("--set services.example-service.port keeps the default service's pool and rules", async () => {
        const r = await renderDev({ "services.example-service.port": "8080" });
        const basic = vtmObject(r.objects, "virtual_servers", "example-service").properties.basic;
        assert.strictEqual(basic.port, 8080);
        assert.strictEqual(basic.pool, defaultService.pool);
        assert.deepStrictEqual(basic.response_rules, defaultService.responseRules);
    });

    it("a stack file as pulumi config set --path writes it: the program receives only the field, and keeps the rest", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-merge-"));
        fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        fs.writeFileSync(path.join(dir, "Pulumi.cli.yaml"), CLI_WRITTEN);
        // What the program is handed: the stack file's objects, not merged with Pulumi.yaml's defaults.
        const { config } = stackConfig({ projectDir: dir, stack: "cli" });
        assert.deepStrictEqual(JSON.parse(config["vtm-kubernetes:pools"]), { "example-pool": { algorithm: "least_connections" } });
        const r = await renderDev({}, { projectDir: dir, stack: "cli" });
        const pool = vtmObject(r.objects, "pools", "example-pool").properties;
        assert.deepStrictEqual([pool.load_balancing.algorithm, pool.basic.monitors], ["least_connections", defaultPool.monitors]);
        const basic = vtmObject(r.objects, "virtual_servers", "example-service").properties.basic;
        assert.deepStrictEqual([basic.port, basic.pool], [8080, defaultService.pool]);
    });

    it("a default field can still be emptied, and a service of another name starts from nothing", async () => {
        const r = await renderDev({ "pools.example-pool.monitors": "[]" });
        assert.deepStrictEqual(vtmObject(r.objects, "pools", "example-pool").properties.basic.monitors, []);
        const { message } = await renderRefused({ "services.web.port": "8080" });
        assert.match(message, /services\.web\.pool: is required/);
    });

    it("a service that is no object is one problem, not three", async () => {
        const { message } = await renderRefused({ "services.example-service": "5" });
        assert.match(message, /\(1 problem;/);
        assert.match(message, /services\.example-service: 5 is not an object/);
    });
});
