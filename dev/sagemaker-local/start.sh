#!/usr/bin/env bash
# Prepares the virtualenv if needed, then runs the emulator in the foreground.
# Arguments go to server.py (--host, --port).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/setup.sh"
exec "$here/.venv/bin/python" "$here/server.py" "$@"
