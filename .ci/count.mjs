// Sum the test reports of every pass and the CI steps into one closing line. A report is either vitest's
// JSON (Node passes) or a runtime smoke suite's own counts ({ runtime, passed, failed }: Bun, Deno).
// Usage: node .ci/count.mjs STEPS_PASSED STEPS_FAILED "FAILED STEP NAMES" REPORT.json...
import { existsSync, readFileSync } from 'node:fs';

const [stepsPassed, stepsFailed, failedSteps, ...reports] = process.argv.slice(2);
let passed = 0;
let failed = 0;
for (const file of reports) {
  if (!existsSync(file)) {
    console.log(`no test report at ${file}: counted as one failure`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof report.numPassedTests === 'number') {
    passed += report.numPassedTests;
    failed +=
      report.numFailedTests +
      (report.numTotalTestSuites > 0 && report.success === false && report.numFailedTests === 0 ? 1 : 0);
    console.log(
      `${file}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped`,
    );
  } else {
    passed += report.passed;
    failed += report.failed;
    console.log(`${file} (${report.runtime}): ${report.passed} passed, ${report.failed} failed`);
  }
}
const checkFailures = Number(stepsFailed);
if (checkFailures > 0) console.log(`failed steps: ${failedSteps}`);
console.log(`checks: ${stepsPassed} passed, ${stepsFailed} failed`);
passed += Number(stepsPassed);
failed += checkFailures;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
