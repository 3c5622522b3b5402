"""seed.py against its own server: the demo data, and idempotency."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from support import HERE, PRODUCTION, REGISTRY, STAGING, Accounts, Server, start_server, stop_server

EXPECTED = {
    ("us-east-1", "fraud-detection"): 200,
    ("us-east-1", "churn-prediction"): 12,
    ("us-east-1", "demand-forecast"): 8,
    ("eu-west-1", "image-classifier"): 5,
}


@pytest.fixture(scope="module")
def seeded() -> Iterator[tuple[Server, list[str]]]:
    server = start_server()
    try:
        outputs = [run_seed(server), run_seed(server)]
        yield server, outputs
    finally:
        stop_server(server)


def run_seed(server: Server, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(HERE / "seed.py"), "--endpoint", server.url, *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def versions(accounts: Accounts, region: str, group: str) -> list[dict[str, Any]]:
    sm = accounts.client("sagemaker", REGISTRY, region)
    return [
        summary
        for page in sm.get_paginator("list_model_packages").paginate(ModelPackageGroupName=group)
        for summary in page["ModelPackageSummaryList"]
    ]


def test_seed_twice_gives_the_same_data_without_duplicates(seeded: tuple[Server, list[str]]) -> None:
    server, (first, second) = seeded
    accounts = Accounts(server.url)
    # Same summary both times (bar the timing line).
    assert first.splitlines()[1:] == second.splitlines()[1:]
    for (region, group), count in EXPECTED.items():
        listed = versions(accounts, region, group)
        assert sorted(v["ModelPackageVersion"] for v in listed) == list(range(1, count + 1)), group
        assert len({v["ModelPackageArn"] for v in listed}) == count


def test_seeded_groups_have_the_catalog_arns(seeded: tuple[Server, list[str]]) -> None:
    server, _ = seeded
    accounts = Accounts(server.url)
    for region, group in EXPECTED:
        arn = f"arn:aws:sagemaker:{region}:{REGISTRY}:model-package-group/{group}"
        described = accounts.client("sagemaker", REGISTRY, region).describe_model_package_group(
            ModelPackageGroupName=arn
        )
        assert described["ModelPackageGroupArn"] == arn
    # image-classifier lives only in eu-west-1.
    us = [
        g["ModelPackageGroupName"]
        for g in accounts.client("sagemaker", REGISTRY).list_model_package_groups()[
            "ModelPackageGroupSummaryList"
        ]
    ]
    assert "image-classifier" not in us


def test_seeded_versions_are_realistic(seeded: tuple[Server, list[str]]) -> None:
    server, _ = seeded
    accounts = Accounts(server.url)
    listed = versions(accounts, "us-east-1", "fraud-detection")
    statuses = [v["ModelApprovalStatus"] for v in sorted(listed, key=lambda v: v["ModelPackageVersion"])]
    assert statuses[-3:] == ["PendingManualApproval"] * 3
    assert {"Approved", "Rejected"} <= set(statuses[:-3]) and "PendingManualApproval" not in statuses[:-3]

    sm = accounts.client("sagemaker", REGISTRY)
    arns = [f"arn:aws:sagemaker:us-east-1:{REGISTRY}:model-package/fraud-detection/{n}" for n in (1, 2, 200)]
    batch = sm.batch_describe_model_package(ModelPackageArnList=arns)["ModelPackageSummaries"]
    assert set(batch) == set(arns)
    spec = batch[arns[2]]["InferenceSpecification"]
    assert (
        spec["Containers"][0]["ModelDataUrl"]
        == "s3://ml-models-111111111111/fraud-detection/v200/model.tar.gz"
    )
    assert {"ml.m5.large", "ml.m5.xlarge", "ml.c5.xlarge"} <= set(
        spec["SupportedRealtimeInferenceInstanceTypes"]
    )

    described = sm.describe_model_package(ModelPackageName=arns[0])
    props = described["CustomerMetadataProperties"]
    assert {
        "accuracy",
        "auc",
        "f1",
        "precision",
        "recall",
        "training_job",
        "git_commit",
        "dataset",
    } <= props.keys()
    assert 0.5 < float(props["auc"]) < 1
    assert described["ApprovalDescription"]
    assert described["ModelMetrics"]["ModelQuality"]["Statistics"]["ContentType"] == "application/json"
    assert described["CreatedBy"]["IamIdentity"]["Arn"].startswith(
        f"arn:aws:sts::{REGISTRY}:assumed-role/BackstageSageMakerAccess/"
    )

    # Metrics trend upward across versions (averaged, as single versions are noisy).
    aucs = [
        float(sm.describe_model_package(ModelPackageName=a)["CustomerMetadataProperties"]["auc"])
        for a in (
            f"arn:aws:sagemaker:us-east-1:{REGISTRY}:model-package/fraud-detection/{n}"
            for n in list(range(1, 11)) + list(range(181, 191))
        )
    ]
    assert sum(aucs[10:]) > sum(aucs[:10])

    policy = sm.get_model_package_group_policy(ModelPackageGroupName="fraud-detection")["ResourcePolicy"]
    assert STAGING in policy and PRODUCTION in policy


def test_seed_creates_roles_in_each_account(seeded: tuple[Server, list[str]]) -> None:
    server, _ = seeded
    accounts = Accounts(server.url)
    for account in (STAGING, PRODUCTION):
        role = accounts.client("iam", account).get_role(RoleName="SageMakerExecutionRole")["Role"]
        assert role["Arn"] == f"arn:aws:iam::{account}:role/SageMakerExecutionRole"
    for account in (REGISTRY, STAGING, PRODUCTION):
        accounts.client("iam", account).get_role(RoleName="BackstageSageMakerAccess")


def test_seed_reset_starts_over(seeded: tuple[Server, list[str]]) -> None:
    server, _ = seeded
    accounts = Accounts(server.url)
    sm = accounts.client("sagemaker", REGISTRY)
    sm.create_model_package_group(ModelPackageGroupName="leftover")
    run_seed(server, "--reset")
    # The reset wiped the access keys too: assume the role again.
    sm = Accounts(server.url).client("sagemaker", REGISTRY)
    names = {
        g["ModelPackageGroupName"] for g in sm.list_model_package_groups()["ModelPackageGroupSummaryList"]
    }
    assert names == {"fraud-detection", "churn-prediction", "demand-forecast"}
    assert len(versions(Accounts(server.url), "us-east-1", "fraud-detection")) == 200
