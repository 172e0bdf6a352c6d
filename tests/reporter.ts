// mocha's spec reporter, closed by a plain "N passed, N failed" line that any CI can read.
import * as Mocha from "mocha";

class SpecWithTotals extends Mocha.reporters.Spec {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
        super(runner, options);
        runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
            const stats = runner.stats!;
            console.log(`${stats.passes} passed, ${stats.failures} failed${stats.pending > 0 ? `, ${stats.pending} skipped` : ""}`);
        });
    }
}

export = SpecWithTotals;
