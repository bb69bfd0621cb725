// Prints the plain summary line CI reads ("N passed, N failed, N skipped") from vitest's JSON report.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.tmp/vitest.json';
// vitest's own exit status, when the caller has it: an unhandled error fails the run while every
// test passed, and the JSON report does not say so.
const vitestStatus = process.argv[3] !== undefined ? Number(process.argv[3]) : 0;
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.log(`0 passed, 1 failed (no test report at ${file}: ${error.message})`);
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
// A failed test counts once; a file that failed before any of its tests ran (an import error, a
// failing hook) counts as one failure too. vitest's numFailedTestSuites also counts every describe
// block around a failed test, which counted one failure several times.
let failed = report.numFailedTests ?? 0;
for (const suite of report.testResults ?? []) {
  if (suite.status === 'failed' && !(suite.assertionResults ?? []).some((t) => t.status === 'failed')) {
    failed++;
    console.log(`suite failed to run: ${suite.name}: ${(suite.message ?? '').split('\n')[0]}`);
  }
}
if (failed === 0 && vitestStatus !== 0) {
  failed = 1;
  console.log(`vitest exited with status ${vitestStatus} with no failed test: an unhandled error or rejection (see "Unhandled Errors" above)`);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
