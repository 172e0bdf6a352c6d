// The component package's provider: the Node.js SDK's component host (schema inferred from VtmStack and
// its Args), with a construct that first resolves the arguments and reads the cluster, so that VtmStack is
// checked as a whole before it registers anything. plugin.js starts it when a program uses the package.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import * as provider from "@pulumi/pulumi/provider";
import { VTM_STACK_OUTPUTS, VTM_STACK_TYPE, VtmStack, prepareVtmStack } from "./vtmStack";
import { PACKAGE_NAME } from "./types";
import { VtmStackArgs } from "./vtmStackArgs";

/** The package's root: package.json (its version and description) and tsconfig.json, which the schema inference reads. */
const PACKAGE_DIR = path.resolve(__dirname, "..");

export class VtmProvider extends ComponentProvider {
    constructor() {
        super({ name: PACKAGE_NAME, dirname: PACKAGE_DIR, components: [VtmStack] });
    }

    /** Like the SDK's construct, with the arguments prepared first and the outputs known without analysing the sources again. */
    async construct(name: string, type: string, inputs: pulumi.Inputs, options: pulumi.ComponentResourceOptions): Promise<provider.ConstructResult> {
        if (type !== VTM_STACK_TYPE) throw new Error(`unknown resource type ${type}`);
        const args = inputs as VtmStackArgs;
        await prepareVtmStack(name, args, (message) => void pulumi.log.warn(message));
        const stack = new VtmStack(name, args, options);
        return { urn: stack.urn, state: Object.fromEntries(VTM_STACK_OUTPUTS.map((key) => [key, stack[key]])) };
    }
}

/** Serves the provider to the engine (the arguments after the program's name are the engine's address). */
export function serve(): Promise<void> {
    return provider.main(new VtmProvider(), process.argv.slice(2));
}
