// The type-check of `npm test`, as `tsc -p tsconfig.json` makes it, run as a test: in a mocha worker it
// runs beside the other test files instead of before them all (the tests themselves are transpiled
// only, by sucrase). The same compiler, configuration and files, so the same diagnostics.
import * as assert from "assert";
import * as path from "path";
import * as ts from "typescript";
import { PROJECT_DIR } from "../scripts/render";

describe("type-check (tsc -p tsconfig.json)", function () {
    this.timeout(300_000);

    it("every file of tsconfig.json compiles without a diagnostic", () => {
        const host: ts.ParseConfigFileHost = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, "\n")) };
        const config = ts.getParsedCommandLineOfConfigFile(path.join(PROJECT_DIR, "tsconfig.json"), undefined, host)!;
        assert.deepStrictEqual(config.errors, []);
        const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, projectReferences: config.projectReferences });
        const shown = ts.getPreEmitDiagnostics(program).map((d) => ts.formatDiagnostic(d, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => PROJECT_DIR, getNewLine: () => "\n" }).trim());
        assert.deepStrictEqual(shown, []);
        assert.ok(config.fileNames.some((f) => f.endsWith("tests/typecheck.test.ts")), "the tests are type-checked too");
    });
});
