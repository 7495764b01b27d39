// Prints "N passed, N failed" from vitest's JSON report (test-results/vitest.json).
// --require-project NAME: also fail when no test of that vitest project passed (e.g. Chromium missing).
import { readFileSync } from "node:fs";

const required = process.argv.includes("--require-project") ? process.argv[process.argv.indexOf("--require-project") + 1] : undefined;
let report;
try {
  report = JSON.parse(readFileSync("test-results/vitest.json", "utf8"));
} catch {
  console.log("no test report: the build or the type-check failed before the tests ran");
  console.log("0 passed, 1 failed");
  process.exit(1);
}

let passed = 0;
let failed = 0;
let requiredPassed = 0;
for (const file of report.testResults ?? []) {
  const inRequired = required && file.name.includes(`/test/${required}/`);
  for (const test of file.assertionResults ?? []) {
    if (test.status === "passed") passed++;
    else if (test.status === "failed") failed++;
    if (inRequired && test.status === "passed") requiredPassed++;
  }
  // A file that failed to load has no assertion results but did fail.
  if ((file.assertionResults ?? []).length === 0 && file.status === "failed") failed++;
}
if (required && requiredPassed === 0) {
  console.log(`no ${required} test passed: the end-to-end tests did not run`);
  failed++;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
