/**
 * Ends every run with the plain line CI reads, exactly `N passed, N failed`; skipped tests (a
 * service that is not running) are counted on the line before it.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const lines = [...(skipped ? [`${skipped} skipped`] : []), `${results.numPassedTests} passed, ${failed} failed`];
    process.stdout.write(`\n${lines.join('\n')}\n`);
  }
}

module.exports = SummaryReporter;
