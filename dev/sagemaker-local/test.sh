#!/usr/bin/env bash
# Runs the emulator's own tests (each test session starts its own server.py on
# free ports, so nothing needs to be running).
#   dev/sagemaker-local/test.sh [JUNIT_XML_PATH]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/setup.sh"
args=()
if [ $# -ge 1 ]; then
  args+=("--junitxml=$1")
fi
cd "$here"
exec "$here/.venv/bin/python" -m pytest "${args[@]}"
