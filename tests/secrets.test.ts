// The admin password: generated or configured, kept only in the Kubernetes Secret and the secret
// stack output, fed to ZEUS_PASS, and a change of it rolls the traffic manager pods.
import * as assert from "assert";
import { GENERATED_PASSWORD } from "../settings/defaults";
import { RenderResult } from "../scripts/render";
import { KubeObject, container, env, find, findByPrefix, leaks, renderDev } from "./helpers";

const PASSWORD_SET = "S3cure-Pa55word-for-tests";

function adminSecret(result: RenderResult): KubeObject {
    return findByPrefix(result.objects, "Secret", "vtm-admin-login-credentials");
}

describe("admin password", () => {
    describe("generated (no adminPassword set)", () => {
        let result: RenderResult;
        let password: string;
        before(async () => {
            result = await renderDev();
            password = adminSecret(result).stringData["vtm-admin-password"];
        });

        it("is a random password of the documented length and alphabet", () => {
            const generator = result.recorder.resources.find((r) => r.type === "random:index/randomPassword:RandomPassword")!;
            assert.strictEqual(generator.inputs.length, GENERATED_PASSWORD.length);
            assert.strictEqual(generator.inputs.special, false);
            assert.match(password, new RegExp(`^[A-Za-z0-9]{${GENERATED_PASSWORD.length}}$`));
        });

        it("is kept in a Kubernetes Secret that feeds ZEUS_PASS", () => {
            const secret = adminSecret(result);
            assert.strictEqual(secret.type, "Opaque");
            const ref = env(container(find(result.objects, "Deployment", "vtm")), "ZEUS_PASS");
            assert.strictEqual(ref.value, undefined);
            assert.deepStrictEqual(ref.valueFrom.secretKeyRef, { name: secret.metadata.name, key: "vtm-admin-password" });
        });

        it("is exported as a secret output and nowhere else in plain text", () => {
            assert.strictEqual(result.outputs.adminPassword.value, password);
            assert.strictEqual(result.outputs.adminPassword.secret, true);
            assert.deepStrictEqual(leaks(result, password), []);
        });

        it("reaches the Secret as a Pulumi secret (encrypted in state)", async () => {
            const resource = result.recorder.resources.find((r) => r.type === "kubernetes:core/v1:Secret")!;
            // The SDK's secret wrapper around the Secret's data, as the engine receives it.
            assert.strictEqual(resource.state.stringData["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270");
            assert.strictEqual(resource.state.stringData.value["vtm-admin-password"], password);
        });
    });

    describe("configured (adminPassword set as a secret)", () => {
        let result: RenderResult;
        before(async () => {
            result = await renderDev({ adminPassword: PASSWORD_SET });
        });

        it("is the configured one and no password is generated", () => {
            assert.strictEqual(adminSecret(result).stringData["vtm-admin-password"], PASSWORD_SET);
            assert.strictEqual(result.recorder.resources.filter((r) => r.type.startsWith("random:")).length, 0);
        });

        it("never appears outside the Secret and the secret output", () => {
            assert.strictEqual(result.outputs.adminPassword.secret, true);
            assert.deepStrictEqual(leaks(result, PASSWORD_SET), []);
        });
    });

    describe("changing it", () => {
        it("rolls the pods: the Secret is auto-named, so a new password is a new Secret the pod template names", async () => {
            const before = await renderDev({ adminPassword: "first-Password-123" });
            const after = await renderDev({ adminPassword: "second-Password-456" });
            const secretInputs = before.recorder.resources.find((r) => r.type === "kubernetes:core/v1:Secret")!.inputs;
            assert.strictEqual(secretInputs.metadata.name, undefined, "the Secret must not carry a fixed name");
            const template = (r: RenderResult) => find(r.objects, "Deployment", "vtm").spec.template;
            assert.notDeepStrictEqual(template(before), template(after));
            assert.strictEqual(
                env(container(find(after.objects, "Deployment", "vtm")), "ZEUS_PASS").valueFrom.secretKeyRef.name,
                adminSecret(after).metadata.name,
            );
        });

        it("puts no annotation on the pod template, so nothing derived from the password is written", async () => {
            const r = await renderDev({ adminPassword: PASSWORD_SET });
            assert.strictEqual(find(r.objects, "Deployment", "vtm").spec.template.metadata.annotations, undefined);
        });

        it("keeps the Secret replaced, not updated in place (the provider is not told to mutate Secrets)", async () => {
            const r = await renderDev();
            const provider = r.recorder.resources.find((x) => x.type === "pulumi:providers:kubernetes")!;
            assert.strictEqual(provider.inputs.enableSecretMutable, undefined);
        });
    });
});
