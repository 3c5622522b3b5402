"""Model registry behaviour the extension adds or fixes."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError
from support import INFERENCE_SPEC, REGISTRY, unique


def new_group(sm: Any) -> str:
    name = unique("group")
    sm.create_model_package_group(ModelPackageGroupName=name, ModelPackageGroupDescription="test group")
    return name


def new_version(sm: Any, group: str, **extra: Any) -> str:
    return sm.create_model_package(
        ModelPackageGroupName=group, InferenceSpecification=INFERENCE_SPEC, **extra
    )["ModelPackageArn"]


def error_code(e: pytest.ExceptionInfo[ClientError]) -> str:
    return e.value.response["Error"]["Code"]


def test_versioned_package_defaults_to_pending_manual_approval(sm: Any) -> None:
    arn = new_version(sm, new_group(sm))
    assert sm.describe_model_package(ModelPackageName=arn)["ModelApprovalStatus"] == "PendingManualApproval"


def test_create_model_package_accepts_group_arn(sm: Any) -> None:
    group = new_group(sm)
    group_arn = f"arn:aws:sagemaker:us-east-1:{REGISTRY}:model-package-group/{group}"
    arn = new_version(sm, group_arn, ModelApprovalStatus="Approved")
    assert arn == f"arn:aws:sagemaker:us-east-1:{REGISTRY}:model-package/{group}/1"
    assert sm.describe_model_package_group(ModelPackageGroupName=group_arn)["ModelPackageGroupName"] == group


def test_duplicate_group_is_rejected(sm: Any) -> None:
    group = new_group(sm)
    with pytest.raises(ClientError) as e:
        sm.create_model_package_group(ModelPackageGroupName=group)
    assert error_code(e) == "ValidationException"
    assert "already exists" in str(e.value)


def test_created_by_is_the_assumed_role(sm: Any) -> None:
    arn = new_version(sm, new_group(sm))
    created_by = sm.describe_model_package(ModelPackageName=arn)["CreatedBy"]
    assert created_by["IamIdentity"]["Arn"] == (
        f"arn:aws:sts::{REGISTRY}:assumed-role/BackstageSageMakerAccess/pytest-user"
    )


def test_update_changes_only_the_fields_sent(sm: Any) -> None:
    arn = new_version(
        sm,
        new_group(sm),
        ModelPackageDescription="v1",
        CustomerMetadataProperties={"accuracy": "0.91", "auc": "0.95"},
    )
    sm.update_model_package(
        ModelPackageArn=arn, ModelApprovalStatus="Approved", ApprovalDescription="looks good"
    )
    before = sm.describe_model_package(ModelPackageName=arn)

    sm.update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Rejected")
    after = sm.describe_model_package(ModelPackageName=arn)

    assert after["ModelApprovalStatus"] == "Rejected"
    assert after["ApprovalDescription"] == "looks good"
    assert after["CustomerMetadataProperties"] == {"accuracy": "0.91", "auc": "0.95"}
    assert after["ModelPackageDescription"] == "v1"
    assert after["InferenceSpecification"] == before["InferenceSpecification"]
    assert after["LastModifiedTime"] >= before["LastModifiedTime"]


def test_update_merges_and_removes_metadata(sm: Any) -> None:
    arn = new_version(sm, new_group(sm), CustomerMetadataProperties={"a": "1", "b": "2"})
    sm.update_model_package(
        ModelPackageArn=arn,
        CustomerMetadataProperties={"b": "20", "c": "3"},
        CustomerMetadataPropertiesToRemove=["a"],
    )
    assert sm.describe_model_package(ModelPackageName=arn)["CustomerMetadataProperties"] == {
        "b": "20",
        "c": "3",
    }
    sm.update_model_package(ModelPackageArn=arn, CustomerMetadataPropertiesToRemove=["b", "missing"])
    assert sm.describe_model_package(ModelPackageName=arn)["CustomerMetadataProperties"] == {"c": "3"}


def test_update_stamps_last_modified_with_the_caller(sm: Any, accounts: Any) -> None:
    arn = new_version(sm, new_group(sm))
    assert "LastModifiedTime" not in sm.describe_model_package(ModelPackageName=arn)

    sm.update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved")
    described = sm.describe_model_package(ModelPackageName=arn)
    assert isinstance(described["LastModifiedTime"], datetime)
    assert described["LastModifiedBy"]["IamIdentity"]["Arn"].endswith(
        ":assumed-role/BackstageSageMakerAccess/pytest-user"
    )
    assert described["LastModifiedBy"]["IamIdentity"]["PrincipalId"].endswith(":pytest-user")


def test_update_validates_approval_status(sm: Any) -> None:
    arn = new_version(sm, new_group(sm))
    with pytest.raises(ClientError) as e:
        sm.update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Maybe")
    assert error_code(e) == "ValidationException"
    assert sm.describe_model_package(ModelPackageName=arn)["ModelApprovalStatus"] == "PendingManualApproval"


def test_update_unknown_package_is_a_validation_error(sm: Any) -> None:
    with pytest.raises(ClientError) as e:
        sm.update_model_package(
            ModelPackageArn=f"arn:aws:sagemaker:us-east-1:{REGISTRY}:model-package/nope/1",
            ModelApprovalStatus="Approved",
        )
    assert error_code(e) == "ValidationException"


def test_describe_and_list_return_the_fields_the_plugin_reads(sm: Any) -> None:
    group = new_group(sm)
    metrics = {
        "ModelQuality": {"Statistics": {"ContentType": "application/json", "S3Uri": "s3://b/stats.json"}}
    }
    arn = new_version(
        sm,
        group,
        ModelPackageDescription="desc",
        ModelMetrics=metrics,
        CustomerMetadataProperties={"auc": "0.97"},
    )
    sm.update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved", ApprovalDescription="ok")
    described = sm.describe_model_package(ModelPackageName=arn)
    for key in (
        "ModelApprovalStatus",
        "CreationTime",
        "CreatedBy",
        "ModelPackageDescription",
        "CustomerMetadataProperties",
        "ModelMetrics",
        "ApprovalDescription",
        "LastModifiedBy",
        "LastModifiedTime",
        "InferenceSpecification",
        "ModelPackageVersion",
    ):
        assert key in described, key
    assert described["ModelMetrics"] == metrics

    summary = sm.list_model_packages(ModelPackageGroupName=group)["ModelPackageSummaryList"][0]
    assert {
        "ModelPackageArn",
        "ModelPackageVersion",
        "ModelApprovalStatus",
        "CreationTime",
        "ModelPackageDescription",
        "ModelPackageStatus",
        "ModelPackageGroupName",
    } <= summary.keys()
    # Like AWS, the list summary carries no metadata: the plugin must describe (or batch-describe).
    assert "CustomerMetadataProperties" not in summary


def test_batch_describe_model_package(sm: Any) -> None:
    group = new_group(sm)
    first = new_version(sm, group, ModelPackageDescription="first")
    second = new_version(sm, group, ModelApprovalStatus="Approved")
    missing = f"arn:aws:sagemaker:us-east-1:{REGISTRY}:model-package/{group}/99"

    response = sm.batch_describe_model_package(ModelPackageArnList=[first, second, missing])

    summaries = response["ModelPackageSummaries"]
    assert set(summaries) == {first, second}
    assert summaries[first]["ModelPackageGroupName"] == group
    assert summaries[first]["ModelPackageVersion"] == 1
    assert summaries[first]["ModelPackageArn"] == first
    assert summaries[first]["ModelPackageDescription"] == "first"
    assert isinstance(summaries[first]["CreationTime"], datetime)
    assert summaries[first]["InferenceSpecification"] == INFERENCE_SPEC
    assert summaries[first]["ModelPackageStatus"] == "Completed"
    assert summaries[first]["ModelApprovalStatus"] == "PendingManualApproval"
    assert summaries[second]["ModelApprovalStatus"] == "Approved"
    assert set(response["BatchDescribeModelPackageErrorMap"]) == {missing}
    assert set(response["BatchDescribeModelPackageErrorMap"][missing]) == {"ErrorCode", "ErrorResponse"}


def test_batch_describe_raw_wire_shape(accounts: Any, server: Any) -> None:
    """The JSON on the wire, as @aws-sdk/client-sagemaker will parse it."""
    sm = accounts.client("sagemaker")
    group = new_group(sm)
    arn = new_version(sm, group)
    captured: dict[str, Any] = {}
    sm.meta.events.register(
        "after-call.sagemaker.BatchDescribeModelPackage",
        lambda http_response, **_: captured.update(body=json.loads(http_response.content)),
    )
    sm.batch_describe_model_package(ModelPackageArnList=[arn])
    summary = captured["body"]["ModelPackageSummaries"][arn]
    assert isinstance(summary["CreationTime"], (int, float))  # epoch seconds, as AWS sends
    assert set(summary) == {
        "ModelPackageGroupName",
        "ModelPackageVersion",
        "ModelPackageArn",
        "CreationTime",
        "InferenceSpecification",
        "ModelPackageStatus",
        "ModelApprovalStatus",
    }


def test_batch_describe_rejects_more_than_100(sm: Any) -> None:
    arns = [f"arn:aws:sagemaker:us-east-1:{REGISTRY}:model-package/g/{i}" for i in range(1, 102)]
    with pytest.raises(ClientError) as e:
        sm.batch_describe_model_package(ModelPackageArnList=arns)
    assert error_code(e) == "ValidationException"


MODEL_CARD = {
    "ModelCardStatus": "PendingReview",
    "ModelCardContent": json.dumps({"intended_uses": {"risk_rating": "Medium"}}),
}


def test_model_card_is_kept_on_create_and_changed_only_when_sent(sm: Any) -> None:
    group = new_group(sm)
    arn = new_version(sm, group, ModelCard=MODEL_CARD)
    assert sm.describe_model_package(ModelPackageName=arn)["ModelCard"] == MODEL_CARD
    sm.update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved")
    assert sm.describe_model_package(ModelPackageName=arn)["ModelCard"] == MODEL_CARD
    approved = {**MODEL_CARD, "ModelCardStatus": "Approved"}
    sm.update_model_package(ModelPackageArn=arn, ModelCard=approved)
    assert sm.describe_model_package(ModelPackageName=arn)["ModelCard"] == approved
    record = sm.search(
        Resource="ModelPackage",
        SearchExpression={"Filters": [{"Name": "ModelPackageGroupName", "Operator": "Equals", "Value": group}]},
    )["Results"][0]["ModelPackage"]
    assert record["ModelCard"] == approved


def test_version_without_model_card_has_none(sm: Any) -> None:
    arn = new_version(sm, new_group(sm))
    assert "ModelCard" not in sm.describe_model_package(ModelPackageName=arn)


@pytest.mark.parametrize(
    ("card", "message"),
    [
        ({"ModelCardStatus": "Done"}, "Member must satisfy enum value set"),
        ({"ModelCardStatus": "Draft", "ModelCardContent": "[1]"}, "must be a JSON object"),
    ],
)
def test_bad_model_card_is_refused_and_creates_nothing(sm: Any, card: dict[str, Any], message: str) -> None:
    group = new_group(sm)
    with pytest.raises(ClientError) as e:
        new_version(sm, group, ModelCard=card)
    assert error_code(e) == "ValidationException"
    assert message in e.value.response["Error"]["Message"]
    assert sm.list_model_packages(ModelPackageGroupName=group)["ModelPackageSummaryList"] == []


def test_model_life_cycle_is_kept_on_create_and_returned_everywhere(sm: Any) -> None:
    group = new_group(sm)
    arn = new_version(
        sm, group, ModelLifeCycle={"Stage": "Development", "StageStatus": "InProgress", "StageDescription": "training"}
    )
    expected = {"Stage": "Development", "StageStatus": "InProgress", "StageDescription": "training"}
    assert sm.describe_model_package(ModelPackageName=arn)["ModelLifeCycle"] == expected
    listed = sm.list_model_packages(ModelPackageGroupName=group)["ModelPackageSummaryList"]
    assert listed[0]["ModelLifeCycle"] == expected
    found = sm.search(
        Resource="ModelPackage",
        SearchExpression={"Filters": [{"Name": "ModelPackageGroupName", "Operator": "Equals", "Value": group}]},
    )["Results"]
    assert found[0]["ModelPackage"]["ModelLifeCycle"] == expected


def test_update_sets_the_life_cycle_and_leaves_the_rest(sm: Any) -> None:
    arn = new_version(sm, new_group(sm), ModelApprovalStatus="Approved")
    assert "ModelLifeCycle" not in sm.describe_model_package(ModelPackageName=arn)

    sm.update_model_package(ModelPackageArn=arn, ModelLifeCycle={"Stage": "Production", "StageStatus": "Approved"})
    after = sm.describe_model_package(ModelPackageName=arn)

    assert after["ModelLifeCycle"] == {"Stage": "Production", "StageStatus": "Approved"}
    assert after["ModelApprovalStatus"] == "Approved"
    assert after["LastModifiedBy"]["IamIdentity"]["Arn"].endswith("/pytest-user")

    sm.update_model_package(ModelPackageArn=arn, ApprovalDescription="only this")
    assert sm.describe_model_package(ModelPackageName=arn)["ModelLifeCycle"]["Stage"] == "Production"


def test_a_bad_life_cycle_is_refused_with_aws_wording_and_changes_nothing(sm: Any) -> None:
    arn = new_version(sm, new_group(sm), ModelLifeCycle={"Stage": "QA", "StageStatus": "OnHold"})
    # botocore checks types and lengths but not patterns: the server must refuse it.
    with pytest.raises(ClientError) as e:
        sm.update_model_package(
            ModelPackageArn=arn,
            ModelApprovalStatus="Approved",
            ModelLifeCycle={"Stage": "Pre Production", "StageStatus": "Approved"},
        )
    assert error_code(e) == "ValidationException"
    assert "Value 'Pre Production' at 'modelLifeCycle.stage' failed to satisfy constraint" in str(e.value)
    after = sm.describe_model_package(ModelPackageName=arn)
    assert after["ModelLifeCycle"] == {"Stage": "QA", "StageStatus": "OnHold"}
    assert after["ModelApprovalStatus"] == "PendingManualApproval"
