"""Search with Resource="ModelPackage": what the plugin uses to read a page of versions
with their metadata in one call (moto 5.2.5 ignored sorting, paging and most operators)."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from support import INFERENCE_SPEC, REGISTRY, STAGING, unique

BIG = 120  # more than one page of 100


def new_group(sm: Any) -> str:
    name = unique("search")
    sm.create_model_package_group(ModelPackageGroupName=name)
    return name


def new_version(sm: Any, group: str, **extra: Any) -> str:
    return sm.create_model_package(
        ModelPackageGroupName=group, InferenceSpecification=INFERENCE_SPEC, **extra
    )["ModelPackageArn"]


def status_of(version: int) -> str:
    return ("Approved", "Rejected", "PendingManualApproval")[version % 3]


@pytest.fixture(scope="module")
def big_group(accounts: Any) -> str:
    """BIG versions; status cycles Approved/Rejected/Pending; metadata names the version."""
    sm = accounts.client("sagemaker")
    group = new_group(sm)
    for v in range(1, BIG + 1):
        new_version(
            sm,
            group,
            ModelApprovalStatus=status_of(v),
            CustomerMetadataProperties={"version": str(v), "parity": "even" if v % 2 == 0 else "odd"},
        )
    return group


def in_group(group: str) -> dict[str, str]:
    return {"Name": "ModelPackageGroupName", "Operator": "Equals", "Value": group}


def search(sm: Any, *filters: dict[str, str], **kwargs: Any) -> dict[str, Any]:
    expression = {"Filters": list(filters), **kwargs.pop("expression", {})}
    return sm.search(Resource="ModelPackage", SearchExpression=expression, **kwargs)


def versions(response: dict[str, Any]) -> list[int]:
    return [r["ModelPackage"]["ModelPackageVersion"] for r in response["Results"]]


def error_code(e: pytest.ExceptionInfo[ClientError]) -> str:
    return e.value.response["Error"]["Code"]


def test_records_are_what_describe_returns_plus_tags(sm: Any) -> None:
    group = new_group(sm)
    metrics = {
        "ModelQuality": {"Statistics": {"ContentType": "application/json", "S3Uri": "s3://b/stats.json"}}
    }
    first = new_version(
        sm,
        group,
        ModelPackageDescription="first",
        CustomerMetadataProperties={"accuracy": "0.91", "git_commit": "abc123"},
        ModelMetrics=metrics,
    )
    second = new_version(sm, group)
    sm.update_model_package(ModelPackageArn=first, ModelApprovalStatus="Approved", ApprovalDescription="ok")

    response = search(sm, in_group(group), SortBy="ModelPackageVersion")

    assert "NextToken" not in response
    records = [r["ModelPackage"] for r in response["Results"]]
    assert [r["ModelPackageArn"] for r in records] == [second, first]
    for record in records:
        described = sm.describe_model_package(ModelPackageName=record["ModelPackageArn"])
        del described["ResponseMetadata"]
        assert record == {**described, "Tags": []}
    assert records[1]["CustomerMetadataProperties"] == {"accuracy": "0.91", "git_commit": "abc123"}
    assert records[1]["ModelMetrics"] == metrics
    assert records[1]["CreatedBy"]["IamIdentity"]["Arn"].endswith("/BackstageSageMakerAccess/pytest-user")
    assert records[1]["ApprovalDescription"] == "ok"
    assert records[1]["LastModifiedBy"]["IamIdentity"]["Arn"] == records[1]["CreatedBy"]["IamIdentity"]["Arn"]


def test_raw_wire_shape(sm: Any) -> None:
    """The JSON on the wire, as @aws-sdk/client-sagemaker will parse it."""
    group = new_group(sm)
    arn = new_version(sm, group, CustomerMetadataProperties={"auc": "0.97"})
    captured: dict[str, Any] = {}
    sm.meta.events.register(
        "after-call.sagemaker.Search",
        lambda http_response, **_: captured.update(body=json.loads(http_response.content)),
    )
    search(sm, in_group(group))
    body = captured["body"]
    assert set(body) == {"Results"}  # no NextToken on the last page
    (result,) = body["Results"]
    assert set(result) == {"ModelPackage"}
    record = result["ModelPackage"]
    assert isinstance(record["CreationTime"], (int, float))  # epoch seconds, as AWS sends
    assert record["ModelPackageArn"] == arn
    assert record["ModelPackageVersion"] == 1
    assert record["CustomerMetadataProperties"] == {"auc": "0.97"}
    assert record["Tags"] == []
    assert {
        "ModelPackageGroupName",
        "ModelPackageVersion",
        "ModelPackageArn",
        "CreationTime",
        "InferenceSpecification",
        "ModelPackageStatus",
        "ModelPackageStatusDetails",
        "CertifyForMarketplace",
        "ModelApprovalStatus",
        "CreatedBy",
        "CustomerMetadataProperties",
        "Tags",
    } <= set(record)


def test_filter_by_group_name_returns_only_that_group(sm: Any, big_group: str) -> None:
    other = new_group(sm)
    new_version(sm, other)
    response = search(sm, in_group(other))
    assert [r["ModelPackage"]["ModelPackageGroupName"] for r in response["Results"]] == [other]


def test_version_range_is_numeric(sm: Any, big_group: str) -> None:
    response = search(
        sm,
        in_group(big_group),
        {"Name": "ModelPackageVersion", "Operator": "GreaterThanOrEqualTo", "Value": "9"},
        {"Name": "ModelPackageVersion", "Operator": "LessThanOrEqualTo", "Value": "10"},
        SortBy="ModelPackageVersion",
    )
    assert versions(response) == [10, 9]

    response = search(
        sm,
        in_group(big_group),
        {"Name": "ModelPackageVersion", "Operator": "GreaterThan", "Value": "98"},
        {"Name": "ModelPackageVersion", "Operator": "LessThan", "Value": "101"},
        SortBy="ModelPackageVersion",
        SortOrder="Ascending",
    )
    assert versions(response) == [99, 100]

    response = search(sm, in_group(big_group), {"Name": "ModelPackageVersion", "Value": "7"})
    assert versions(response) == [7]  # no Operator means Equals


def test_filter_by_approval_status(sm: Any, big_group: str) -> None:
    def matching(*filters: dict[str, str]) -> list[int]:
        response = search(
            sm,
        in_group(big_group),
        *filters,
        SortBy="ModelPackageVersion",
        SortOrder="Ascending",
        MaxResults=100,
        )
        return versions(response)

    approved = matching({"Name": "ModelApprovalStatus", "Operator": "Equals", "Value": "Approved"})
    assert approved == [v for v in range(1, BIG + 1) if status_of(v) == "Approved"]
    not_approved = matching({"Name": "ModelApprovalStatus", "Operator": "NotEquals", "Value": "Approved"})
    assert not_approved == [v for v in range(1, BIG + 1) if status_of(v) != "Approved"][:100]
    reviewed = matching({"Name": "ModelApprovalStatus", "Operator": "In", "Value": "Approved,Rejected"})
    assert reviewed == [v for v in range(1, BIG + 1) if status_of(v) != "PendingManualApproval"][:100]


def test_sort_by_creation_time_and_by_version(sm: Any, big_group: str) -> None:
    newest_first = search(sm, in_group(big_group), SortBy="CreationTime")  # Descending by default
    assert versions(newest_first) == list(range(BIG, BIG - 10, -1))  # 10 results by default
    oldest_first = search(sm, in_group(big_group), SortBy="CreationTime", SortOrder="Ascending")
    assert versions(oldest_first) == list(range(1, 11))
    by_version = search(
        sm, in_group(big_group), SortBy="ModelPackageVersion", SortOrder="Ascending", MaxResults=12
    )
    assert versions(by_version) == list(range(1, 13))  # 9 < 10 < 11: numeric, not "1" < "10" < "11" < "2"


def test_pagination_with_next_token(sm: Any, big_group: str) -> None:
    first = search(sm, in_group(big_group), SortBy="ModelPackageVersion", MaxResults=100)
    assert versions(first) == list(range(BIG, BIG - 100, -1))
    second = search(
        sm, in_group(big_group), SortBy="ModelPackageVersion", MaxResults=100, NextToken=first["NextToken"]
    )
    assert versions(second) == list(range(BIG - 100, 0, -1))
    assert "NextToken" not in second

    seen: list[int] = []
    kwargs: dict[str, Any] = {}
    while True:
        page = search(sm, in_group(big_group), SortBy="ModelPackageVersion", MaxResults=7, **kwargs)
        assert 1 <= len(page["Results"]) <= 7
        seen += versions(page)
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert seen == list(range(BIG, 0, -1))


def test_customer_metadata_properties(sm: Any, big_group: str) -> None:
    response = search(
        sm,
        in_group(big_group),
        {"Name": "CustomerMetadataProperties.version", "Operator": "In", "Value": "3,30,300"},
        SortBy="ModelPackageVersion",
    )
    assert versions(response) == [30, 3]
    assert response["Results"][0]["ModelPackage"]["CustomerMetadataProperties"] == {
        "version": "30",
        "parity": "even",
    }
    response = search(
        sm,
        in_group(big_group),
        {"Name": "CustomerMetadataProperties.version", "Operator": "Contains", "Value": "11"},
        {"Name": "CustomerMetadataProperties.parity", "Operator": "Equals", "Value": "odd"},
        SortBy="CustomerMetadataProperties.version",
        SortOrder="Ascending",
    )
    assert versions(response) == [11, 111, 113, 115, 117, 119]
    response = search(
        sm, in_group(big_group), {"Name": "CustomerMetadataProperties.missing", "Operator": "Exists"}
    )
    assert response["Results"] == []


def test_or_exists_and_sub_expressions(sm: Any, big_group: str) -> None:
    either = {
        "Operator": "Or",
        "Filters": [
            {"Name": "ModelPackageVersion", "Operator": "Equals", "Value": "2"},
            {"Name": "ModelPackageVersion", "Operator": "Equals", "Value": "5"},
        ],
    }
    response = search(
        sm, in_group(big_group), expression={"SubExpressions": [either]}, SortBy="ModelPackageVersion"
    )
    assert versions(response) == [5, 2]

    group = new_group(sm)
    reviewed = new_version(sm, group)
    new_version(sm, group)
    sm.update_model_package(ModelPackageArn=reviewed, ModelApprovalStatus="Rejected", ApprovalDescription="x")
    exists = search(sm, in_group(group), {"Name": "ApprovalDescription", "Operator": "Exists"})
    assert versions(exists) == [1]
    not_exists = search(sm, in_group(group), {"Name": "ApprovalDescription", "Operator": "NotExists"})
    assert versions(not_exists) == [2]
    by_arn = search(sm, {"Name": "ModelPackageArn", "Operator": "Equals", "Value": reviewed})
    assert versions(by_arn) == [1]


def test_filter_by_creation_time(sm: Any) -> None:
    group = new_group(sm)
    new_version(sm, group)
    time.sleep(0.05)
    between = datetime.now(timezone.utc)
    time.sleep(0.05)
    new_version(sm, group)
    iso = between.isoformat(timespec="milliseconds").replace("+00:00", "Z")  # as JS toISOString()
    after = search(sm, in_group(group), {"Name": "CreationTime", "Operator": "GreaterThan", "Value": iso})
    assert versions(after) == [2]
    naive = between.replace(tzinfo=None).isoformat()  # no zone: UTC
    before = search(
        sm, in_group(group), {"Name": "CreationTime", "Operator": "LessThanOrEqualTo", "Value": naive}
    )
    assert versions(before) == [1]


def test_only_versioned_packages_of_the_callers_account(sm: Any, accounts: Any) -> None:
    unversioned = sm.create_model_package(
        ModelPackageName=unique("unversioned"), InferenceSpecification=INFERENCE_SPEC
    )["ModelPackageArn"]
    by_arn = search(sm, {"Name": "ModelPackageArn", "Operator": "Equals", "Value": unversioned})
    assert by_arn["Results"] == []

    group = new_group(sm)
    new_version(sm, group)
    staging = accounts.client("sagemaker", account=STAGING)
    assert search(staging, in_group(group))["Results"] == []
    eu = accounts.client("sagemaker", region="eu-west-1")
    assert search(eu, in_group(group))["Results"] == []


def test_search_without_expression_lists_everything(sm: Any, big_group: str) -> None:
    response = sm.search(Resource="ModelPackage", MaxResults=100)
    assert len(response["Results"]) == 100
    assert "NextToken" in response


def one_filter(name: str, operator: str, value: str | None) -> dict[str, Any]:
    f = {"Name": name, "Operator": operator, **({} if value is None else {"Value": value})}
    return {"SearchExpression": {"Filters": [f]}}


@pytest.mark.parametrize(
    "request_",
    [
        one_filter("ModelPackageVersion", "Like", "1"),  # no such operator
        {"SearchExpression": {"Operator": "Xor", "Filters": [{"Name": "ModelPackageVersion", "Value": "1"}]}},
        one_filter("NoSuchProperty", "Equals", "1"),
        one_filter("ModelPackageVersion", "Equals", "ten"),
        one_filter("ModelPackageVersion", "Contains", "1"),  # text only
        one_filter("CreationTime", "LessThan", "yesterday"),
        one_filter("ModelApprovalStatus", "GreaterThan", "A"),  # not on text
        one_filter("ModelApprovalStatus", "Equals", None),
        one_filter("InferenceSpecification", "Equals", "x"),  # a structure: Exists/NotExists only
        {"SearchExpression": {"Filters": []}},
        {"MaxResults": 0},
        {"MaxResults": 101},
        {"SortOrder": "Sideways"},
        {"SortBy": "NoSuchProperty"},
        {"SortBy": "InferenceSpecification"},
        {"NextToken": "not-a-token"},
    ],
)
def test_invalid_input_is_a_validation_error(accounts: Any, request_: dict[str, Any]) -> None:
    # boto3 would refuse some of these itself; the JS SDK sends them as they are.
    sm = accounts.client("sagemaker", config=Config(parameter_validation=False))
    with pytest.raises(ClientError) as e:
        sm.search(Resource="ModelPackage", **request_)
    assert error_code(e) == "ValidationException"


def test_unknown_resource_is_a_validation_error(accounts: Any) -> None:
    sm = accounts.client("sagemaker", config=Config(parameter_validation=False))
    with pytest.raises(ClientError) as e:
        sm.search(Resource="Nothing")
    assert error_code(e) == "ValidationException"


def test_other_resources_keep_motos_search(sm: Any) -> None:
    group = new_group(sm)
    new_version(sm, group)
    response = sm.search(
        Resource="ModelPackageGroup",
        SearchExpression={"Filters": [in_group(group)]},
    )
    (record,) = response["Results"]
    assert record["ModelPackageGroup"]["ModelPackageGroupName"] == group
    assert record["ModelPackageGroup"]["ModelPackageGroupArn"] == (
        f"arn:aws:sagemaker:us-east-1:{REGISTRY}:model-package-group/{group}"
    )
