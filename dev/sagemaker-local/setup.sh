#!/usr/bin/env bash
# Creates dev/sagemaker-local/.venv with the pinned emulator dependencies.
# Idempotent: a stamp file holds a hash of the requirement files and the
# interpreter version, so a re-run with nothing changed returns in about a second.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
stamp="$venv/.setup-stamp"
python="${PYTHON:-python3}"

if ! command -v "$python" >/dev/null 2>&1; then
  echo "error: $python not found; install it with: apt-get install -y python3 python3-venv" >&2
  exit 1
fi
if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' 2>/dev/null; then
  echo "error: $python is $("$python" -V 2>&1), 3.9 or newer is needed; install it with: apt-get install -y python3 python3-venv" >&2
  exit 1
fi
if ! "$python" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  echo "error: the Python venv module is missing; install it with: apt-get install -y python3-venv" >&2
  exit 1
fi

want="$(cat "$here/requirements.txt" "$here/requirements-dev.txt" "$here/constraints.txt" 2>/dev/null; "$python" -VV)"
want_hash="$(printf '%s' "$want" | sha256sum | cut -d' ' -f1)"

if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want_hash" ]; then
  exit 0
fi

echo "sagemaker-local: preparing $venv" >&2
# Recreate the venv when it is broken or was made by another interpreter.
if [ ! -x "$venv/bin/python" ] || [ "$("$venv/bin/python" -VV 2>/dev/null)" != "$("$python" -VV)" ]; then
  rm -rf "$venv"
  echo "sagemaker-local: creating the virtualenv" >&2
  "$python" -m venv "$venv"
fi
constraints=()
[ -f "$here/constraints.txt" ] && constraints=(-c "$here/constraints.txt")
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  -r "$here/requirements-dev.txt" "${constraints[@]}"
printf '%s\n' "$want_hash" > "$stamp"
echo "sagemaker-local: ready ($("$venv/bin/python" -c 'import moto; print("moto", moto.__version__)'))" >&2
