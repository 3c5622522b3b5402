#!/usr/bin/env bash
# Runs the reliability suite alone: authorization matrix, hostile input,
# faults (throttling, STS, the emulator down, the backend killed mid-deploy),
# two replicas on PostgreSQL and Redis,
# concurrency and confused-deputy scenarios, then prints its summary table.
# ./scripts/test.sh runs the same tests among all the others.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/env.sh" || exit 1
. "$here/lib.sh"
cd "$repo_root"
install_js_deps || exit 1
dev/sagemaker-local/setup.sh || exit 1
out="$repo_root/.data/test-results"
mkdir -p "$out"
rm -f "$out/reliability.jsonl"

CI=true BACKSTAGE_TEST_DISABLE_DOCKER=1 yarn test plugins/sagemaker-backend/src/reliability \
  plugins/sagemaker-backend/src/readiness/readiness.emulator.test.ts
jest_rc=$?
yarn test:crash
crash_rc=$?
yarn test:replicas
replicas_rc=$?
node "$here/reliability-table.js" "$out/reliability.jsonl"
table_rc=$?
[ "$jest_rc" -eq 0 ] && [ "$crash_rc" -eq 0 ] && [ "$replicas_rc" -eq 0 ] && [ "$table_rc" -eq 0 ]
