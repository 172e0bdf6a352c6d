// How messages tell the user to change a setting. A stack's user runs the README's `npm run pulumi -- …`
// (the deploy wrapper with its local backend), never a bare `pulumi`, so that a command copied from a
// message works as is; a program using the VtmStack component sets the argument instead.
import { AsyncLocalStorage } from "async_hooks";

/** The Pulumi CLI as the README runs it. */
export const PULUMI = "npm run pulumi --";

type Hint = (args: string) => string;

const stackCommand: Hint = (args) => `${PULUMI} config ${args}`;

/** `set [--secret] [--path] <key> [value]` or `rm [--path] <key>`, said of a component's argument. */
const argumentHint: Hint = (args) => {
    const words: string[] = args.match(/'[^']*'|<[^>]*>|\S+/g) ?? [];
    const verb = words.shift();
    const secret = words.includes("--secret");
    const [key = "", ...value] = words.filter((w) => !w.startsWith("--")).map((w) => w.replace(/^'(.*)'$/, "$1"));
    if (verb === "rm") return `remove the argument ${key}`;
    if (secret) return `pass the argument ${key} as a secret (YAML: fn::secret, Python: pulumi.Output.secret)`;
    return `set the argument ${key} to ${value.join(" ")}`;
};

// Which one applies follows the call: the checks deep down (settings, cluster prerequisites, warnings)
// stay the same for both, and two components prepared at once in one provider keep their own.
const hints = new AsyncLocalStorage<Hint>();

/** `npm run pulumi -- config <args>`, or the same change said of a component's argument inside `asArguments`. */
export function configCommand(args: string): string {
    return (hints.getStore() ?? stackCommand)(args);
}

/** Runs `work` (and what it awaits) with messages that name a component's arguments instead of stack configuration commands. */
export function asArguments<T>(work: () => T): T {
    return hints.run(argumentHint, work);
}
