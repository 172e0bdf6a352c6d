// The component package: the schema other languages get (inferred from VtmStack and its Args by the SDK),
// and VtmStack's arguments read as the stack configuration is, with the same checks and defaults and
// messages that name the argument. The engine's side (install, up, outputs) is tests/e2e/package.e2e.test.ts.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import { VtmProvider } from "../components/vtmProvider";
import { VTM_STACK_OUTPUTS, VtmStack } from "../components/vtmStack";
import { ExposureMode } from "../components/vtmStackArgs";
import { Recorder, runMocked } from "../scripts/mockRuntime";
import { render } from "../scripts/render";
import { Resolved, argumentSource } from "../settings/arguments";
import { asArguments, configCommand } from "../settings/commands";
import { ConfigError, Settings, configSource, parseSettings } from "../settings/settings";
import { SECRET_KEYS } from "../settings/defaults";
import { planConfiguration } from "../vtm/configuration";
import { DocumentError } from "../vtm/documents";

const ROOT = path.resolve(__dirname, "..");

interface Property { readonly plain?: boolean; readonly description?: string }
interface Schema {
    readonly name: string;
    readonly resources: Record<string, { inputProperties: Record<string, Property>; properties: Record<string, Property>; description?: string }>;
}

/** The arguments' settings, or the problems, as VtmStack reads them. */
function fromArguments(args: Record<string, unknown>, resolve: (o: pulumi.Output<unknown>) => Resolved | undefined = () => undefined): Settings {
    return asArguments(() => parseSettings(argumentSource("VtmStack 'vtm'", args, resolve, {})));
}

function refusal(run: () => unknown): ConfigError {
    try {
        run();
    } catch (err) {
        assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${err}`);
        return err;
    }
    assert.fail("expected the arguments to be refused");
}

/** Settings without their Outputs, to compare two readings. */
const plainSettings = (s: Settings) => JSON.parse(JSON.stringify({ ...s, adminPassword: undefined, registryPassword: undefined, licensing: { ...s.licensing, licenseKey: undefined, ownerSecret: undefined }, configWarnings: undefined }));

describe("component package: the schema", function () {
    this.timeout(60000);
    let schema: Schema;
    before(async () => {
        schema = JSON.parse(await new VtmProvider().getSchema());
    });

    it("is package vtm with one component, vtm:index:VtmStack, described from its doc comment", () => {
        assert.strictEqual(schema.name, "vtm");
        assert.deepStrictEqual(Object.keys(schema.resources), ["vtm:index:VtmStack"]);
        assert.match(schema.resources["vtm:index:VtmStack"].description ?? "", /Virtual Traffic Manager/);
    });

    it("takes every setting of Pulumi.yaml as an argument, documents as text instead of paths", () => {
        const config = Object.keys((yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { config: object }).config);
        const expected = [...config.filter((k) => k !== "documents"), "configDocuments", "rules", "data"].sort();
        assert.deepStrictEqual(Object.keys(schema.resources["vtm:index:VtmStack"].inputProperties).sort(), expected);
    });

    it("takes the secrets as Inputs (a secret Output may be passed) and everything else as plain values, known before anything is created", () => {
        const inputs = schema.resources["vtm:index:VtmStack"].inputProperties;
        assert.deepStrictEqual(Object.keys(inputs).filter((k) => !inputs[k].plain).sort(), [...SECRET_KEYS].sort());
        assert.deepStrictEqual(Object.keys(inputs).filter((k) => !inputs[k].description), [], "every argument carries its doc comment");
    });

    it("has the outputs the construct returns", () => {
        assert.deepStrictEqual(Object.keys(schema.resources["vtm:index:VtmStack"].properties).sort(), [...VTM_STACK_OUTPUTS].sort());
    });
});

describe("component package: VtmStack's arguments", () => {
    it("give the same settings as the same stack configuration", () => {
        const values = { eula: "accept", exposure: "LoadBalancer", replicas: 2, backend: { replicas: 3 }, loadBalancer: { sourceRanges: ["10.0.0.0/8"] }, services: { web: { port: 8080, pool: "example-pool" } } };
        const config = Object.fromEntries(Object.entries(values).map(([k, v]) => [`vtm-kubernetes:${k}`, typeof v === "string" ? v : JSON.stringify(v)]));
        const fromConfig = parseSettings(configSource("vtm-kubernetes", config, () => false));
        assert.deepStrictEqual(plainSettings(fromArguments(values)), plainSettings(fromConfig));
        assert.strictEqual(fromArguments(values).replicas, 2);
    });

    it("are refused together, each naming the argument, with hints to set the argument rather than stack commands", () => {
        const err = refusal(() => fromArguments({ replicas: 0, name: "Bad_Name", adminPassword: "not-a-secret-password" }));
        assert.match(err.message, /^Invalid arguments of VtmStack 'vtm' \(4 problems; nothing was deployed or changed\)/);
        assert.ok(err.problems.some((p) => /^replicas: '0' is not a whole number of at least 1/.test(p)), err.message);
        assert.ok(err.problems.some((p) => p.startsWith("name: 'Bad_Name'")), err.message);
        assert.ok(err.problems.some((p) => p.startsWith("eula:") && p.includes("set the argument eula to accept")), err.message);
        assert.ok(err.problems.some((p) => p.startsWith("adminPassword:") && p.includes("pass the argument adminPassword as a secret")), err.message);
        assert.doesNotMatch(err.message, /npm run pulumi|config set/);
    });

    it("check a secret Output's value when it is known, and take one known only at update time as it is", () => {
        const password = pulumi.secret("short");
        const known = (o: pulumi.Output<unknown>): Resolved | undefined => (o === password ? { known: true, secret: true, value: "short" } : undefined);
        const err = refusal(() => fromArguments({ eula: "accept", adminPassword: password }, known));
        assert.match(err.message, /adminPassword: is 5 characters long; use at least 12/);
        assert.doesNotMatch(err.message, /short/, "the value itself is never in a message");

        const later = pulumi.secret("computed-by-another-resource");
        const settings = fromArguments({ eula: "accept", adminPassword: later }, (o) => (o === later ? { known: false, secret: true } : undefined));
        assert.ok(pulumi.Output.isInstance(settings.adminPassword));
        const notSecret = refusal(() => fromArguments({ eula: "accept", adminPassword: later }, () => ({ known: false, secret: false })));
        assert.match(notSecret.message, /adminPassword: is stored in plain text/);
    });

    it("bring documents, rules and data as text: a rule of the package's config/rules with the same name is replaced, a bad document is named by its argument", () => {
        const settings = fromArguments({ eula: "accept" });
        const rule = "http.setResponseHeader('X-From', 'argument');";
        const plan = planConfiguration(settings, undefined, { rules: { "Response-Headers": rule }, data: { "geo.csv": "a,b\n" } });
        const ruleMap = plan.config.dataShards.flatMap((s) => Object.entries(s));
        assert.ok(ruleMap.some(([key, text]) => key === "Response-Headers.trafficscript" && text === rule), JSON.stringify(ruleMap.map(([k]) => k)));
        assert.ok(ruleMap.some(([key]) => key === "geo.csv"));
        assert.throws(
            () => planConfiguration(settings, undefined, { documents: { "extra.yaml": "version: [" } }),
            (err: Error) => err instanceof DocumentError && /configDocuments\.extra\.yaml/.test(err.message),
        );
    });
});

describe("component package: VtmStack in a TypeScript program's own process", () => {
    const password = () => "generated-password-of-the-mock";
    const mockRun = { project: "consumer", stack: "dev", config: {}, secretKeys: [] };

    it("registers the same Kubernetes objects as the program for the same settings", async () => {
        const recorder = new Recorder({ password });
        await runMocked(recorder, mockRun, () => new VtmStack("vtm", { eula: "accept", exposure: ExposureMode.LoadBalancer, replicas: 2 }));
        const program = await render({ stack: "dev", set: { exposure: "LoadBalancer", replicas: "2" }, includeSecrets: true, mock: { password } });
        const byName = (objects: Record<string, any>[]) => JSON.parse(JSON.stringify(Object.fromEntries(objects.map((o) => [`${o.kind}/${o.metadata.name}`, o]))));
        const fromComponent = byName(recorder.kubernetesObjects());
        assert.ok(Object.keys(fromComponent).includes("PodDisruptionBudget/vtm"), Object.keys(fromComponent).join(", "));
        assert.deepStrictEqual(fromComponent, byName(program.objects));
    });

    it("registers nothing for bad arguments", async () => {
        const recorder = new Recorder({ password });
        await assert.rejects(
            runMocked(recorder, mockRun, () => new VtmStack("vtm", { eula: "accept", exposure: "Bogus" as ExposureMode })),
            (err: Error) => err instanceof ConfigError && /exposure: 'Bogus' is not one of NodePort, LoadBalancer, HostNetwork/.test(err.message),
        );
        assert.deepStrictEqual(recorder.resources, []);
    });
});

describe("component package: messages name arguments for everything asArguments runs", () => {
    it("through awaits, while stack commands stay as they are outside, at the same time", async () => {
        const inside = asArguments(async () => {
            await new Promise((resolve) => setTimeout(resolve, 5));
            return configCommand("set nodeAddress <address>");
        });
        assert.strictEqual(configCommand("set nodeAddress <address>"), "npm run pulumi -- config set nodeAddress <address>");
        assert.strictEqual(await inside, "set the argument nodeAddress to <address>");
        assert.strictEqual(asArguments(() => configCommand("rm --path licensing.owner")), "remove the argument licensing.owner");
        assert.strictEqual(asArguments(() => configCommand("set --path 'security.acceptAdminExposure[0]' CVE-2024-7593")), "set the argument security.acceptAdminExposure[0] to CVE-2024-7593");
    });

    it("refuses a given rule or data name that cannot be a ConfigMap key, naming the argument", () => {
        const settings = fromArguments({ eula: "accept" });
        assert.throws(
            () => planConfiguration(settings, undefined, { rules: { "bad rule": "" }, data: { "bad/key": "" }, documents: { "notes.txt": "" } }),
            (err: Error) =>
                /rules\.bad rule: the name cannot be a ConfigMap key/.test(err.message) &&
                /data\.bad\/key: the name cannot be a ConfigMap key/.test(err.message) &&
                /configDocuments\.notes\.txt: is not a configuration document name/.test(err.message),
        );
    });
});
