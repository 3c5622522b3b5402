"""Control routes of the emulator, served in front of moto's own WSGI app.

moto picks a service for each request from its Host header, SigV4 credential
scope or body (moto/moto_server/werkzeug_app.py), and registers a service's
routes from the url_paths in its urls.py. An unsigned POST to a path of ours
matches no service, so moto would send it to its S3 fallback. A tiny WSGI
middleware in front of moto is the least invasive place for a test-only route:
it touches no moto internals and leaves every AWS request untouched.

Routes:
  POST /_sagemaker-local/endpoints/<account>/<region>/<name>/fail
       body (optional JSON): {"reason": "...", "rollback": false}
       Makes the endpoint's current transition (Creating/Updating) end Failed, or,
       if none is in flight, its next one. The endpoint need not exist yet, so a
       test can arm a failure before CreateEndpoint.
       With "rollback": true a failed *update* ends the way AWS really ends it:
       InService on the old config, with FailureReason set.
  GET  /_sagemaker-local/health -> {"status": "ok", ...}
POST /moto-api/reset is passed to moto and also clears the armed failures.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any, Callable

import moto

from . import extension

PREFIX = "/_sagemaker-local/"
FAIL_ROUTE = re.compile(
    r"^/_sagemaker-local/endpoints/(?P<account>\d{12})/(?P<region>[a-z0-9-]+)/"
    r"(?P<name>[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62})/fail/?$"
)

StartResponse = Callable[..., Any]


def _json(start_response: StartResponse, status: str, body: dict[str, Any]) -> Iterable[bytes]:
    data = json.dumps(body).encode()
    start_response(
        status,
        [("Content-Type", "application/json"), ("Content-Length", str(len(data)))],
    )
    return [data]


class ControlRoutes:
    def __init__(self, app: Callable[..., Iterable[bytes]]):
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/moto-api/reset" and method == "POST":
            extension.reset_armed_failures()
        if not path.startswith(PREFIX):
            return self.app(environ, start_response)

        if path.rstrip("/") == PREFIX + "health":
            return _json(
                start_response,
                "200 OK",
                {
                    "status": "ok",
                    "moto": moto.__version__,
                    "endpointDelaySeconds": extension.settings.endpoint_delay.total_seconds(),
                    "failEndpointPattern": extension.settings.fail_pattern.pattern,
                    "enforceAccess": extension.settings.enforce_access,
                    "guardrailTimeScale": extension.settings.guardrail_time_scale,
                },
            )
        match = FAIL_ROUTE.match(path)
        if not match:
            return _json(start_response, "404 Not Found", {"error": f"no such route: {path}"})
        if method != "POST":
            return _json(start_response, "405 Method Not Allowed", {"error": "use POST"})
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            raw = environ["wsgi.input"].read(length) if length else b""
            body = json.loads(raw) if raw.strip() else {}
            if not isinstance(body, dict):
                raise ValueError("body must be a JSON object")
        except ValueError as e:
            return _json(start_response, "400 Bad Request", {"error": f"invalid JSON body: {e}"})
        result = extension.arm_failure(
            match["account"],
            match["region"],
            match["name"],
            body.get("reason"),
            bool(body.get("rollback", False)),
        )
        if result is None:
            return _json(start_response, "404 Not Found", {"error": f"unknown region: {match['region']}"})
        return _json(start_response, "200 OK", result)
