"""Test support: a real server.py subprocess on a free port, and boto3 clients that
enter accounts through sts:AssumeRole the way the plugin does."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

HERE = Path(__file__).resolve().parent.parent
SERVER = HERE / "server.py"
ENDPOINT_DELAY = 0.5
REGISTRY = "111111111111"
STAGING = "222222222222"
PRODUCTION = "333333333333"
NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=20)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    port: int
    process: subprocess.Popen[bytes]
    log: Any  # the server's stdout+stderr; a file, because an unread pipe fills up and blocks it

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def post(self, path: str, body: Any = None) -> tuple[int, dict[str, Any]]:
        data = b"" if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}")

    def get(self, path: str) -> tuple[int, dict[str, Any]]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}")


def start_server(**env: str) -> Server:
    port = free_port()
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("SAGEMAKER_LOCAL_", "MOTO_"))}
    full_env.update({"SAGEMAKER_LOCAL_ENDPOINT_DELAY_SECONDS": str(ENDPOINT_DELAY), **env})
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, str(SERVER), "--port", str(port)], env=full_env, stdout=log, stderr=subprocess.STDOUT
    )
    server = Server(f"http://127.0.0.1:{port}", port, process, log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server.py exited with {process.returncode}: {server.output()}")
        try:
            if server.get("/_sagemaker-local/health")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.1)
    stop_server(server)
    raise RuntimeError("server.py did not become healthy within 30s")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
    server.log.close()


class Accounts:
    """boto3 clients per (account, region), each from its own AssumeRole of ``role_name``."""

    def __init__(
        self, url: str, session_name: str = "pytest-user", role_name: str = "BackstageSageMakerAccess"
    ):
        self.url = url
        self.session_name = session_name
        self.role_name = role_name
        self._creds: dict[str, dict[str, str]] = {}

    def credentials(self, account: str) -> dict[str, str]:
        if account not in self._creds:
            sts = boto3.client(
                "sts",
                endpoint_url=self.url,
                region_name="us-east-1",
                aws_access_key_id="test",
                aws_secret_access_key="test",
                config=NO_RETRIES,
            )
            self._creds[account] = sts.assume_role(
                RoleArn=f"arn:aws:iam::{account}:role/{self.role_name}",
                RoleSessionName=self.session_name,
            )["Credentials"]
        return self._creds[account]

    def client(
        self, service: str, account: str = REGISTRY, region: str = "us-east-1", config: Config | None = None
    ) -> Any:
        c = self.credentials(account)
        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name=region,
            config=NO_RETRIES.merge(config) if config else NO_RETRIES,
            aws_access_key_id=c["AccessKeyId"],
            aws_secret_access_key=c["SecretAccessKey"],
            aws_session_token=c["SessionToken"],
        )


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


INFERENCE_SPEC = {
    "Containers": [
        {
            "Image": "763104351884.dkr.ecr.us-east-1.amazonaws.com/xgboost-inference:1.7-1",
            "ModelDataUrl": "s3://ml-models-111111111111/test/model.tar.gz",
        }
    ],
    "SupportedContentTypes": ["text/csv"],
    "SupportedResponseMIMETypes": ["application/json"],
    "SupportedRealtimeInferenceInstanceTypes": ["ml.m5.large"],
}
