#!/usr/bin/env node
// Reads JUnit XML (pytest) and Jest JSON result files and prints one plain
// line "N passed, N failed" for CI. Exits 1 when anything failed, or when a
// result file is missing (a runner that crashed ran no test).
const fs = require('node:fs');

let passed = 0;
let failed = 0;
let missing = false;

const args = process.argv.slice(2);
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--check') {
    // "--check name=exitCode": a whole-repo check (tsc, lint) counts as one test.
    const [name, rc] = args[++i].split('=');
    if (rc === '0') {
      passed += 1;
    } else {
      console.error(`check failed: ${name}`);
      failed += 1;
    }
  } else {
    files.push(args[i]);
  }
}

for (const file of files) {
  if (!fs.existsSync(file)) {
    console.error(`missing test results: ${file}`);
    missing = true;
    continue;
  }
  const text = fs.readFileSync(file, 'utf8');
  if (file.endsWith('.json')) {
    const results = JSON.parse(text);
    passed += results.numPassedTests;
    failed += results.numFailedTests;
    // A suite that fails to load counts as a failure even with no test run.
    failed += results.testResults.filter(
      r => r.status === 'failed' && r.assertionResults.length === 0,
    ).length;
  } else {
    // JUnit XML (pytest, node's test runner): count the test cases, and the
    // ones holding a failure or an error, whatever the suite attributes say.
    const cases = text.match(/<testcase\b[\s\S]*?(?:\/>|<\/testcase>)/g) ?? [];
    for (const testCase of cases) {
      if (/<(failure|error)\b/.test(testCase)) {
        failed += 1;
      } else if (!/<skipped\b/.test(testCase)) {
        passed += 1;
      }
    }
    if (cases.length === 0) {
      console.error(`no test ran: ${file}`);
      failed += 1;
    }
  }
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || missing ? 1 : 0);
