// Licensing, tried as a new user would: the community edition (the seed's), a licence key from an
// existing Secret or from a secret value, and Services Director self-registration. Each mode is compared
// with what the upstream Helm chart (pulse-vadc/kubernetes-vtm@28d12a1, helm/charts/vtm/templates) and
// the image's entrypoint (TuxInvader/Docker-Brocade-vTM@63ae382, runzeus.sh) make of the same values;
// the licence and the owner secret stay inside Secrets; every bad value is refused by its key before
// anything is registered; and only what vTM reads at start rolls the pods.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { licensingPod } from "../components/licensing";
import { ConfigError, ConfigSource, configSource, parseSettings } from "../settings/settings";
import { PROJECT_DIR, RenderResult, render, toYaml } from "../scripts/render";
import { selfRegistrationDocument } from "../vtm/configuration";
import { fakeCluster } from "./fakeCluster";
import { KubeObject, container, env, find, findAll, findByPrefix, leaks, renderDev, renderRefused, validateSchema, watchedDocuments } from "./helpers";

const LICENCE = "-----BEGIN VTM LICENCE-----\nserial=VTM-4711-test\nbandwidth=10000\n-----END VTM LICENCE-----\n";
const OWNER_SECRET = "0wner-S3cret-for-tests";
const FINGERPRINT = "A0:A1:A2:A3:A4:A5:A6:A7:A8:A9:B1:B2:B3:B4:B5:B6:B7:B8:B9:B0";

/** Every Services Director field set, as `pulumi config set --path licensing.<field>` would. */
const SERVICES_DIRECTOR = {
    "licensing.mode": "servicesDirector",
    "licensing.registrationServer": "sd.example.com:8100",
    "licensing.serverFingerprint": FINGERPRINT,
    "licensing.policyId": "Policy-9999-9999-9999-9999",
    "licensing.owner": "platform-team",
    "licensing.email": "vtm-ops@example.com",
    "licensing.message": "prod cluster eu-1",
    "licensing.commChannelEnabled": "true",
    "licensing.commChannelPort": "8102",
    servicesDirectorOwnerSecret: OWNER_SECRET,
};
const LICENSE_FROM_SECRET = { "licensing.mode": "licenseKey", "licensing.licenseSecret": "vtm-license", "licensing.licenseSecretKey": "fla.lic" };
const LICENSE_FROM_CONFIG = { "licensing.mode": "licenseKey", licenseKey: LICENCE };

// A deployed stack keeps its generated password from one update to the next.
const update = (set: Record<string, string>) => renderDev(set, {}, { password: () => "Generated0nceKeptInState" });
const deployment = (r: RenderResult) => find(r.objects, "Deployment", "vtm");
const vtm = (r: RenderResult) => container(deployment(r));
const envNames = (r: RenderResult) => (vtm(r).env as KubeObject[]).map((e) => e.name);
const volume = (r: RenderResult, name: string) => deployment(r).spec.template.spec.volumes.find((v: KubeObject) => v.name === name);
const dataSources = (r: RenderResult): KubeObject[] => volume(r, "data-volume").projected.sources;
/** The Secrets the program makes besides the admin password's. */
const licensingSecrets = (r: RenderResult) => findAll(r.objects, "Secret").filter((s) => !s.metadata.name.startsWith("vtm-admin-login-credentials-"));

/** A config source over plain values, with the secret keys listed. */
function source(values: Record<string, string>, secrets: string[] = []): ConfigSource {
    const config = Object.fromEntries(Object.entries({ eula: "accept", ...values }).map(([k, v]) => [`vtm-kubernetes:${k}`, v]));
    return configSource("vtm-kubernetes", config, (k) => secrets.includes(k));
}

function problems(values: Record<string, string>, secrets: string[] = []): readonly string[] {
    try {
        parseSettings(source(values, secrets));
    } catch (err) {
        assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${err}`);
        return err.problems;
    }
    return [];
}

describe("licensing: the community edition (default)", () => {
    let result: RenderResult;
    before(async () => {
        result = await update({});
    });

    it("is the default setting", () => {
        assert.deepStrictEqual(parseSettings(source({})).licensing, { mode: "community" });
    });

    it("accepts the community edition as the chart's deployment.yaml does (ZEUS_COMMUNITY_EDITION yes), with no licence or registration", () => {
        assert.strictEqual(env(vtm(result), "ZEUS_COMMUNITY_EDITION").value, "yes");
        assert.deepStrictEqual(envNames(result).filter((n) => n === "ZEUS_LIC" || n.startsWith("ZEUS_REGISTER_")), []);
        assert.strictEqual(volume(result, "license"), undefined);
        assert.deepStrictEqual(licensingSecrets(result), []);
        assert.ok(!("20-self-registration.yaml" in watchedDocuments(result.objects)));
    });

    it("is what licensingPod gives alone for the community mode", () => {
        assert.deepStrictEqual(licensingPod({ mode: "community" }), {
            env: [{ name: "ZEUS_COMMUNITY_EDITION", value: "yes" }],
            volumes: [],
            volumeMounts: [],
            dataSources: [],
        });
    });
});

describe("licensing: a licence key", () => {
    // The chart has no licence-key mode; the image's runzeus.sh reads ZEUS_LIC as the path of the
    // licence file (zxtm!license_key=$ZEUS_LIC) when the container first starts.
    describe("from an existing Secret", () => {
        let result: RenderResult;
        before(async () => {
            result = await update(LICENSE_FROM_SECRET);
        });

        it("mounts the Secret's key read-only and names the file in ZEUS_LIC", () => {
            assert.deepStrictEqual(volume(result, "license"), {
                name: "license",
                secret: { secretName: "vtm-license", items: [{ key: "fla.lic", path: "license.lic" }], defaultMode: 0o400 },
            });
            assert.deepStrictEqual(
                vtm(result).volumeMounts.find((m: KubeObject) => m.name === "license"),
                { name: "license", mountPath: "/etc/vtm-license", readOnly: true },
            );
            assert.strictEqual(env(vtm(result), "ZEUS_LIC").value, "/etc/vtm-license/license.lic");
        });

        it("does not accept the community edition, and makes no Secret of its own", () => {
            assert.ok(!envNames(result).includes("ZEUS_COMMUNITY_EDITION"));
            assert.deepStrictEqual(licensingSecrets(result), []);
        });

        it("takes the key `license` unless licenseSecretKey says otherwise", async () => {
            const r = await update({ "licensing.mode": "licenseKey", "licensing.licenseSecret": "vtm-license" });
            assert.deepStrictEqual(volume(r, "license").secret.items, [{ key: "license", path: "license.lic" }]);
        });

        it("renders objects that validate against the Kubernetes schemas", () => {
            for (const o of result.objects) validateSchema(o);
        });
    });

    describe("from the licenseKey secret value", () => {
        let result: RenderResult;
        before(async () => {
            result = await update(LICENSE_FROM_CONFIG);
        });

        it("makes an auto-named Opaque Secret holding the licence under the key `license`, and mounts it as from your own", () => {
            const secret = findByPrefix(result.objects, "Secret", "vtm-license");
            assert.strictEqual(secret.type, "Opaque");
            assert.deepStrictEqual(secret.stringData, { license: LICENCE });
            const inputs = result.recorder.resources.find((r) => r.type === "kubernetes:core/v1:Secret" && r.name === "vtm-license")!.inputs;
            assert.strictEqual(inputs.metadata.name, undefined, "the Secret must not carry a fixed name");
            assert.deepStrictEqual(volume(result, "license").secret, { secretName: secret.metadata.name, items: [{ key: "license", path: "license.lic" }], defaultMode: 0o400 });
            assert.strictEqual(env(vtm(result), "ZEUS_LIC").value, "/etc/vtm-license/license.lic");
            assert.ok(!envNames(result).includes("ZEUS_COMMUNITY_EDITION"));
        });

        it("keeps the licence only in that Secret: in no other object, output or note, and a Pulumi secret in state", () => {
            assert.deepStrictEqual(leaks(result, "serial=VTM-4711-test"), []);
            const resource = result.recorder.resources.find((r) => r.type === "kubernetes:core/v1:Secret" && r.name === "vtm-license")!;
            // The SDK's secret wrapper around the Secret's data, as the engine receives it.
            assert.strictEqual(resource.state.stringData["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270");
        });

        it("leaves the licence out of a render without --include-secrets, saying which Secret to create", async () => {
            const r = await render({ stack: "dev", set: LICENSE_FROM_CONFIG, cluster: fakeCluster() });
            assert.ok(!toYaml(r.objects).includes("serial=VTM-4711-test"));
            assert.ok(r.notes.some((n) => n.startsWith("Secret default/vtm-license-") && n.includes("it holds license")), r.notes.join("\n"));
        });
    });
});

describe("licensing: Services Director self-registration", () => {
    let result: RenderResult;
    before(async () => {
        result = await update(SERVICES_DIRECTOR);
    });

    it("writes the chart's self-registration document, with the owner secret as a file reference instead of in the ConfigMap", () => {
        // helm/charts/vtm/templates/config-generated.yaml, key 20-self-registration: `version`, then
        // global_settings.properties.remote_licensing with registration_server, owner, owner_secret,
        // policy_id, comm_channel_enabled and comm_channel_port. The chart writes owner_secret in plain
        // text into the ConfigMap; here it is read from the mounted Secret (facts §1.4, fileRef).
        assert.deepStrictEqual(watchedDocuments(result.objects)["20-self-registration.yaml"], {
            version: 6.2,
            global_settings: {
                properties: {
                    remote_licensing: {
                        registration_server: "sd.example.com:8100",
                        owner: "platform-team",
                        owner_secret: { valueFrom: { fileRef: { name: "data/services-director/owner-secret" } } },
                        policy_id: "Policy-9999-9999-9999-9999",
                        comm_channel_enabled: true,
                        comm_channel_port: 8102,
                    },
                },
            },
        });
    });

    it("mounts the owner secret where that file reference points: /import/data/services-director/owner-secret", () => {
        const secret = findByPrefix(result.objects, "Secret", "vtm-services-director");
        assert.strictEqual(secret.type, "Opaque");
        assert.deepStrictEqual(secret.stringData, { "owner-secret": OWNER_SECRET });
        const mount = vtm(result).volumeMounts.find((m: KubeObject) => m.name === "data-volume");
        assert.strictEqual(mount.mountPath, "/import/data");
        const source = dataSources(result).find((s) => s.secret?.name === secret.metadata.name);
        assert.deepStrictEqual(source, { secret: { name: secret.metadata.name, items: [{ key: "owner-secret", path: "services-director/owner-secret" }] } });
        // /import/data/<path> is `data/<path>` relative to the importer's base directory /import.
        const ref = watchedDocuments(result.objects)["20-self-registration.yaml"].global_settings.properties.remote_licensing.owner_secret;
        assert.strictEqual(ref.valueFrom.fileRef.name, `data/${source.secret.items[0].path}`);
    });

    it("sets the image's first-start registration variables as runzeus.sh reads them, the owner secret through secretKeyRef", () => {
        const secret = findByPrefix(result.objects, "Secret", "vtm-services-director");
        const registration = (vtm(result).env as KubeObject[]).filter((e) => e.name.startsWith("ZEUS_REGISTER_"));
        assert.deepStrictEqual(registration, [
            { name: "ZEUS_REGISTER_HOST", value: "sd.example.com:8100" },
            { name: "ZEUS_REGISTER_FP", value: FINGERPRINT },
            { name: "ZEUS_REGISTER_POLICY", value: "Policy-9999-9999-9999-9999" },
            { name: "ZEUS_REGISTER_OWNER", value: "platform-team" },
            { name: "ZEUS_REGISTER_SECRET", valueFrom: { secretKeyRef: { name: secret.metadata.name, key: "owner-secret" } } },
            { name: "ZEUS_REGISTER_EMAIL", value: "vtm-ops@example.com" },
            { name: "ZEUS_REGISTER_MSG", value: "prod cluster eu-1" },
        ]);
    });

    it("does not accept the community edition (the chart does; the Services Director licenses the instance) and mounts no licence file", () => {
        assert.ok(!envNames(result).includes("ZEUS_COMMUNITY_EDITION"));
        assert.ok(!envNames(result).includes("ZEUS_LIC"));
        assert.strictEqual(volume(result, "license"), undefined);
    });

    it("exposes no port for the communications channel: vTM connects out to the Services Director's, as in the chart", () => {
        assert.deepStrictEqual(vtm(result).ports.map((p: KubeObject) => p.containerPort), [9090, 9070]);
    });

    it("keeps the owner secret only in its Secret: in no ConfigMap, other object, output or note, and a Pulumi secret in state", async () => {
        assert.deepStrictEqual(leaks(result, OWNER_SECRET), []);
        const resource = result.recorder.resources.find((r) => r.type === "kubernetes:core/v1:Secret" && r.name === "vtm-services-director")!;
        assert.strictEqual(resource.state.stringData["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270");
        const r = await render({ stack: "dev", set: SERVICES_DIRECTOR, cluster: fakeCluster() });
        assert.ok(!toYaml(r.objects).includes(OWNER_SECRET));
    });

    it("with only the registration server: only ZEUS_REGISTER_HOST and registration_server, no Secret", async () => {
        const r = await update({ "licensing.mode": "servicesDirector", "licensing.registrationServer": "10.1.2.3:8100" });
        assert.deepStrictEqual((vtm(r).env as KubeObject[]).filter((e) => e.name.startsWith("ZEUS_REGISTER_")), [{ name: "ZEUS_REGISTER_HOST", value: "10.1.2.3:8100" }]);
        assert.deepStrictEqual(watchedDocuments(r.objects)["20-self-registration.yaml"], {
            version: 6.2,
            global_settings: { properties: { remote_licensing: { registration_server: "10.1.2.3:8100" } } },
        });
        assert.deepStrictEqual(licensingSecrets(r), []);
        assert.deepStrictEqual(dataSources(r), [{ configMap: { name: "vtm-extra-data" } }]);
    });

    it("renders objects that validate against the Kubernetes schemas, with no warning", () => {
        for (const o of result.objects) validateSchema(o);
        assert.deepStrictEqual(result.notes.filter((n) => n.startsWith("warning:")), []);
    });

    it("is what selfRegistrationDocument gives alone, with the document's version", () => {
        const doc = selfRegistrationDocument({ mode: "servicesDirector", registrationServer: "sd:8100", commChannelEnabled: false }, 7);
        assert.deepStrictEqual(doc, { version: 7, global_settings: { properties: { remote_licensing: { registration_server: "sd:8100", comm_channel_enabled: false } } } });
    });
});

describe("licensing: bad values are refused by key, before anything is registered", () => {
    const sd = (fields: Record<string, unknown>) => ({ licensing: JSON.stringify({ mode: "servicesDirector", registrationServer: "sd.example.com:8100", ...fields }) });
    const cases: [string, Record<string, string>, string][] = [
        ["an unknown mode", { "licensing.mode": "enterprise" }, "licensing.mode: 'enterprise' is not one of community, licenseKey, servicesDirector"],
        ["a misspelt field", sd({ policyID: "P-1" }), "licensing.policyID: is not a setting (allowed: mode, licenseSecret, licenseSecretKey, registrationServer, serverFingerprint, policyId, owner, email, message, commChannelEnabled, commChannelPort)"],
        ["licensing that is no object", { licensing: "servicesDirector" }, "licensing: 'servicesDirector' is not an object (set its fields with: npm run pulumi -- config set --path licensing.<field> <value>)"],
        ["no registration server", { "licensing.mode": "servicesDirector" }, "licensing.registrationServer: is required in mode servicesDirector: the Services Director's host:port, e.g. sd.example.com:8100"],
        ...["sd.example.com", "sd.example.com:0", "sd.example.com:65536", "https://sd.example.com:8100", "[2001:db8::1]:8100", "sd_1.example.com:8100", "sd.example.com:8100:1"].map(
            (server): [string, Record<string, string>, string] => [
                `registration server ${server}`,
                sd({ registrationServer: server }),
                `licensing.registrationServer: '${server}' is not host:port (a host name or IPv4 address, a colon, a port from 1 to 65535), e.g. sd.example.com:8100`,
            ],
        ),
        ...["A0:A1:A2", FINGERPRINT.replace(/:/g, ""), `${FINGERPRINT}:C1`, FINGERPRINT.replace("A0", "G0")].map((fp): [string, Record<string, string>, string] => [
            `fingerprint ${fp}`,
            sd({ serverFingerprint: fp }),
            `licensing.serverFingerprint: '${fp}' is not a SHA-1 fingerprint: 20 pairs of hex digits separated by colons, e.g. AB:CD:…:EF`,
        ]),
        ["an e-mail address without a domain", sd({ email: "ops@localhost" }), "licensing.email: 'ops@localhost' is not an e-mail address such as ops@example.com"],
        ["a message on two lines", sd({ message: "line one\nselfreg!register=n" }), "licensing.message: 'line one\nselfreg!register=n' is not a message on one line (not empty, no line break)"],
        ["a policy id on two lines", sd({ policyId: "P-1\nP-2" }), "licensing.policyId: 'P-1\nP-2' is not a policy id on one line (not empty, no line break)"],
        ["an empty owner", { ...sd({ owner: " " }), servicesDirectorOwnerSecret: OWNER_SECRET }, "licensing.owner: ' ' is not an owner name on one line (not empty, no line break)"],
        ["a communications channel port of 0", sd({ commChannelPort: 0 }), "licensing.commChannelPort: 0 is not a whole number from 1 to 65535"],
        ["a communications channel switch that is no boolean", sd({ commChannelEnabled: "maybe" }), "licensing.commChannelEnabled: 'maybe' is not true or false"],
        ["an owner without its secret", sd({ owner: "platform-team" }), "licensing.owner: needs the owner's secret: npm run pulumi -- config set --secret servicesDirectorOwnerSecret <secret>"],
        ["an owner secret without an owner", { ...sd({}), servicesDirectorOwnerSecret: OWNER_SECRET }, "servicesDirectorOwnerSecret: needs licensing.owner, the Services Director owner it belongs to"],
        ["licence key mode without a licence", { "licensing.mode": "licenseKey" }, "licensing.licenseSecret: is not set, and neither is licenseKey: mode licenseKey needs the licence file, in an existing Secret (npm run pulumi -- config set --path licensing.licenseSecret <name>) or as a secret value (npm run pulumi -- config set --secret licenseKey < license.lic)"],
        ["a licence given two ways", { ...LICENSE_FROM_SECRET, licenseKey: LICENCE }, "licenseKey: cannot be combined with licensing.licenseSecret: give the licence one way, in your Secret or as this secret value"],
        ["a Secret key without the Secret", { ...LICENSE_FROM_CONFIG, "licensing.licenseSecretKey": "fla.lic" }, "licensing.licenseSecretKey: names the key in licensing.licenseSecret, which is not set (the Secret made from licenseKey has its own key)"],
        ["a Secret name that is no Kubernetes name", { "licensing.mode": "licenseKey", "licensing.licenseSecret": "My_Licence" }, "licensing.licenseSecret: 'My_Licence' is not a Kubernetes object name (lower-case letters, digits, '-' and '.')"],
        ["a Secret key that is no Secret key", { ...LICENSE_FROM_SECRET, "licensing.licenseSecretKey": "keys/fla.lic" }, "licensing.licenseSecretKey: 'keys/fla.lic' is not a Secret key (letters, digits, '-', '_' and '.')"],
        ["a Services Director field in licence key mode", { ...LICENSE_FROM_SECRET, "licensing.owner": "platform-team" }, "licensing.owner: belongs to licensing.mode servicesDirector, and the mode is licenseKey; set the mode or remove it (npm run pulumi -- config rm --path licensing.owner)"],
        ["a licence key field in the community mode", { "licensing.licenseSecret": "vtm-license" }, "licensing.licenseSecret: belongs to licensing.mode licenseKey, and the mode is community; set the mode or remove it (npm run pulumi -- config rm --path licensing.licenseSecret)"],
        ["a licence in the community mode", { licenseKey: LICENCE }, "licenseKey: belongs to licensing.mode licenseKey, and the mode is community; set the mode or remove it (npm run pulumi -- config rm licenseKey)"],
        ["an owner secret in licence key mode", { ...LICENSE_FROM_SECRET, servicesDirectorOwnerSecret: OWNER_SECRET }, "servicesDirectorOwnerSecret: belongs to licensing.mode servicesDirector, and the mode is licenseKey; set the mode or remove it (npm run pulumi -- config rm servicesDirectorOwnerSecret)"],
        ["ZEUS_LIC through extraEnv", { extraEnv: '{"ZEUS_LIC": "https://licences.example.com/vtm.lic"}' }, "extraEnv.ZEUS_LIC: is set by the program from the licensing setting (ZEUS_COMMUNITY_EDITION, ZEUS_LIC, ZEUS_REGISTER_HOST, ZEUS_REGISTER_FP, ZEUS_REGISTER_POLICY, ZEUS_REGISTER_OWNER, ZEUS_REGISTER_SECRET, ZEUS_REGISTER_EMAIL, ZEUS_REGISTER_MSG); use licensing (docs/configuration.md, Licensing)"],
        ["ZEUS_REGISTER_SECRET through extraEnv", { extraEnv: '{"ZEUS_REGISTER_SECRET": "x"}' }, "extraEnv.ZEUS_REGISTER_SECRET: is set by the program from the licensing setting (ZEUS_COMMUNITY_EDITION, ZEUS_LIC, ZEUS_REGISTER_HOST, ZEUS_REGISTER_FP, ZEUS_REGISTER_POLICY, ZEUS_REGISTER_OWNER, ZEUS_REGISTER_SECRET, ZEUS_REGISTER_EMAIL, ZEUS_REGISTER_MSG); use licensing (docs/configuration.md, Licensing)"],
    ];
    for (const [what, set, expected] of cases) {
        it(`${what}: ${expected.split(":")[0]}`, async () => {
            const { message, recorder } = await renderRefused(set);
            assert.ok(message.split("\n  - ").includes(expected), message);
            assert.strictEqual(message.split("\n  - ").length, 2, `exactly one problem:\n${message}`);
            assert.deepStrictEqual(recorder.resources, []);
        });
    }

    it("an unknown mode is the only thing said: the other fields' modes are unknown then", () => {
        assert.deepStrictEqual(problems({ licensing: '{"mode": "sd", "registrationServer": "x", "owner": "o"}' }), [
            "licensing.mode: 'sd' is not one of community, licenseKey, servicesDirector",
        ]);
    });

    it("every problem at once", () => {
        assert.deepStrictEqual(problems({ licensing: '{"mode": "servicesDirector", "registrationServer": "sd", "commChannelPort": 70000, "licenseSecret": "x"}' }), [
            "licensing.licenseSecret: belongs to licensing.mode licenseKey, and the mode is servicesDirector; set the mode or remove it (npm run pulumi -- config rm --path licensing.licenseSecret)",
            "licensing.registrationServer: 'sd' is not host:port (a host name or IPv4 address, a colon, a port from 1 to 65535), e.g. sd.example.com:8100",
            "licensing.commChannelPort: 70000 is not a whole number from 1 to 65535",
        ]);
    });

    it("refuses the licence and the owner secret stored in plain text, without repeating them", () => {
        assert.deepStrictEqual(problems({ licensing: '{"mode": "licenseKey"}', licenseKey: LICENCE }), [
            "licenseKey: is stored in plain text; set it as a secret: npm run pulumi -- config set --secret licenseKey < license.lic",
        ]);
        const found = problems({ licensing: '{"mode": "servicesDirector", "registrationServer": "sd:8100", "owner": "o"}', servicesDirectorOwnerSecret: OWNER_SECRET });
        assert.deepStrictEqual(found, ["servicesDirectorOwnerSecret: is stored in plain text; set it as a secret: npm run pulumi -- config set --secret servicesDirectorOwnerSecret <secret>"]);
    });

    it("refuses an owner secret stored in plain text in a stack file through the whole program, registering nothing", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-licensing-"));
        fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        const stack = {
            config: {
                "vtm-kubernetes:eula": "accept",
                "vtm-kubernetes:licensing": { mode: "servicesDirector", registrationServer: "sd:8100", owner: "o" },
                "vtm-kubernetes:servicesDirectorOwnerSecret": OWNER_SECRET,
            },
        };
        fs.writeFileSync(path.join(dir, "Pulumi.test.yaml"), yaml.dump(stack));
        const { message, recorder } = await renderRefused({}, { projectDir: dir, stack: "test" });
        assert.ok(message.includes("servicesDirectorOwnerSecret: is stored in plain text"), message);
        assert.ok(!message.includes(OWNER_SECRET));
        assert.deepStrictEqual(recorder.resources, []);
    });

    it("refuses an owner secret with a line break, which runzeus.sh would write into its setup file as another setting, without repeating it", async () => {
        const { message, recorder } = await renderRefused({ ...sd({ owner: "o" }), servicesDirectorOwnerSecret: "first\nselfreg!register=n" });
        assert.ok(
            message.includes("  - servicesDirectorOwnerSecret: contains a line break, which the image would write into its setup file as another setting; set it on one line"),
            message,
        );
        assert.ok(!message.includes("selfreg!register=n"));
        assert.deepStrictEqual(recorder.resources, []);
    });
});

describe("licensing: what restarts pods (docs/operations.md)", () => {
    const template = (r: RenderResult) => JSON.stringify(deployment(r).spec.template);
    const selfRegistration = (r: RenderResult) => find(r.objects, "ConfigMap", "vtm-config").data["20-self-registration.yaml"];
    let sdBase: RenderResult;
    let keyBase: RenderResult;
    before(async () => {
        sdBase = await update(SERVICES_DIRECTOR);
        keyBase = await update(LICENSE_FROM_SECRET);
    });

    // Read by the image only when a container first starts (runzeus.sh, before `configure`): a change must roll the pods.
    const rolls: [string, () => RenderResult, Record<string, string>][] = [
        ["licensing.registrationServer", () => sdBase, { ...SERVICES_DIRECTOR, "licensing.registrationServer": "sd2.example.com:8100" }],
        ["licensing.serverFingerprint", () => sdBase, { ...SERVICES_DIRECTOR, "licensing.serverFingerprint": FINGERPRINT.replace("A0", "FF") }],
        ["licensing.policyId", () => sdBase, { ...SERVICES_DIRECTOR, "licensing.policyId": "Policy-1111" }],
        ["licensing.owner", () => sdBase, { ...SERVICES_DIRECTOR, "licensing.owner": "another-team" }],
        ["licensing.email", () => sdBase, { ...SERVICES_DIRECTOR, "licensing.email": "noc@example.com" }],
        ["licensing.message", () => sdBase, { ...SERVICES_DIRECTOR, "licensing.message": "prod cluster eu-2" }],
        ["servicesDirectorOwnerSecret", () => sdBase, { ...SERVICES_DIRECTOR, servicesDirectorOwnerSecret: "an0ther-Owner-Secret" }],
        ["licensing.licenseSecret", () => keyBase, { ...LICENSE_FROM_SECRET, "licensing.licenseSecret": "vtm-license-2027" }],
        ["licensing.licenseSecretKey", () => keyBase, { ...LICENSE_FROM_SECRET, "licensing.licenseSecretKey": "license" }],
        ["licensing.mode (licenseKey to servicesDirector)", () => keyBase, SERVICES_DIRECTOR],
        ["licensing.mode (servicesDirector to community)", () => sdBase, {}],
    ];
    for (const [field, base, changed] of rolls) {
        it(`${field}: read only at start, changes the pod template, so the pods roll`, async () => {
            const after = await update(changed);
            assert.notStrictEqual(template(after), template(base()));
        });
    }

    it("licenseKey: a new licence is a new auto-named Secret, whose name the pod template carries", async () => {
        const first = await update(LICENSE_FROM_CONFIG);
        const second = await update({ ...LICENSE_FROM_CONFIG, licenseKey: LICENCE.replace("4711", "4712") });
        const secretName = (r: RenderResult) => findByPrefix(r.objects, "Secret", "vtm-license").metadata.name;
        assert.notStrictEqual(secretName(first), secretName(second));
        assert.strictEqual(volume(second, "license").secret.secretName, secretName(second));
        assert.notStrictEqual(template(first), template(second));
    });

    it("servicesDirectorOwnerSecret: a new secret is a new auto-named Secret, which both the variable and the file come from", async () => {
        const after = await update({ ...SERVICES_DIRECTOR, servicesDirectorOwnerSecret: "an0ther-Owner-Secret" });
        const name = findByPrefix(after.objects, "Secret", "vtm-services-director").metadata.name;
        assert.notStrictEqual(name, findByPrefix(sdBase.objects, "Secret", "vtm-services-director").metadata.name);
        assert.strictEqual(env(vtm(after), "ZEUS_REGISTER_SECRET").valueFrom.secretKeyRef.name, name);
        assert.ok(dataSources(after).some((s) => s.secret?.name === name));
    });

    // Only in the self-registration document, which the importer re-reads: applied live.
    for (const [field, value] of [["licensing.commChannelPort", "8103"], ["licensing.commChannelEnabled", "false"]]) {
        it(`${field}: only the watched document changes, in place; the Deployment is byte-identical, so no pod restarts`, async () => {
            const after = await update({ ...SERVICES_DIRECTOR, [field]: value });
            assert.notStrictEqual(selfRegistration(after), selfRegistration(sdBase));
            assert.strictEqual(JSON.stringify(deployment(after)), JSON.stringify(deployment(sdBase)));
            const cm = after.recorder.resources.find((r) => r.type === "kubernetes:core/v1:ConfigMap" && r.name === "vtm-config")!;
            assert.strictEqual(cm.inputs.metadata.name, "vtm-config", "the ConfigMap keeps its name, so the change is an update of the same object");
        });
    }

    it("the registration server also reaches the watched document, so running pods see it before they are replaced", async () => {
        const after = await update({ ...SERVICES_DIRECTOR, "licensing.registrationServer": "sd2.example.com:8100" });
        assert.ok(selfRegistration(after).includes("registration_server: sd2.example.com:8100"));
    });
});

describe("licensing: the documented examples", () => {
    /** The `pulumi config set` lines of one example in docs/configuration.md's Licensing block, as render settings. */
    function docExample(heading: string): Record<string, string> {
        const doc = fs.readFileSync(path.join(PROJECT_DIR, "docs", "configuration.md"), "utf8");
        const block = /## Licensing[\s\S]*?```bash\n([\s\S]*?)```/.exec(doc)![1];
        const example = block.split("\n\n").find((part) => part.startsWith(`# ${heading}`));
        assert.ok(example, `no example '# ${heading}' in the Licensing block`);
        const set: Record<string, string> = {};
        // Written for the local backend (`npm run pulumi -- config set …`): the same as `pulumi config set …`.
        const lines = example.split("\n").map((l) => l.replace(/^npm run pulumi -- /, "pulumi "));
        for (const line of lines.filter((l) => l.startsWith("pulumi config set "))) {
            // Shell words, single quotes kept together; a trailing comment dropped.
            const words = (line.replace(/\s+#.*$/, "").match(/'[^']*'|\S+/g) ?? []).map((w) => w.replace(/^'(.*)'$/, "$1")).slice(3);
            const flags = words.filter((w) => w.startsWith("--"));
            const [key, value, file] = words.filter((w) => !w.startsWith("--") && w !== "<");
            // A file piped in (`< license.lic`) stands for the licence; the owner secret placeholder for one.
            set[key] = line.includes(" < ") ? LICENCE : value === "<owner secret>" ? OWNER_SECRET : value;
            assert.ok(flags.every((f) => f === "--path" || f === "--secret"), line);
            assert.strictEqual(file, undefined, line);
            assert.strictEqual(flags.includes("--secret"), key === "licenseKey" || key === "servicesDirectorOwnerSecret", `${key} must be set ${flags.includes("--secret") ? "without" : "with"} --secret`);
        }
        return set;
    }

    it("licenseKey from your Secret renders with the licence volume from that Secret", async () => {
        const r = await update(docExample("licenseKey, from a Secret you manage"));
        assert.strictEqual(volume(r, "license").secret.secretName, "vtm-license");
    });

    it("licenseKey from the secret value renders with the Secret the program makes", async () => {
        const r = await update(docExample("licenseKey, from the licence file"));
        assert.deepStrictEqual(findByPrefix(r.objects, "Secret", "vtm-license").stringData, { license: LICENCE });
    });

    it("servicesDirector renders the registration variables and document", async () => {
        const r = await update(docExample("servicesDirector"));
        assert.strictEqual(env(vtm(r), "ZEUS_REGISTER_HOST").value, "sd.example.com:8100");
        assert.ok(envNames(r).includes("ZEUS_REGISTER_SECRET"));
        assert.ok("20-self-registration.yaml" in watchedDocuments(r.objects));
    });

    it("community renders the community edition", async () => {
        const r = await update(docExample("community"));
        assert.strictEqual(env(vtm(r), "ZEUS_COMMUNITY_EDITION").value, "yes");
    });

    it("Pulumi.prod.yaml's commented Services Director example, uncommented, renders in the production stack", async () => {
        const prod = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.prod.yaml"), "utf8");
        const start = prod.indexOf("  # vtm-kubernetes:licensing:");
        assert.ok(start >= 0, "Pulumi.prod.yaml has no commented licensing example");
        const lines = prod.slice(start).split("\n");
        const example = lines.slice(0, lines.findIndex((l, i) => i > 0 && !l.startsWith("  #   "))).map((l) => l.replace("  # ", "  "));
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtm-licensing-prod-"));
        fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), prod.replace(lines.slice(0, example.length).join("\n"), example.join("\n")));
        const r = await render({
            stack: "prod",
            projectDir: dir,
            set: { registryPassword: "s3cret-Registry-Token", servicesDirectorOwnerSecret: OWNER_SECRET, imageDigest: `sha256:${"d".repeat(64)}` },
            includeSecrets: true,
            cluster: fakeCluster(),
            mock: { simulateCluster: true },
        });
        const remote = watchedDocuments(r.objects)["20-self-registration.yaml"].global_settings.properties.remote_licensing;
        assert.strictEqual(remote.registration_server, "sd.example.com:8100");
        assert.strictEqual(remote.comm_channel_port, 8102);
        assert.strictEqual(env(vtm(r), "ZEUS_REGISTER_OWNER").value, "platform-team");
        for (const o of r.objects) validateSchema(o);
    });
});
