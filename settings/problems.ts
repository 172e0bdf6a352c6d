// One error shape for everything the program refuses before it registers a resource: a heading and
// every problem on its own line. A RunError, so the Pulumi CLI prints it without a stack trace.
import * as pulumi from "@pulumi/pulumi";

export class ProblemsError extends pulumi.RunError {
    constructor(heading: string, readonly problems: readonly string[]) {
        super(`${heading}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    }
}
