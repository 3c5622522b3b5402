"""Local SageMaker emulator: moto's server with our extension patched in.

Run with the project virtualenv (see setup.sh):
    .venv/bin/python dev/sagemaker-local/server.py [--host 127.0.0.1] [--port 4566]
"""

from __future__ import annotations

import argparse
import errno
import os
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

DEFAULT_PORT = 4566
# How often endpoint transitions are settled without a read, so that their EventBridge
# events go out within this long of the transition.
SETTLE_INTERVAL_SECONDS = 0.2


def settle_forever(settle_all: Callable[[], None]) -> None:
    while True:
        time.sleep(SETTLE_INTERVAL_SECONDS)
        try:
            settle_all()
        except Exception:  # keep settling; the traceback says what broke
            traceback.print_exc()


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    env_port = os.environ.get("SAGEMAKER_LOCAL_PORT", str(DEFAULT_PORT))
    try:
        default_port = int(env_port)
    except ValueError:
        parser.error(f"SAGEMAKER_LOCAL_PORT must be a port number, got {env_port!r}")
    parser.add_argument(
        "--port",
        type=int,
        default=default_port,
        help=f"port (default $SAGEMAKER_LOCAL_PORT or {DEFAULT_PORT})",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if "MOTO_ACCOUNT_ID" in os.environ:
        # It pins every request to one account and defeats AssumeRole into the
        # staging and production accounts.
        print("warning: MOTO_ACCOUNT_ID is set; every request will land in that one account", file=sys.stderr)

    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    from sagemaker_local import extension
    from sagemaker_local.control import ControlRoutes

    extension.install()
    app = ControlRoutes(DomainDispatcherApplication(create_backend_app))
    # Bind the socket ourselves: werkzeug's make_server prints its own message
    # and exits when the port is taken; we want one line that names the port.
    sock = socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as werkzeug does
    try:
        sock.bind((args.host, args.port))
        sock.listen(128)
    except OSError as e:
        sock.close()
        if e.errno == errno.EADDRINUSE:
            print(
                f"error: port {args.port} is already in use on {args.host}; "
                "stop whatever holds it or set SAGEMAKER_LOCAL_PORT",
                file=sys.stderr,
            )
        else:
            print(f"error: cannot listen on {args.host}:{args.port}: {e.strerror}", file=sys.stderr)
        return 1
    server = make_server(
        args.host, args.port, app, threaded=True, request_handler=MotoRequestHandler, fd=sock.fileno()
    )

    # Let SIGTERM stop serve_forever() cleanly, like Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    os.environ.setdefault("MOTO_PORT", str(args.port))  # moto's self-calls use it
    threading.Thread(target=settle_forever, args=(extension.settle_all,), name="settle", daemon=True).start()
    print(
        f"sagemaker-local listening on http://{args.host}:{args.port} "
        f"(endpoint delay {extension.settings.endpoint_delay.total_seconds():g}s, "
        f"fail pattern {extension.settings.fail_pattern.pattern!r}, "
        f"access checks {'on' if extension.settings.enforce_access else 'off'})",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
