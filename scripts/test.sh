#!/usr/bin/env bash
# Runs every test: the emulator extension's own tests (pytest, through boto3),
# all Jest suites (unit, store tests on SQLite and PostgreSQL, integration
# tests against the local emulator, the reliability scenarios), the crash test
# (the real backend killed mid-deploy), the replica scenarios (two backends on
# PostgreSQL and Redis), then the end-to-end suite in Chromium.
# Prints the reliability summary table, then ends with one line:
# "N passed, N failed".
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/env.sh" || exit 1
. "$here/lib.sh"
cd "$repo_root"
started_at=$(date +%s)
out="$repo_root/.data/test-results"
rm -rf "$out"
mkdir -p "$out"

summarized=""
pg_pid_file=""
cleanup() {
  [ -n "$pg_pid_file" ] && "$here/postgres.sh" stop >/dev/null 2>&1
  # A run that stopped before any test ran still ends with the count line.
  [ -n "$summarized" ] || echo "0 passed, 1 failed"
}
trap cleanup EXIT

echo "==> installing dependencies (quick when already installed)"
install_js_deps || exit 1
dev/sagemaker-local/setup.sh || exit 1

if [ -z "${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-}" ]; then
  if pg_url="$("$here/postgres.sh" start)"; then
    export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="$pg_url"
    pg_pid_file=started
    echo "==> PostgreSQL for store tests: $pg_url"
  else
    echo "error: PostgreSQL is needed for the store tests; install it (apt-get install -y postgresql) or set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING" >&2
    exit 1
  fi
fi

echo "==> type check and lint"
yarn tsc && tsc_rc=0 || tsc_rc=1
yarn lint:all >"$out/lint.log" 2>&1 && lint_rc=0 || { lint_rc=1; cat "$out/lint.log"; }

echo "==> emulator extension tests (pytest)"
dev/sagemaker-local/.venv/bin/python -m pytest -q dev/sagemaker-local/tests \
  --junitxml="$out/pytest.xml"
pytest_rc=$?

echo "==> Jest suites"
CI=true BACKSTAGE_TEST_DISABLE_DOCKER=1 yarn test --json --outputFile="$out/jest.json"
jest_rc=$?

# The replica scenarios (their own PostgreSQL and Redis, free ports) run
# alongside the crash test: both mostly wait for backends and endpoints, so
# together they take about as long as the longer one.
echo "==> crash test (the real backend killed mid-deploy, then restarted), and"
echo "    the replicas (two backends on one PostgreSQL and one Redis) alongside"
yarn test:replicas >"$out/replicas.log" 2>&1 &
replicas_pid=$!
yarn test:crash
crash_rc=$?
wait "$replicas_pid"
replicas_rc=$?
echo "==> replicas"
cat "$out/replicas.log"

echo "==> end-to-end suite (Playwright + Chromium against the demo stack)"
if command -v "${CHROMIUM_PATH:-/usr/bin/chromium}" >/dev/null 2>&1; then
  E2E_OUT="$repo_root/.data/e2e" yarn test:e2e
  e2e_rc=$?
  if [ "$e2e_rc" -ne 0 ]; then
    echo "==> e2e failure screenshots and app logs: $repo_root/.data/e2e (failures/ holds one PNG per failed scenario)"
    ls -1 "$repo_root/.data/e2e/failures" 2>/dev/null
  fi
else
  echo "error: Chromium is needed for the end-to-end suite; install it (apt-get install -y chromium) or set CHROMIUM_PATH" >&2
  e2e_rc=1
fi

node "$here/reliability-table.js" "$out/reliability.jsonl"
reliability_rc=$?

echo "==> test wall time: $(( $(date +%s) - started_at ))s"
node "$here/summarize-tests.js" --check "tsc=$tsc_rc" --check "lint=$lint_rc" \
  --check "reliability-table=$reliability_rc" \
  "$out/pytest.xml" "$out/jest.json" "$out/crash.xml" "$out/replicas.xml" \
  "$out/e2e.xml"
summary_rc=$?
summarized=yes
if [ "$pytest_rc" -ne 0 ] || [ "$jest_rc" -ne 0 ] || [ "$crash_rc" -ne 0 ] || [ "$replicas_rc" -ne 0 ] || [ "$e2e_rc" -ne 0 ] || [ "$summary_rc" -ne 0 ]; then
  exit 1
fi
