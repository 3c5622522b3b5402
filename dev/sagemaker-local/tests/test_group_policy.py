"""Put/Get/DeleteModelPackageGroupPolicy."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from support import REGISTRY, unique

POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AddPermModelPackageGroup",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::222222222222:root"},
                "Action": ["sagemaker:DescribeModelPackageGroup"],
                "Resource": "*",
            }
        ],
    }
)


@pytest.fixture
def group(sm: Any) -> str:
    name = unique("group")
    sm.create_model_package_group(ModelPackageGroupName=name)
    return name


def test_put_get_delete_round_trip(sm: Any, group: str) -> None:
    arn = sm.put_model_package_group_policy(ModelPackageGroupName=group, ResourcePolicy=POLICY)[
        "ModelPackageGroupArn"
    ]
    assert arn == f"arn:aws:sagemaker:us-east-1:{REGISTRY}:model-package-group/{group}"
    assert sm.get_model_package_group_policy(ModelPackageGroupName=group)["ResourcePolicy"] == POLICY
    # ... and by ARN, which AWS accepts too.
    assert sm.get_model_package_group_policy(ModelPackageGroupName=arn)["ResourcePolicy"] == POLICY

    sm.delete_model_package_group_policy(ModelPackageGroupName=group)
    with pytest.raises(ClientError) as e:
        sm.get_model_package_group_policy(ModelPackageGroupName=group)
    assert e.value.response["Error"]["Code"] == "ValidationException"


def test_put_replaces_the_policy(sm: Any, group: str) -> None:
    sm.put_model_package_group_policy(ModelPackageGroupName=group, ResourcePolicy=POLICY)
    replacement = POLICY.replace("222222222222", "333333333333")
    sm.put_model_package_group_policy(ModelPackageGroupName=group, ResourcePolicy=replacement)
    assert sm.get_model_package_group_policy(ModelPackageGroupName=group)["ResourcePolicy"] == replacement


def test_get_without_policy_is_a_validation_error(sm: Any, group: str) -> None:
    with pytest.raises(ClientError) as e:
        sm.get_model_package_group_policy(ModelPackageGroupName=group)
    assert e.value.response["Error"]["Code"] == "ValidationException"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_unknown_group_is_a_validation_error(sm: Any) -> None:
    for call in (
        lambda: sm.put_model_package_group_policy(
            ModelPackageGroupName=unique("nope"), ResourcePolicy=POLICY
        ),
        lambda: sm.get_model_package_group_policy(ModelPackageGroupName=unique("nope")),
        lambda: sm.delete_model_package_group_policy(ModelPackageGroupName=unique("nope")),
    ):
        with pytest.raises(ClientError) as e:
            call()
        assert e.value.response["Error"]["Code"] == "ValidationException"


def test_policy_must_be_json(sm: Any, group: str) -> None:
    with pytest.raises(ClientError) as e:
        sm.put_model_package_group_policy(ModelPackageGroupName=group, ResourcePolicy="not json")
    assert e.value.response["Error"]["Code"] == "ValidationException"


def test_policy_is_per_account(accounts: Any, group: str) -> None:
    staging = accounts.client("sagemaker", "222222222222")
    with pytest.raises(ClientError):
        staging.get_model_package_group_policy(ModelPackageGroupName=group)
