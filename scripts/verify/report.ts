// verify's output: a table for people (one line per check, the evidence under a failure) and JSON
// for CI pipelines; both carry the same results, and the exit code follows them.
import type { Verification } from "./index";
import { CheckResult, Status, VerifyResult } from "./types";

/** Exit codes: every check holds; a check failed (or --wait ran out); verify could not run at all. */
export const EXIT = { ok: 0, failed: 1, error: 2 } as const;

export function exitCode(result: VerifyResult): number {
    return result.ok ? EXIT.ok : EXIT.failed;
}

const LABEL: Record<Status, string> = { pass: "ok", fail: "FAIL", skip: "skip" };

function count(checks: readonly CheckResult[], status: Status): number {
    return checks.filter((c) => c.status === status).length;
}

/** The closing line; it avoids the bare "N passed, N failed" form that CI reads as a test runner's. */
export function verdict(result: VerifyResult): string {
    const { checks } = result;
    const passed = count(checks, "pass");
    const tally = `${passed} check${passed === 1 ? "" : "s"} passed, ${count(checks, "fail")} failed, ${count(checks, "skip")} skipped`;
    if (result.ok) return `The stack works: ${tally}.`;
    const waited = result.timedOut ? ` (gave up waiting after ${result.elapsedSeconds} s, ${result.attempts} attempts)` : "";
    return `The stack does not work yet: ${tally}${waited}.`;
}

export function textReport(result: Verification): string {
    const head = [
        `Stack ${result.stack}: ${result.name} in namespace ${result.namespace} (${result.exposure}), cluster ${result.cluster}`,
        `Service endpoints from ${result.endpointSource}`,
        "",
    ];
    const rows = result.checks.map((c) => [c.check, c.subject, LABEL[c.status], c.summary]);
    const widths = [0, 1, 2].map((i) => Math.max(["CHECK", "SUBJECT", "RESULT"][i].length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell)).join("  ").trimEnd();
    const body: string[] = [line(["CHECK", "SUBJECT", "RESULT", "WHAT WAS SEEN"])];
    result.checks.forEach((c, i) => {
        body.push(line(rows[i]));
        for (const d of c.details) body.push(`${" ".repeat(widths[0] + 2)}- ${d}`);
    });
    return [...head, ...body, "", verdict(result)].join("\n") + "\n";
}

export function jsonReport(result: Verification): string {
    return JSON.stringify({ ...result, exitCode: exitCode(result) }, null, 2) + "\n";
}
