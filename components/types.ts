// The components' type tokens. The component package serves one module, index, under the package's
// name (`vtm:index:<Class>`); before the package the components were `vtm:<module>:<Class>`. The former
// token is an alias, so that a stack deployed then keeps every URN: no object is replaced or deleted
// (tests/e2e/package.e2e.test.ts upgrades such a stack).

/** The component package's name: the tokens' first part (package.json's name is the project's, vtm-kubernetes). */
export const PACKAGE_NAME = "vtm";

/** `vtm:index:<Class>`. */
export function typeToken(className: string): string {
    return `${PACKAGE_NAME}:index:${className}`;
}

/** The options with the component's former type as an alias, besides any the caller gave. */
export function withFormerType<T extends { aliases?: unknown[] }>(formerType: string, opts: T | undefined): T {
    return { ...(opts ?? ({} as T)), aliases: [...(opts?.aliases ?? []), { type: formerType }] };
}
