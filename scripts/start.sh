#!/usr/bin/env bash
# Starts the demo on its embedded defaults: the local SageMaker emulator
# (seeded with a registry, a staging and a production account), SQLite, the
# demo catalog and guest sign-in. Open http://localhost:3000 and press ENTER.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/env.sh"
. "$here/lib.sh"
cd "$repo_root"
mkdir -p .data

emulator_port="${SAGEMAKER_LOCAL_PORT:-4566}"
require_free_port 3000 "frontend"
require_free_port 7007 "backend"
require_free_port "$emulator_port" "SageMaker emulator; set SAGEMAKER_LOCAL_PORT to use another"

echo "==> installing dependencies (quick when already installed)"
install_js_deps
dev/sagemaker-local/setup.sh

echo "==> starting the SageMaker emulator on 127.0.0.1:$emulator_port (log: .data/sagemaker-local.log)"
dev/sagemaker-local/.venv/bin/python dev/sagemaker-local/server.py --port "$emulator_port" \
  >.data/sagemaker-local.log 2>&1 &
emulator_pid=$!
# The emulator keeps its state in memory, so each start is a fresh demo: the
# plugin's history and the catalog start fresh too, in a throwaway SQLite
# directory (set BACKSTAGE_SQLITE_DIR to keep one).
if [ -z "${BACKSTAGE_SQLITE_DIR:-}" ]; then
  BACKSTAGE_SQLITE_DIR="$(mktemp -d -t sagemaker-demo-sqlite-XXXXXX)"
  fresh_sqlite="$BACKSTAGE_SQLITE_DIR"
fi
export BACKSTAGE_SQLITE_DIR
# A fresh history is signed with a key made for this run, so the demo shows
# the keyed chain and no key sits in the repository; it goes with the data.
if [ -n "${fresh_sqlite:-}" ] && [ -z "${APP_CONFIG_sagemaker_history_signingKeys:-}" ]; then
  keys_file="$fresh_sqlite/history-signing-keys.json"
  node -e 'const { randomBytes } = require("node:crypto");
    process.stdout.write(JSON.stringify([{ id: `demo-${Date.now()}`, secret: randomBytes(32).toString("base64") }]));' >"$keys_file"
  APP_CONFIG_sagemaker_history_signingKeys="$(cat "$keys_file")"
  export APP_CONFIG_sagemaker_history_signingKeys
  echo "==> the history is signed with a key made for this run: yarn sagemaker:verify-export FILE --keys-file $keys_file"
fi
trap 'kill "$emulator_pid" 2>/dev/null || true; [ -n "${fresh_sqlite:-}" ] && rm -rf "$fresh_sqlite"' EXIT INT TERM
wait_for_url "http://127.0.0.1:$emulator_port/moto-api/data.json" "the SageMaker emulator" 30 || {
  tail -20 .data/sagemaker-local.log >&2
  exit 1
}

export AWS_ENDPOINT_URL="http://127.0.0.1:$emulator_port"
export AWS_REGION=us-east-1
# Dummy keys for the emulator; real credentials from the shell never leave it.
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
unset AWS_SESSION_TOKEN AWS_PROFILE

echo "==> seeding the registry (111111111111), staging (222222222222) and production (333333333333) accounts"
dev/sagemaker-local/.venv/bin/python dev/sagemaker-local/seed.py --endpoint "$AWS_ENDPOINT_URL"

# The events backend's SQS module reads the SageMaker events queue with the
# backend's own credentials (the default chain), and the emulator puts a
# request in the account its keys belong to (static keys: 123456789012). The
# backend's own identity is therefore a user in the registry account, which
# owns the queue; it still enters every account through AssumeRole.
echo "==> keys of the backend's own identity in the registry account (it reads the SageMaker events queue)"
eval "$(dev/sagemaker-local/.venv/bin/python scripts/demo-backend-keys.py "$AWS_ENDPOINT_URL")"

echo "==> starting Backstage: http://localhost:3000 (backend http://localhost:7007)"
yarn start
