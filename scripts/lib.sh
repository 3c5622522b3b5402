# Helpers shared by scripts/start.sh and scripts/test.sh. Source, don't run.

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Fails with one line naming the port when something already listens on it.
require_free_port() {
  local port="$1" what="$2"
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "error: port $port ($what) is already in use on 127.0.0.1; stop whatever holds it and try again" >&2
    return 1
  fi
}

# Waits until an HTTP URL answers, or fails naming it.
wait_for_url() {
  local url="$1" what="$2" seconds="${3:-60}" i
  for ((i = 0; i < seconds * 5; i++)); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then
      return 0
    fi
    sleep 0.2
  done
  echo "error: $what did not answer on $url within ${seconds}s" >&2
  return 1
}

# Installs the JS dependencies exactly as locked; quick when already done.
install_js_deps() {
  (cd "$repo_root" && yarn install --immutable >"$repo_root/.data/yarn-install.log" 2>&1) || {
    tail -30 "$repo_root/.data/yarn-install.log" >&2
    echo "error: yarn install failed; full log in .data/yarn-install.log" >&2
    return 1
  }
}
