"""seed.py against its own server: the demo data, and idempotency."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from support import HERE, PRODUCTION, REGISTRY, STAGING, Accounts, Server, start_server, stop_server, unique

sys.path.insert(0, str(HERE))

from sagemaker_local import demo_data as dd  # noqa: E402

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


def test_seeded_groups_for_catalog_discovery(seeded: tuple[Server, list[str]]) -> None:
    server, _ = seeded
    accounts = Accounts(server.url)
    sm = accounts.client("sagemaker", STAGING)
    own = sm.list_model_package_groups()["ModelPackageGroupSummaryList"]
    assert [g["ModelPackageGroupName"] for g in own] == ["credit-risk"]
    tags = sm.list_tags(ResourceArn=own[0]["ModelPackageGroupArn"])["Tags"]
    assert {"Key": "owner", "Value": "ml-growth"} in tags
    assert len(sm.list_model_packages(ModelPackageGroupName="credit-risk")["ModelPackageSummaryList"]) == 3
    # Seeded twice, shared once.
    shared = sm.list_model_package_groups(CrossAccountFilterOption="CrossAccount")["ModelPackageGroupSummaryList"]
    assert [g["ModelPackageGroupArn"] for g in shared] == [
        "arn:aws:sagemaker:us-east-1:444444444444:model-package-group/partner-fraud-signals"
    ]
    assert len(accounts.client("ram", "444444444444").get_resource_shares(resourceOwner="SELF")["resourceShares"]) == 1


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


def test_churn_prediction_is_registered_as_the_sdk_pipelines_do(seeded: tuple[Server, list[str]]) -> None:
    server, _ = seeded
    accounts = Accounts(server.url)
    sm = accounts.client("sagemaker", REGISTRY)
    arn = f"arn:aws:sagemaker:us-east-1:{REGISTRY}:model-package/churn-prediction/"
    newest = sm.describe_model_package(ModelPackageName=arn + "12")
    assert not {"accuracy", "auc", "f1", "precision", "recall"} & newest["CustomerMetadataProperties"].keys()
    reports = {f"{s}.{n}": v["S3Uri"] for s, kinds in newest["ModelMetrics"].items() for n, v in kinds.items()}
    assert set(reports) == {"ModelQuality.Statistics", "Bias.Report", "Explainability.Report"}
    assert newest["MetadataProperties"]["GeneratedBy"].startswith(
        f"arn:aws:sagemaker:us-east-1:{REGISTRY}:training-job/churn-prediction-train-"
    )
    assert newest["DriftCheckBaselines"]["ModelQuality"]["Constraints"]["S3Uri"].endswith("/constraints.json")
    card = json.loads(newest["ModelCard"]["ModelCardContent"])
    assert card["intended_uses"]["risk_rating"] == "Medium"
    oldest = sm.describe_model_package(ModelPackageName=arn + "1")
    assert set(oldest["ModelMetrics"]) == {"ModelQuality"} and "ModelCard" not in oldest
    s3 = accounts.client("s3", REGISTRY)
    for uri in reports.values():
        bucket, key = uri[len("s3://") :].split("/", 1)
        assert json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())


def test_seed_creates_roles_in_each_account(seeded: tuple[Server, list[str]]) -> None:
    server, _ = seeded
    accounts = Accounts(server.url)
    for account in (STAGING, PRODUCTION):
        iam = accounts.client("iam", account)
        role = iam.get_role(RoleName="SageMakerExecutionRole")["Role"]
        assert role["Arn"] == f"arn:aws:iam::{account}:role/SageMakerExecutionRole"
        assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
            "Service": "sagemaker.amazonaws.com"
        }
        assert iam.list_role_policies(RoleName="SageMakerExecutionRole")["PolicyNames"] == [
            "ModelArtifactsAccess"
        ]
        assert iam.list_role_policies(RoleName="BackstageSageMakerAccess")["PolicyNames"] == [
            "SageMakerDeploy"
        ]
        deploy = iam.get_role_policy(RoleName="BackstageSageMakerAccess", PolicyName="SageMakerDeploy")
        pass_role = next(
            s for s in deploy["PolicyDocument"]["Statement"] if s["Sid"] == "PassExecutionRoleToSageMaker"
        )
        assert pass_role["Resource"] == f"arn:aws:iam::{account}:role/SageMakerExecutionRole"
    registry_iam = accounts.client("iam", REGISTRY)
    assert registry_iam.list_role_policies(RoleName="BackstageSageMakerAccess")["PolicyNames"] == [
        "RegistryReadAndReview"
    ]


def test_seed_creates_artifacts_keys_and_repository(seeded: tuple[Server, list[str]]) -> None:
    server, _ = seeded
    accounts = Accounts(server.url)
    s3 = accounts.client("s3", REGISTRY)
    key_arn = f"arn:aws:kms:us-east-1:{REGISTRY}:key/"
    keys = {
        "alias/ml-models-artifacts": key_arn + "3a1d9c2e-7f4b-4e8a-b6c5-0d9e8f7a6b51",
        "alias/demand-forecast-artifacts": key_arn + "8c4e2a91-5d3f-4b7e-a2c6-9e1f0b3d7a42",
    }
    for group, version, alias, report in (
        ("fraud-detection", 200, "alias/ml-models-artifacts", "evaluation/statistics.json"),
        ("churn-prediction", 1, "alias/ml-models-artifacts", "evaluation.json"),
        ("demand-forecast", 8, "alias/demand-forecast-artifacts", "evaluation/statistics.json"),
    ):
        for key in (f"{group}/v{version}/model.tar.gz", f"{group}/v{version}/{report}"):
            head = s3.head_object(Bucket="ml-models-111111111111", Key=key)
            assert head["ServerSideEncryption"] == "aws:kms"
            assert head["SSEKMSKeyId"] == keys[alias], key
    listed = [
        o
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket="ml-models-111111111111")
        for o in page.get("Contents", [])
    ]
    # Model and statistics of every us-east-1 version; churn-prediction's (SDK pipeline)
    # also a constraints baseline, and bias and explainability for its newest 6.
    assert len(listed) == 2 * (200 + 8) + 3 * 12 + 2 * 6
    # The registry's role reads them (s3:GetObject and kms:Decrypt), in SageMaker's format.
    statistics = s3.get_object(
        Bucket="ml-models-111111111111", Key="fraud-detection/v7/evaluation/statistics.json"
    )
    metrics = json.loads(statistics["Body"].read())["binary_classification_metrics"]
    assert {"accuracy", "auc", "f1", "precision", "recall", "confusion_matrix"} <= set(metrics)
    assert set(metrics["auc"]) == {"value", "standard_deviation"}
    eu_s3 = accounts.client("s3", REGISTRY, "eu-west-1")
    eu_s3.head_object(Bucket="ml-models-111111111111-eu-west-1", Key="image-classifier/v5/model.tar.gz")
    assert (
        eu_s3.get_bucket_location(Bucket="ml-models-111111111111-eu-west-1")["LocationConstraint"]
        == "eu-west-1"
    )

    bucket_policy = json.loads(s3.get_bucket_policy(Bucket="ml-models-111111111111")["Policy"])
    assert bucket_policy["Statement"][0]["Principal"]["AWS"] == [
        f"arn:aws:iam::{STAGING}:role/SageMakerExecutionRole",
        f"arn:aws:iam::{PRODUCTION}:role/SageMakerExecutionRole",
    ]
    kms = accounts.client("kms", REGISTRY)
    for alias, arn in keys.items():
        assert kms.describe_key(KeyId=alias)["KeyMetadata"]["Arn"] == arn
    demand_policy = json.loads(
        kms.get_key_policy(KeyId=keys["alias/demand-forecast-artifacts"], PolicyName="default")["Policy"]
    )
    assert demand_policy["Statement"][1]["Principal"]["AWS"] == [
        f"arn:aws:iam::{STAGING}:role/SageMakerExecutionRole"
    ]

    ecr = accounts.client("ecr", REGISTRY)
    repository = ecr.describe_repositories(repositoryNames=["demand-forecast-inference"])["repositories"][0]
    assert (
        repository["repositoryArn"]
        == f"arn:aws:ecr:us-east-1:{REGISTRY}:repository/demand-forecast-inference"
    )
    ecr.describe_images(repositoryName="demand-forecast-inference", imageIds=[{"imageTag": "2.1.0"}])
    assert (
        "ecr:BatchGetImage"
        in ecr.get_repository_policy(repositoryName="demand-forecast-inference")["policyText"]
    )
    package = accounts.client("sagemaker", REGISTRY).describe_model_package(
        ModelPackageName=f"arn:aws:sagemaker:us-east-1:{REGISTRY}:model-package/demand-forecast/3"
    )
    assert package["InferenceSpecification"]["Containers"][0]["Image"] == (
        f"{REGISTRY}.dkr.ecr.us-east-1.amazonaws.com/demand-forecast-inference:2.1.0"
    )


def test_seed_creates_production_network_with_the_configured_ids(seeded: tuple[Server, list[str]]) -> None:
    server, _ = seeded
    accounts = Accounts(server.url)
    ec2 = accounts.client("ec2", PRODUCTION)
    subnets = ec2.describe_subnets(SubnetIds=["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"])[
        "Subnets"
    ]
    assert {s["VpcId"] for s in subnets} == {"vpc-0a1b2c3d4e5f60000"}
    group = ec2.describe_security_groups(GroupIds=["sg-0a1b2c3d4e5f60003"])["SecurityGroups"][0]
    assert group["VpcId"] == "vpc-0a1b2c3d4e5f60000"
    key = accounts.client("kms", PRODUCTION).describe_key(
        KeyId="arn:aws:kms:us-east-1:333333333333:key/2f9c1d7e-5b8a-4c3e-9f10-6d2b7a8e4c11"
    )
    assert key["KeyMetadata"]["Enabled"]


def test_seed_creates_production_rollback_alarm_in_ok(seeded: tuple[Server, list[str]]) -> None:
    server, outputs = seeded
    cloudwatch = Accounts(server.url).client("cloudwatch", PRODUCTION)
    alarms = cloudwatch.describe_alarms(AlarmNames=["production-invocation-5xx"])["MetricAlarms"]
    assert [(a["StateValue"], a["Namespace"], a["MetricName"]) for a in alarms] == [
        ("OK", "AWS/SageMaker", "Invocation5XXErrors")
    ]
    assert "cloudwatch alarm production-invocation-5xx (OK)" in outputs[-1]
    elsewhere = Accounts(server.url).client("cloudwatch", STAGING)
    assert elsewhere.describe_alarms(AlarmNames=["production-invocation-5xx"])["MetricAlarms"] == []


def latest_approved(accounts: Accounts, group: str) -> str:
    listed = versions(accounts, "us-east-1", group)
    approved = [v for v in listed if v["ModelApprovalStatus"] == "Approved"]
    return max(approved, key=lambda v: v["ModelPackageVersion"])["ModelPackageArn"]


def start_deploy(accounts: Accounts, package: str, target: str) -> tuple[Any, str]:
    """What the plugin does, as BackstageSageMakerAccess of the target. Returns (client, endpoint)."""
    sm = accounts.client("sagemaker", target)
    name = unique("demo")
    sm.create_model(
        ModelName=name,
        ExecutionRoleArn=f"arn:aws:iam::{target}:role/SageMakerExecutionRole",
        Containers=[{"ModelPackageName": package}],
    )
    sm.create_endpoint_config(
        EndpointConfigName=name,
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": name,
                "InitialInstanceCount": 1,
                "InstanceType": "ml.m5.xlarge",
            }
        ],
    )
    sm.create_endpoint(EndpointName=name, EndpointConfigName=name)
    return sm, name


def wait(sm: Any, name: str) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while True:
        described = sm.describe_endpoint(EndpointName=name)
        if described["EndpointStatus"] not in ("Creating", "Updating") or time.monotonic() > deadline:
            return described
        time.sleep(0.1)


def test_demo_deploys_fail_only_for_demand_forecast_to_production(seeded: tuple[Server, list[str]]) -> None:
    server, _ = seeded
    accounts = Accounts(server.url)
    started = {
        (group, target): start_deploy(accounts, latest_approved(accounts, group), target)
        for group in ("fraud-detection", "churn-prediction", "demand-forecast")
        for target in (STAGING, PRODUCTION)
    }
    outcomes = {key: wait(*value) for key, value in started.items()}
    failed = {key: d["FailureReason"] for key, d in outcomes.items() if d["EndpointStatus"] != "InService"}
    package = latest_approved(accounts, "demand-forecast")
    version = package.rsplit("/", 1)[1]
    key = f"arn:aws:kms:us-east-1:{REGISTRY}:key/8c4e2a91-5d3f-4b7e-a2c6-9e1f0b3d7a42"
    url = f"s3://ml-models-111111111111/demand-forecast/v{version}/model.tar.gz"
    assert failed == {
        ("demand-forecast", PRODUCTION): (
            f"Could not access model data at {url}: the execution role "
            f'"arn:aws:iam::{PRODUCTION}:role/SageMakerExecutionRole" is not authorized to perform '
            f"kms:Decrypt on the KMS key {key} that encrypts it. Please ensure that the key policy and "
            "the role's identity-based policies allow kms:Decrypt."
        )
    }

    # The fix the README gives: the key-policy statement naming production's execution role too.
    kms = accounts.client("kms", REGISTRY)
    original = kms.get_key_policy(KeyId=key, PolicyName="default")["Policy"]
    fixed = json.loads(original)
    fixed["Statement"][1] = dd.missing_grant_statement()
    kms.put_key_policy(KeyId=key, PolicyName="default", Policy=json.dumps(fixed))
    try:
        assert wait(*start_deploy(accounts, package, PRODUCTION))["EndpointStatus"] == "InService"
    finally:
        kms.put_key_policy(KeyId=key, PolicyName="default", Policy=original)


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
