"""server.py itself: port handling, accounts via AssumeRole, settings from env."""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

import pytest
from botocore.exceptions import ClientError
from support import (
    INFERENCE_SPEC,
    PRODUCTION,
    REGISTRY,
    SERVER,
    STAGING,
    Accounts,
    start_server,
    stop_server,
    unique,
)


def test_port_in_use_prints_one_line_and_exits_1(server: Any) -> None:
    result = subprocess.run(
        [sys.executable, str(SERVER), "--port", str(server.port)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: port {server.port} is already in use on 127.0.0.1; "
        "stop whatever holds it or set SAGEMAKER_LOCAL_PORT"
    ]


def test_port_from_env(server: Any) -> None:
    result = subprocess.run(
        [sys.executable, str(SERVER)],
        env={"SAGEMAKER_LOCAL_PORT": str(server.port), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert f"port {server.port} is already in use" in result.stderr


def test_health(server: Any) -> None:
    code, body = server.get("/_sagemaker-local/health")
    assert code == 200
    assert body["moto"] == "5.2.5"
    assert body["endpointDelaySeconds"] == 0.5
    assert body["enforceAccess"] is True
    assert "access checks on" in server.output()


def test_assume_role_lands_in_the_roles_account(accounts: Accounts) -> None:
    staging = accounts.client("sagemaker", STAGING)
    name = unique("staging-only")
    arn = staging.create_model_package_group(ModelPackageGroupName=name)["ModelPackageGroupArn"]
    assert arn == f"arn:aws:sagemaker:us-east-1:{STAGING}:model-package-group/{name}"

    identity = accounts.client("sts", STAGING).get_caller_identity()
    assert identity["Account"] == STAGING

    for other in (REGISTRY, PRODUCTION):
        with pytest.raises(ClientError):
            accounts.client("sagemaker", other).describe_model_package_group(ModelPackageGroupName=name)
    # Regions are separate too.
    with pytest.raises(ClientError):
        accounts.client("sagemaker", STAGING, "eu-west-1").describe_model_package_group(
            ModelPackageGroupName=name
        )


def test_custom_fail_pattern_and_reset() -> None:
    # Access checks off: this test is about the fail pattern, not grants (test_deploy_access).
    server = start_server(
        SAGEMAKER_LOCAL_FAIL_ENDPOINT_PATTERN="^doomed-",
        SAGEMAKER_LOCAL_ENDPOINT_DELAY_SECONDS="0",
        SAGEMAKER_LOCAL_ENFORCE_ACCESS="0",
    )
    try:
        sm = Accounts(server.url).client("sagemaker", STAGING)
        sm.create_model(
            ModelName="m",
            ExecutionRoleArn=f"arn:aws:iam::{STAGING}:role/SageMakerExecutionRole",
            Containers=[{"Image": INFERENCE_SPEC["Containers"][0]["Image"]}],
        )
        sm.create_endpoint_config(
            EndpointConfigName="c",
            ProductionVariants=[
                {
                    "VariantName": "AllTraffic",
                    "ModelName": "m",
                    "InitialInstanceCount": 1,
                    "InstanceType": "ml.m5.large",
                }
            ],
        )
        for name, expected in (("doomed-1", "Failed"), ("fine-force-fail", "InService")):
            sm.create_endpoint(EndpointName=name, EndpointConfigName="c")
            time.sleep(0.05)
            assert sm.describe_endpoint(EndpointName=name)["EndpointStatus"] == expected, name

        # An armed failure does not survive POST /moto-api/reset.
        server.post(f"/_sagemaker-local/endpoints/{STAGING}/us-east-1/after-reset/fail")
        assert server.post("/moto-api/reset")[0] == 200
        sm = Accounts(server.url).client("sagemaker", STAGING)
        with pytest.raises(ClientError):
            sm.describe_endpoint(EndpointName="doomed-1")
        sm.create_model(
            ModelName="m",
            ExecutionRoleArn=f"arn:aws:iam::{STAGING}:role/SageMakerExecutionRole",
            Containers=[{"Image": INFERENCE_SPEC["Containers"][0]["Image"]}],
        )
        sm.create_endpoint_config(
            EndpointConfigName="c",
            ProductionVariants=[
                {
                    "VariantName": "AllTraffic",
                    "ModelName": "m",
                    "InitialInstanceCount": 1,
                    "InstanceType": "ml.m5.large",
                }
            ],
        )
        sm.create_endpoint(EndpointName="after-reset", EndpointConfigName="c")
        time.sleep(0.05)
        assert sm.describe_endpoint(EndpointName="after-reset")["EndpointStatus"] == "InService"
    finally:
        stop_server(server)


def test_invalid_fail_pattern_is_reported() -> None:
    result = subprocess.run(
        [sys.executable, str(SERVER), "--port", "0"],
        env={"SAGEMAKER_LOCAL_FAIL_ENDPOINT_PATTERN": "(", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert "SAGEMAKER_LOCAL_FAIL_ENDPOINT_PATTERN" in result.stderr


def test_invalid_enforce_access_is_reported() -> None:
    result = subprocess.run(
        [sys.executable, str(SERVER), "--port", "0"],
        env={"SAGEMAKER_LOCAL_ENFORCE_ACCESS": "maybe", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert "SAGEMAKER_LOCAL_ENFORCE_ACCESS must be 1 or 0" in result.stderr
