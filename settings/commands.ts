// How messages name the commands a user runs: the README's `npm run pulumi -- …` (the deploy wrapper
// with its local backend), never a bare `pulumi`, so that a command copied from a message works as is.

/** The Pulumi CLI as the README runs it. */
export const PULUMI = "npm run pulumi --";

/** `npm run pulumi -- config <args>`. */
export function configCommand(args: string): string {
    return `${PULUMI} config ${args}`;
}
