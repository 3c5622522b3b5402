"""What catalog discovery reads: groups shared through RAM, and DeleteModelPackageGroup."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from support import INFERENCE_SPEC, PRODUCTION, REGISTRY, STAGING, Accounts, unique

PARTNER = "444444444444"


def shared(accounts: Accounts, account: str, region: str = "us-east-1") -> list[str]:
    sm = accounts.client("sagemaker", account, region)
    pages = sm.get_paginator("list_model_package_groups").paginate(CrossAccountFilterOption="CrossAccount")
    return [g["ModelPackageGroupArn"] for page in pages for g in page["ModelPackageGroupSummaryList"]]


def own(accounts: Accounts, account: str) -> list[str]:
    sm = accounts.client("sagemaker", account)
    return [g["ModelPackageGroupName"] for g in sm.list_model_package_groups()["ModelPackageGroupSummaryList"]]


def share(accounts: Accounts, owner: str, arns: list[str], principals: list[str], region: str = "us-east-1") -> str:
    ram = accounts.client("ram", owner, region)
    return ram.create_resource_share(name=unique("share"), resourceArns=arns, principals=principals)[
        "resourceShare"
    ]["resourceShareArn"]


def test_a_group_shared_through_ram_is_listed_cross_account(accounts: Accounts) -> None:
    name = unique("partner-scores")
    arn = accounts.client("sagemaker", PARTNER).create_model_package_group(
        ModelPackageGroupName=name, ModelPackageGroupDescription="from a partner"
    )["ModelPackageGroupArn"]
    share(accounts, PARTNER, [arn], [REGISTRY])

    assert arn in shared(accounts, REGISTRY)
    summary = next(
        g
        for g in accounts.client("sagemaker", REGISTRY).list_model_package_groups(
            CrossAccountFilterOption="CrossAccount"
        )["ModelPackageGroupSummaryList"]
        if g["ModelPackageGroupArn"] == arn
    )
    assert summary["ModelPackageGroupName"] == name
    assert summary["ModelPackageGroupDescription"] == "from a partner"
    # Not in the registry's own list, nor shared with an account the share does not name.
    assert name not in own(accounts, REGISTRY)
    assert arn not in shared(accounts, STAGING)
    # The owner does not see its own group as shared.
    assert arn not in shared(accounts, PARTNER)


def test_a_share_naming_the_account_root_counts_and_regions_stay_apart(accounts: Accounts) -> None:
    name = unique("eu-group")
    arn = accounts.client("sagemaker", PARTNER, "eu-west-1").create_model_package_group(ModelPackageGroupName=name)[
        "ModelPackageGroupArn"
    ]
    share(accounts, PARTNER, [arn], [f"arn:aws:iam::{PRODUCTION}:root"], "eu-west-1")
    assert arn in shared(accounts, PRODUCTION, "eu-west-1")
    assert arn not in shared(accounts, PRODUCTION, "us-east-1")


def test_same_account_is_the_default(accounts: Accounts) -> None:
    name = unique("own")
    accounts.client("sagemaker", STAGING).create_model_package_group(ModelPackageGroupName=name)
    sm = accounts.client("sagemaker", STAGING)
    names = [
        g["ModelPackageGroupName"]
        for g in sm.list_model_package_groups(CrossAccountFilterOption="SameAccount")["ModelPackageGroupSummaryList"]
    ]
    assert name in names


def test_delete_model_package_group(accounts: Accounts) -> None:
    sm = accounts.client("sagemaker", PARTNER)
    name = unique("short-lived")
    arn = sm.create_model_package_group(ModelPackageGroupName=name)["ModelPackageGroupArn"]
    share(accounts, PARTNER, [arn], [STAGING])
    assert arn in shared(accounts, STAGING)

    sm.delete_model_package_group(ModelPackageGroupName=name)

    assert name not in own(accounts, PARTNER)
    assert arn not in shared(accounts, STAGING)  # a deleted group is shared no more
    with pytest.raises(ClientError) as e:
        sm.describe_model_package_group(ModelPackageGroupName=name)
    assert e.value.response["Error"]["Code"] == "ValidationException"


def test_a_group_with_versions_cannot_be_deleted(accounts: Accounts) -> None:
    sm: Any = accounts.client("sagemaker", PARTNER)
    name = unique("busy")
    sm.create_model_package_group(ModelPackageGroupName=name)
    sm.create_model_package(ModelPackageGroupName=name, InferenceSpecification=INFERENCE_SPEC)
    with pytest.raises(ClientError) as e:
        sm.delete_model_package_group(ModelPackageGroupName=name)
    assert e.value.response["Error"]["Code"] == "ConflictException"
    assert name in own(accounts, PARTNER)


def test_delete_an_unknown_group_is_a_validation_error(accounts: Accounts) -> None:
    with pytest.raises(ClientError) as e:
        accounts.client("sagemaker", PARTNER).delete_model_package_group(ModelPackageGroupName=unique("nope"))
    assert e.value.response["Error"]["Code"] == "ValidationException"
