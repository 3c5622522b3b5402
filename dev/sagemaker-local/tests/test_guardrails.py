"""UpdateEndpoint with a DeploymentConfig: phases, LastDeploymentConfig, alarm rollback."""

from __future__ import annotations

import time
from typing import Any

import pytest
from support import ENDPOINT_DELAY, STAGING, unique
from test_endpoints import in_service_endpoint, make_config
from worlds import deploy_basics


@pytest.fixture(scope="module", autouse=True)
def deployable(accounts: Any) -> None:
    deploy_basics(accounts, STAGING)


@pytest.fixture
def staging(accounts: Any) -> Any:
    return accounts.client("sagemaker", STAGING)


@pytest.fixture
def cloudwatch(accounts: Any) -> Any:
    return accounts.client("cloudwatch", STAGING)


def canary(wait: int, alarms: list[str] | None = None) -> dict[str, Any]:
    config: dict[str, Any] = {
        "BlueGreenUpdatePolicy": {
            "TrafficRoutingConfiguration": {
                "Type": "CANARY",
                "CanarySize": {"Type": "CAPACITY_PERCENT", "Value": 10},
                "WaitIntervalInSeconds": wait,
            },
            "MaximumExecutionTimeoutInSeconds": 600,
        }
    }
    if alarms:
        config["AutoRollbackConfiguration"] = {"Alarms": [{"AlarmName": a} for a in alarms]}
    return config


def variant_status(described: dict[str, Any]) -> tuple[str, str] | None:
    pending = described.get("PendingDeploymentSummary")
    if not pending:
        return None
    status = pending["ProductionVariants"][0]["VariantStatus"][0]
    return status["Status"], status["StatusMessage"]


def watch(sm: Any, name: str, timeout: float) -> tuple[list[Any], dict[str, Any]]:
    """Every distinct (endpoint status, variant status) until the update ends, and the end."""
    seen: list[Any] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        described = sm.describe_endpoint(EndpointName=name)
        step = (described["EndpointStatus"], variant_status(described))
        if not seen or seen[-1] != step:
            seen.append(step)
        if described["EndpointStatus"] in ("InService", "Failed"):
            return seen, described
        time.sleep(0.1)
    raise AssertionError(f"{name} still updating: {seen}")


def alarm(cloudwatch: Any, name: str) -> str:
    alarm_name = unique(name)
    cloudwatch.put_metric_alarm(
        AlarmName=alarm_name,
        MetricName="Invocation5XXErrors",
        Namespace="AWS/SageMaker",
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
    )
    return alarm_name


def test_canary_walks_its_phases_and_ends_on_the_new_config(staging: Any) -> None:
    name, _ = in_service_endpoint(staging)
    new_config = make_config(staging)
    staging.update_endpoint(EndpointName=name, EndpointConfigName=new_config, DeploymentConfig=canary(1))

    seen, after = watch(staging, name, timeout=20)

    assert [s for _, s in seen if s] == [
        ("Creating", "Provisioning the new fleet"),
        ("ActivatingTraffic", "ActivatingTraffic: 10% of traffic on the new fleet"),
        ("Baking", "Baking: 10% of traffic on the new fleet"),
        ("ActivatingTraffic", "ActivatingTraffic: 100% of traffic on the new fleet"),
        ("Baking", "Baking: 100% of traffic on the new fleet"),
    ]
    assert {status for status, _ in seen[:-1]} == {"Updating"}
    assert after["EndpointStatus"] == "InService"
    assert after["EndpointConfigName"] == new_config
    assert "FailureReason" not in after
    assert after["LastDeploymentConfig"] == canary(1)


def test_linear_and_rolling_shift_in_steps(staging: Any) -> None:
    name, _ = in_service_endpoint(staging)
    linear = {
        "BlueGreenUpdatePolicy": {
            "TrafficRoutingConfiguration": {
                "Type": "LINEAR",
                "LinearStepSize": {"Type": "CAPACITY_PERCENT", "Value": 50},
                "WaitIntervalInSeconds": 0,
            }
        }
    }
    new_config = make_config(staging)
    staging.update_endpoint(EndpointName=name, EndpointConfigName=new_config, DeploymentConfig=linear)
    seen, after = watch(staging, name, timeout=20)
    shifts = [s[1] for _, s in seen if s and s[0] == "ActivatingTraffic"]
    assert shifts == [
        "ActivatingTraffic: 50% of traffic on the new fleet",
        "ActivatingTraffic: 100% of traffic on the new fleet",
    ]
    assert after["EndpointStatus"] == "InService"

    rolling = {
        "RollingUpdatePolicy": {
            "MaximumBatchSize": {"Type": "INSTANCE_COUNT", "Value": 1},
            "WaitIntervalInSeconds": 0,
        }
    }
    two_instances = make_config(staging, instance_count=2)
    staging.update_endpoint(EndpointName=name, EndpointConfigName=two_instances, DeploymentConfig=rolling)
    seen, after = watch(staging, name, timeout=20)
    assert [s[1] for _, s in seen if s and s[0] == "ActivatingTraffic"] == [
        "ActivatingTraffic: 50% of traffic on the new fleet",
        "ActivatingTraffic: 100% of traffic on the new fleet",
    ]
    assert after["EndpointConfigName"] == two_instances
    assert after["LastDeploymentConfig"] == rolling


def test_an_alarm_in_alarm_while_baking_rolls_back_to_the_old_config(
    staging: Any, cloudwatch: Any
) -> None:
    name, old_config = in_service_endpoint(staging)
    quiet, noisy = alarm(cloudwatch, "latency"), alarm(cloudwatch, "errors")
    guarded = canary(30, [quiet, noisy])
    new_config = make_config(staging)
    staging.update_endpoint(EndpointName=name, EndpointConfigName=new_config, DeploymentConfig=guarded)
    deadline = time.monotonic() + 10
    while variant_status(staging.describe_endpoint(EndpointName=name)) != (
        "Baking",
        "Baking: 10% of traffic on the new fleet",
    ):
        assert time.monotonic() < deadline, "never reached the canary's bake"
        time.sleep(0.1)

    cloudwatch.set_alarm_state(AlarmName=noisy, StateValue="ALARM", StateReason="5xx errors on the canary")

    rolling_back = staging.describe_endpoint(EndpointName=name)
    assert rolling_back["EndpointStatus"] == "RollingBack"
    time.sleep(ENDPOINT_DELAY + 0.1)
    after = staging.describe_endpoint(EndpointName=name)
    assert after["EndpointStatus"] == "InService"
    assert after["EndpointConfigName"] == old_config
    assert noisy in after["FailureReason"] and quiet not in after["FailureReason"]
    assert "PendingDeploymentSummary" not in after
    assert after["LastDeploymentConfig"]["AutoRollbackConfiguration"]["Alarms"][1] == {"AlarmName": noisy}
    # A rolled-back endpoint takes the next update.
    staging.update_endpoint(EndpointName=name, EndpointConfigName=make_config(staging))
    assert staging.describe_endpoint(EndpointName=name)["EndpointStatus"] == "Updating"


def test_an_alarm_outside_the_list_or_in_ok_changes_nothing(staging: Any, cloudwatch: Any) -> None:
    name, _ = in_service_endpoint(staging)
    watched, other = alarm(cloudwatch, "watched"), alarm(cloudwatch, "other")
    cloudwatch.set_alarm_state(AlarmName=other, StateValue="ALARM", StateReason="not this endpoint's")
    new_config = make_config(staging)
    staging.update_endpoint(
        EndpointName=name, EndpointConfigName=new_config, DeploymentConfig=canary(1, [watched])
    )
    _, after = watch(staging, name, timeout=20)
    assert after["EndpointConfigName"] == new_config
    assert "FailureReason" not in after


def test_an_update_while_rolling_back_is_refused(staging: Any, cloudwatch: Any) -> None:
    name, _ = in_service_endpoint(staging)
    noisy = alarm(cloudwatch, "errors")
    cloudwatch.set_alarm_state(AlarmName=noisy, StateValue="ALARM", StateReason="already failing")
    staging.update_endpoint(
        EndpointName=name,
        EndpointConfigName=make_config(staging),
        DeploymentConfig={
            "BlueGreenUpdatePolicy": {
                "TrafficRoutingConfiguration": {"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 30}
            },
            "AutoRollbackConfiguration": {"Alarms": [{"AlarmName": noisy}]},
        },
    )
    deadline = time.monotonic() + 10
    while staging.describe_endpoint(EndpointName=name)["EndpointStatus"] != "RollingBack":
        assert time.monotonic() < deadline, "never rolled back"
        time.sleep(0.1)
    with pytest.raises(Exception) as e:
        staging.update_endpoint(EndpointName=name, EndpointConfigName=make_config(staging))
    assert "Cannot update in-progress endpoint" in str(e.value)


def test_a_serverless_endpoint_reports_its_serverless_config(staging: Any) -> None:
    config = unique("serverless")
    model = unique("model")
    staging.create_model(
        ModelName=model,
        ExecutionRoleArn=f"arn:aws:iam::{STAGING}:role/SageMakerExecutionRole",
        Containers=[
            {
                "Image": "763104351884.dkr.ecr.us-east-1.amazonaws.com/xgboost-inference:1.7-1",
                "ModelDataUrl": "s3://ml-models-111111111111/test/model.tar.gz",
            }
        ],
    )
    staging.create_endpoint_config(
        EndpointConfigName=config,
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": model,
                "ServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 5},
            }
        ],
    )
    name = unique("ep")
    staging.create_endpoint(EndpointName=name, EndpointConfigName=config)
    _, after = watch(staging, name, timeout=10)
    assert after["EndpointStatus"] == "InService"
    serverless = after["ProductionVariants"][0]["CurrentServerlessConfig"]
    assert serverless == {"MemorySizeInMB": 2048, "MaxConcurrency": 5}
