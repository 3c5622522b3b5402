#!/usr/bin/env bash
# A throwaway Redis for the multi-replica tests and the bench, on a free port.
#   redis.sh start  -> prints the connection URL (redis://127.0.0.1:<port>)
#   redis.sh stop
# Uses Debian's redis-server (apt-get install -y redis-server). Nothing is
# persisted: it is a cache, and a restart starts it empty.
set -euo pipefail
dir="${SAGEMAKER_TEST_REDIS_DIR:-/tmp/sagemaker-backstage-redis}"
if ! command -v redis-server >/dev/null 2>&1; then
  echo "error: redis-server not found; install it with: apt-get install -y redis-server" >&2
  exit 1
fi

running() {
  [ -f "$dir/port" ] && redis-cli -p "$(cat "$dir/port")" ping >/dev/null 2>&1
}

case "${1:-}" in
  start)
    if running; then
      echo "redis://127.0.0.1:$(cat "$dir/port")"
      exit 0
    fi
    # The port of an earlier run is reused, so that a restart keeps its URL.
    port="$(cat "$dir/port" 2>/dev/null || python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    mkdir -p "$dir"
    echo "$port" >"$dir/port"
    redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --save '' --appendonly no \
      --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
      || { cat "$dir/redis.log" >&2; exit 1; }
    for _ in $(seq 50); do
      running && { echo "redis://127.0.0.1:$port"; exit 0; }
      sleep 0.1
    done
    echo "error: redis-server did not answer on port $port; log in $dir/redis.log" >&2
    exit 1
    ;;
  stop)
    # Stops the server; `stop --keep-port` leaves the port for a later start.
    if [ -f "$dir/redis.pid" ]; then
      pid="$(cat "$dir/redis.pid")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    if [ "${2:-}" = "--keep-port" ]; then
      rm -f "$dir/redis.pid"
    else
      rm -rf "$dir"
    fi
    ;;
  *)
    echo "usage: $0 start | stop [--keep-port]" >&2
    exit 2
    ;;
esac
