// Sum the vitest JSON reports of both Node passes and the CI steps into one closing line.
import { existsSync, readFileSync } from 'node:fs';

const [node20, node24, stepsPassed, stepsFailed, failedSteps] = process.argv.slice(2);
let passed = 0;
let failed = 0;
for (const file of [node20, node24]) {
  if (!existsSync(file)) {
    console.log(`no test report at ${file}: counted as one failure`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed +=
    report.numFailedTests +
    (report.numTotalTestSuites > 0 && report.success === false && report.numFailedTests === 0 ? 1 : 0);
  console.log(
    `${file}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped`,
  );
}
const checkFailures = Number(stepsFailed);
if (checkFailures > 0) console.log(`failed steps: ${failedSteps}`);
console.log(`checks: ${stepsPassed} passed, ${stepsFailed} failed`);
passed += Number(stepsPassed);
failed += checkFailures;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
