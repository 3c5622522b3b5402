"""Endpoint status transitions, UpdateEndpoint and forced failures."""

from __future__ import annotations

import time
from typing import Any

import pytest
from botocore.exceptions import ClientError
from support import ENDPOINT_DELAY, INFERENCE_SPEC, REGISTRY, STAGING, unique
from worlds import deploy_basics


@pytest.fixture(scope="module", autouse=True)
def deployable(accounts: Any) -> None:
    """The grants a deploy needs (access checks are on): see worlds.deploy_basics."""
    for account in (STAGING, REGISTRY):
        deploy_basics(accounts, account)


@pytest.fixture
def staging(accounts: Any) -> Any:
    """SageMaker in the staging account, where the plugin deploys."""
    return accounts.client("sagemaker", STAGING)


def make_config(sm: Any, instance_count: int = 1, account: str = STAGING) -> str:
    model = unique("model")
    sm.create_model(
        ModelName=model,
        ExecutionRoleArn=f"arn:aws:iam::{account}:role/SageMakerExecutionRole",
        Containers=[
            {
                "Image": INFERENCE_SPEC["Containers"][0]["Image"],
                "ModelDataUrl": INFERENCE_SPEC["Containers"][0]["ModelDataUrl"],
            }
        ],
    )
    config = unique("config")
    sm.create_endpoint_config(
        EndpointConfigName=config,
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": model,
                "InitialInstanceCount": instance_count,
                "InstanceType": "ml.m5.large",
                "InitialVariantWeight": 1.0,
            }
        ],
    )
    return config


def status(sm: Any, name: str) -> str:
    return sm.describe_endpoint(EndpointName=name)["EndpointStatus"]


def wait_until_settled(sm: Any, name: str) -> dict[str, Any]:
    deadline = time.monotonic() + ENDPOINT_DELAY * 10
    while time.monotonic() < deadline:
        described = sm.describe_endpoint(EndpointName=name)
        if described["EndpointStatus"] not in ("Creating", "Updating"):
            return described
        time.sleep(ENDPOINT_DELAY / 5)
    raise AssertionError(f"{name} still {described['EndpointStatus']}")


def in_service_endpoint(sm: Any, prefix: str = "ep") -> tuple[str, str]:
    config = make_config(sm)
    name = unique(prefix)
    sm.create_endpoint(EndpointName=name, EndpointConfigName=config)
    assert wait_until_settled(sm, name)["EndpointStatus"] == "InService"
    return name, config


def error_code(e: pytest.ExceptionInfo[ClientError]) -> str:
    return e.value.response["Error"]["Code"]


def test_create_endpoint_is_creating_then_in_service(staging: Any) -> None:
    config = make_config(staging)
    name = unique("ep")
    arn = staging.create_endpoint(EndpointName=name, EndpointConfigName=config)["EndpointArn"]
    assert arn == f"arn:aws:sagemaker:us-east-1:{STAGING}:endpoint/{name}"
    assert status(staging, name) == "Creating"
    listed = staging.list_endpoints(NameContains=name)["Endpoints"]
    assert [e["EndpointStatus"] for e in listed] == ["Creating"]

    time.sleep(ENDPOINT_DELAY + 0.1)
    described = staging.describe_endpoint(EndpointName=name)
    assert described["EndpointStatus"] == "InService"
    assert "FailureReason" not in described
    assert (
        staging.list_endpoints(NameContains=name, StatusEquals="InService")["Endpoints"][0]["EndpointName"]
        == name
    )


def test_create_existing_endpoint_is_rejected(staging: Any) -> None:
    name, config = in_service_endpoint(staging)
    with pytest.raises(ClientError) as e:
        staging.create_endpoint(EndpointName=name, EndpointConfigName=config)
    assert error_code(e) == "ValidationException"
    assert "already existing" in str(e.value)


def test_update_endpoint_is_updating_then_in_service_on_new_config(staging: Any) -> None:
    name, old_config = in_service_endpoint(staging)
    new_config = make_config(staging, instance_count=2)

    arn = staging.update_endpoint(EndpointName=name, EndpointConfigName=new_config)["EndpointArn"]
    assert arn.endswith(f":endpoint/{name}")
    during = staging.describe_endpoint(EndpointName=name)
    assert during["EndpointStatus"] == "Updating"
    assert during["EndpointConfigName"] == old_config  # AWS keeps the old config until the switch
    assert during["PendingDeploymentSummary"]["EndpointConfigName"] == new_config

    after = wait_until_settled(staging, name)
    assert after["EndpointStatus"] == "InService"
    assert after["EndpointConfigName"] == new_config
    assert after["ProductionVariants"][0]["CurrentInstanceCount"] == 2
    assert "PendingDeploymentSummary" not in after
    assert after["LastModifiedTime"] > during["LastModifiedTime"]


def test_update_unknown_endpoint_or_config_is_a_validation_error(staging: Any) -> None:
    name, _ = in_service_endpoint(staging)
    with pytest.raises(ClientError) as e:
        staging.update_endpoint(EndpointName=unique("missing"), EndpointConfigName=make_config(staging))
    assert error_code(e) == "ValidationException"
    with pytest.raises(ClientError) as e:
        staging.update_endpoint(EndpointName=name, EndpointConfigName=unique("missing-config"))
    assert error_code(e) == "ValidationException"
    assert status(staging, name) == "InService"


def test_update_while_in_progress_is_rejected(staging: Any) -> None:
    config = make_config(staging)
    name = unique("ep")
    staging.create_endpoint(EndpointName=name, EndpointConfigName=config)
    with pytest.raises(ClientError) as e:
        staging.update_endpoint(EndpointName=name, EndpointConfigName=config)
    assert error_code(e) == "ValidationException"
    assert "in-progress" in str(e.value)


def test_name_matching_the_fail_pattern_ends_failed(staging: Any) -> None:
    config = make_config(staging)
    name = unique("fraud-force-fail")
    staging.create_endpoint(EndpointName=name, EndpointConfigName=config)
    assert status(staging, name) == "Creating"
    described = wait_until_settled(staging, name)
    assert described["EndpointStatus"] == "Failed"
    assert "health check" in described["FailureReason"]
    with pytest.raises(ClientError) as e:
        staging.update_endpoint(EndpointName=name, EndpointConfigName=config)
    assert error_code(e) == "ValidationException"
    staging.delete_endpoint(EndpointName=name)  # a Failed endpoint can be deleted and recreated


def test_control_route_fails_the_next_create(staging: Any, server: Any) -> None:
    config = make_config(staging)
    name = unique("ep")
    code, body = server.post(
        f"/_sagemaker-local/endpoints/{STAGING}/us-east-1/{name}/fail", {"reason": "image pull failed"}
    )
    assert code == 200 and body["appliesTo"] == "next transition" and body["endpointExists"] is False

    staging.create_endpoint(EndpointName=name, EndpointConfigName=config)
    described = wait_until_settled(staging, name)
    assert described["EndpointStatus"] == "Failed"
    assert described["FailureReason"] == "image pull failed"


def test_control_route_fails_an_update_in_flight(staging: Any, server: Any) -> None:
    name, old_config = in_service_endpoint(staging)
    staging.update_endpoint(EndpointName=name, EndpointConfigName=make_config(staging))
    code, body = server.post(f"/_sagemaker-local/endpoints/{STAGING}/us-east-1/{name}/fail")
    assert code == 200 and body["appliesTo"] == "current transition"
    described = wait_until_settled(staging, name)
    assert described["EndpointStatus"] == "Failed"
    assert described["FailureReason"]
    assert described["EndpointConfigName"] == old_config


def test_control_route_rollback_mode_matches_aws_failed_update(staging: Any, server: Any) -> None:
    name, old_config = in_service_endpoint(staging)
    server.post(
        f"/_sagemaker-local/endpoints/{STAGING}/us-east-1/{name}/fail", {"rollback": True, "reason": "boom"}
    )
    staging.update_endpoint(EndpointName=name, EndpointConfigName=make_config(staging))
    described = wait_until_settled(staging, name)
    assert described["EndpointStatus"] == "InService"
    assert described["FailureReason"] == "boom"
    assert described["EndpointConfigName"] == old_config

    # The failure is consumed: the next update succeeds and clears FailureReason.
    new_config = make_config(staging)
    staging.update_endpoint(EndpointName=name, EndpointConfigName=new_config)
    described = wait_until_settled(staging, name)
    assert described["EndpointStatus"] == "InService"
    assert described["EndpointConfigName"] == new_config
    assert "FailureReason" not in described


def test_control_route_is_per_account(accounts: Any, server: Any) -> None:
    registry = accounts.client("sagemaker", REGISTRY)
    config = make_config(registry, account=REGISTRY)
    name = unique("ep")
    server.post(f"/_sagemaker-local/endpoints/{STAGING}/us-east-1/{name}/fail")
    registry.create_endpoint(EndpointName=name, EndpointConfigName=config)
    assert wait_until_settled(registry, name)["EndpointStatus"] == "InService"


def test_control_route_errors(server: Any) -> None:
    assert server.post("/_sagemaker-local/endpoints/not-an-account/us-east-1/x/fail")[0] == 404
    assert server.get(f"/_sagemaker-local/endpoints/{STAGING}/us-east-1/x/fail")[0] == 405
    assert server.post("/_sagemaker-local/nothing-here")[0] == 404
    assert server.post(f"/_sagemaker-local/endpoints/{STAGING}/mars-north-1/x/fail")[0] == 404


def test_endpoint_config_accepts_current_instance_types(staging: Any) -> None:
    config = make_config(staging)
    model = staging.describe_endpoint_config(EndpointConfigName=config)["ProductionVariants"][0]["ModelName"]
    staging.create_endpoint_config(
        EndpointConfigName=unique("g5"),
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": model,
                "InitialInstanceCount": 1,
                "InstanceType": "ml.g5.xlarge",
            }
        ],
    )
    with pytest.raises(ClientError) as e:
        staging.create_endpoint_config(
            EndpointConfigName=unique("bogus"),
            ProductionVariants=[
                {
                    "VariantName": "AllTraffic",
                    "ModelName": model,
                    "InitialInstanceCount": 1,
                    "InstanceType": "ml.bogus.huge",
                }
            ],
        )
    assert error_code(e) == "ValidationException"
