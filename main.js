// What `pulumi up` runs (Pulumi.yaml: main, with runtime.options.typescript false): the program in
// index.ts, transpiled file by file as it loads by sucrase, as `npm run render` is. The language host's
// own TypeScript support loads ts-node and the TypeScript compiler first, about 1.8 s at every start
// (twice per `pulumi up`: preview, then update); sucrase takes milliseconds and needs no build step, so
// an edited .ts file is what the next `pulumi up` runs. Types are checked by `npm test` (tsc).
require("sucrase/register/ts");
module.exports = require("./index.ts");
