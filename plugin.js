// The component package's entry (package.json main), which the Node.js language host runs when a Pulumi
// program in any language uses this repository as a package (PulumiPlugin.yaml; README, "Use from
// another language"). The host registers ts-node with type checking for every .ts file, seconds at each
// start; the sources are transpiled by boot.js's sucrase hook instead, as for `pulumi up` of the project,
// and type-checked by `npm test`. The schema comes from plugin.ts, which exports the component and its types.
"use strict";
const fs = require("fs");
const Module = require("module");

Module._extensions[".ts"] = (module, filename) => module._compile(fs.readFileSync(filename, "utf8"), filename);
require("./boot.js");

module.exports = () => require("./components/vtmProvider.ts").serve();
