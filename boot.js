// What every Node.js process of `pulumi up` loads before the program (Pulumi.yaml: runtime.options.nodeargs
// --require ./boot.js; main: index.ts, with typescript false): a hook that transpiles each .ts file as it
// loads, with sucrase, as `npm run render` does. The language host's own TypeScript support would load
// ts-node and the TypeScript compiler first, about 1.8 s at every start (twice per `pulumi up`: preview,
// then update); sucrase needs no build step, so an edited .ts file is what the next `pulumi up` runs.
// Types are checked by `npm test` (tsc).
//
// Both caches below live with the installed packages (node_modules/.cache) and are keyed by contents, so
// an edit is never served stale. Loaded this early, they also cover the SDK that the language host's
// harness loads before the program: together they cut the program's start from about 1.2 s to 0.5 s,
// at each of the two runs of every `pulumi up` (docs/development.md, Deploy speed).
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const CACHE = path.join(__dirname, "node_modules", ".cache", "vtm-kubernetes");

// Node's compile cache: the V8 code of every module loaded from here on (the SDK, the Kubernetes client, ours).
require("module").enableCompileCache?.(path.join(CACHE, "node-compile-cache"));

// sucrase's own register hook (sucrase/register/ts), with each file's output kept by its contents.
const sucrase = require("sucrase");
const SUCRASE = `sucrase ${require("sucrase/package.json").version} imports,typescript`;

function transform(code, file) {
    const key = crypto.createHash("sha256").update(`${SUCRASE}\0${file}\0${code}`).digest("hex");
    const cached = path.join(CACHE, "sucrase", `${key}.js`);
    try {
        return fs.readFileSync(cached, "utf8");
    } catch {
        // not cached yet
    }
    const out = sucrase.transform(code, { transforms: ["imports", "typescript"], sourceMapOptions: { compiledFilename: file }, filePath: file });
    const map = Buffer.from(JSON.stringify(out.sourceMap)).toString("base64");
    const js = `${out.code}\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${map}`;
    try {
        fs.mkdirSync(path.dirname(cached), { recursive: true });
        const partial = `${cached}.${process.pid}`;
        fs.writeFileSync(partial, js);
        fs.renameSync(partial, cached); // whole or not at all, for a process reading it at the same time
    } catch {
        // a read-only install: no cache, the same output
    }
    return js;
}

require("pirates").addHook(transform, { exts: [".ts"] });
