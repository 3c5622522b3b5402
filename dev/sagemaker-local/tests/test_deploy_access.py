"""Access checks on the deploy path (sagemaker_local/access.py), through boto3.

Each test builds a cross-account world (tests/worlds.py) with every grant but one,
shows the deploy fails the way AWS fails it, adds exactly that grant through the
AWS API, and shows the deploy then reaches InService.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from support import (
    NO_RETRIES,
    PRODUCTION,
    REGISTRY,
    STAGING,
    Accounts,
    Server,
    start_server,
    stop_server,
    unique,
)
from worlds import (
    GRANTS,
    PUBLIC_IMAGE,
    World,
    create_config,
    create_model,
    cross_account_world,
    deploy,
    document,
    grant,
    put_object,
    settled,
    statement,
    trust,
)

SAGEMAKER = "sagemaker.amazonaws.com"
DEFAULT_ACCOUNT = "123456789012"  # where moto puts requests signed with static keys
IMAGE_FAILURE = (
    "Please make sure all images included in the model for the production variant AllTraffic exist, "
    "and that the execution role used to create the model has permissions to access them."
)


def s3_failure(url: str, role_arn: str, region: str = "us-east-1") -> str:
    return (
        f'Could not access model data at {url}. Please ensure that the role "{role_arn}" exists and that its '
        'trust relationship policy allows the action "sts:AssumeRole" for the service principal '
        f'"sagemaker.amazonaws.com". Also ensure that the role has "s3:GetObject" permissions and that the '
        f"object is located in {region}."
    )


def kms_failure(world: World) -> str:
    return (
        f"Could not access model data at {world.model_data_url}: "
        f'the execution role "{world.execution_role_arn}" is not authorized to perform kms:Decrypt '
        f"on the KMS key {world.key_arn} that encrypts it. Please ensure that the key policy and the "
        "role's identity-based policies allow kms:Decrypt."
    )


def caller_arn(world: World) -> str:
    return f"arn:aws:sts::{world.target}:assumed-role/{world.caller_role}/pytest-user"


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    s = start_server(SAGEMAKER_LOCAL_ENDPOINT_DELAY_SECONDS="0.05")
    yield s
    stop_server(s)


@pytest.fixture(scope="module")
def admin(server: Server) -> Accounts:
    return Accounts(server.url)


def refused(world: World, package_arn: str | None = None) -> dict[str, Any]:
    """The error of a CreateModel that must fail."""
    with pytest.raises(ClientError) as e:
        create_model(world, package_arn)
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return e.value.response["Error"]


def test_a_world_with_every_grant_deploys(admin: Accounts) -> None:
    world = cross_account_world(admin, PRODUCTION)
    described = deploy(world)
    assert described["EndpointStatus"] == "InService"
    assert "FailureReason" not in described


# --- R1: the model package group's resource policy --------------------------------------


def test_r1_group_policy(admin: Accounts) -> None:
    world = cross_account_world(admin, skip=("group-policy",))
    error = refused(world)
    assert error == {
        "Code": "AccessDeniedException",
        "Message": (
            f"User: {caller_arn(world)} is not authorized to perform: sagemaker:CreateModel on resource: "
            f"{world.package_arn} because no resource-based policy allows the sagemaker:CreateModel action"
        ),
    }
    grant(world, "group-policy")
    assert deploy(world)["EndpointStatus"] == "InService"


def test_r1_group_policy_for_another_account_or_with_a_deny(admin: Accounts) -> None:
    world = cross_account_world(admin, target=STAGING)
    sm = admin.client("sagemaker", REGISTRY)
    versions = world.package_arn.rsplit("/", 1)[0] + "/*"
    production_only = statement("sagemaker:CreateModel", versions, principal={"AWS": PRODUCTION})
    sm.put_model_package_group_policy(
        ModelPackageGroupName=world.group, ResourcePolicy=document(production_only)
    )
    assert "because no resource-based policy allows" in refused(world)["Message"]

    deny = {**statement("sagemaker:CreateModel", versions, principal={"AWS": STAGING}), "Effect": "Deny"}
    everyone = statement("sagemaker:CreateModel", versions, principal="*")
    sm.put_model_package_group_policy(
        ModelPackageGroupName=world.group, ResourcePolicy=document(everyone, deny)
    )
    assert refused(world)["Message"] == (
        f"User: {caller_arn(world)} is not authorized to perform: sagemaker:CreateModel on resource: "
        f"{world.package_arn} with an explicit deny in a resource-based policy"
    )


def test_r1_unknown_package(admin: Accounts) -> None:
    world = cross_account_world(admin)
    missing = world.package_arn[: -len("/1")] + "/99"
    assert refused(world, missing) == {
        "Code": "ValidationException",
        "Message": f"ModelPackage {missing} does not exist.",
    }


def test_r1_package_in_another_region(admin: Accounts) -> None:
    world = cross_account_world(admin)
    eu = admin.client("sagemaker", REGISTRY, "eu-west-1")
    group = unique("eu-group")
    eu.create_model_package_group(ModelPackageGroupName=group)
    eu_package = eu.create_model_package(
        ModelPackageGroupName=group,
        InferenceSpecification={
            "Containers": [{"Image": world.image, "ModelDataUrl": world.model_data_url}],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["application/json"],
        },
    )["ModelPackageArn"]
    eu.put_model_package_group_policy(
        ModelPackageGroupName=group,
        ResourcePolicy=document(
            statement("sagemaker:CreateModel", eu_package, principal={"AWS": f"arn:aws:iam::{STAGING}:root"})
        ),
    )
    assert refused(world, eu_package) == {
        "Code": "ValidationException",
        "Message": (
            f"Model package {eu_package} is in region eu-west-1, but the model is being created in region "
            "us-east-1. A model can only use a model package of its own region."
        ),
    }
    # The fix: the version registered in the endpoint's region (the world's own package).
    assert deploy(world)["EndpointStatus"] == "InService"


# --- R2: the execution role's trust policy -------------------------------------------------


def test_r2_trust_policy(admin: Accounts) -> None:
    world = cross_account_world(admin, skip=("trust",))  # the role trusts ec2.amazonaws.com instead
    message = (
        f"Could not assume role {world.execution_role_arn}. Please ensure that the role exists and allows "
        "principal 'sagemaker.amazonaws.com' to assume the role."
    )
    assert refused(world) == {"Code": "ValidationException", "Message": message}
    grant(world, "trust")
    assert deploy(world)["EndpointStatus"] == "InService"


def test_r2_missing_role(admin: Accounts) -> None:
    world = cross_account_world(admin)
    world.execution_role = unique("no-such-role")
    grant(world, "pass-role")  # may pass it, but it does not exist
    assert refused(world)["Message"].startswith(f"Could not assume role {world.execution_role_arn}.")


# --- R3: iam:PassRole ------------------------------------------------------------------


def test_r3_pass_role(admin: Accounts) -> None:
    world = cross_account_world(admin, skip=("pass-role",))
    assert refused(world) == {
        "Code": "AccessDeniedException",
        "Message": (
            f"User: {caller_arn(world)} is not authorized to perform: iam:PassRole on resource: "
            f"{world.execution_role_arn} because no identity-based policy allows the iam:PassRole action"
        ),
    }
    grant(world, "pass-role")
    assert deploy(world)["EndpointStatus"] == "InService"


def test_r3_pass_role_condition_and_explicit_deny(admin: Accounts) -> None:
    world = cross_account_world(admin, skip=("pass-role",))
    iam = admin.client("iam", world.target)
    to_ec2 = statement(
        "iam:PassRole",
        world.execution_role_arn,
        Condition={"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}},
    )
    iam.put_role_policy(RoleName=world.caller_role, PolicyName="PassToEc2", PolicyDocument=document(to_ec2))
    assert "because no identity-based policy allows the iam:PassRole action" in refused(world)["Message"]

    grant(world, "pass-role")
    no_pass = {**statement("iam:PassRole", "*"), "Effect": "Deny"}
    iam.put_role_policy(RoleName=world.caller_role, PolicyName="NoPassRole", PolicyDocument=document(no_pass))
    assert refused(world)["Message"] == (
        f"User: {caller_arn(world)} is not authorized to perform: iam:PassRole on resource: "
        f"{world.execution_role_arn} with an explicit deny in an identity-based policy"
    )
    iam.delete_role_policy(RoleName=world.caller_role, PolicyName="NoPassRole")
    assert deploy(world)["EndpointStatus"] == "InService"


def test_r3_managed_policy_counts(admin: Accounts) -> None:
    world = cross_account_world(admin, skip=("pass-role",))
    iam = admin.client("iam", world.target)
    arn = iam.create_policy(
        PolicyName=unique("pass"),
        PolicyDocument=document(
            statement(
                "iam:PassRole",
                world.execution_role_arn,
                Condition={"StringEquals": {"iam:PassedToService": SAGEMAKER}},
            )
        ),
    )["Policy"]["Arn"]
    iam.attach_role_policy(RoleName=world.caller_role, PolicyArn=arn)
    assert deploy(world)["EndpointStatus"] == "InService"


# --- R4: what the endpoint's instances read, checked as the endpoint settles ----------------


@pytest.mark.parametrize("missing", ["ecr-repo-policy", "ecr-identity"])
def test_r4_ecr(admin: Accounts, missing: str) -> None:
    world = cross_account_world(admin, skip=(missing,))
    described = deploy(world)
    assert described["EndpointStatus"] == "Failed"
    assert described["FailureReason"] == IMAGE_FAILURE
    grant(world, missing)
    assert deploy(world)["EndpointStatus"] == "InService"


def test_r4_ecr_missing_repository(admin: Accounts) -> None:
    world = cross_account_world(admin)
    admin.client("ecr", REGISTRY).delete_repository(repositoryName=world.repository, force=True)
    assert deploy(world)["FailureReason"] == IMAGE_FAILURE


@pytest.mark.parametrize("missing", ["s3-bucket-policy", "s3-identity"])
def test_r4_s3(admin: Accounts, missing: str) -> None:
    world = cross_account_world(admin, skip=(missing,))
    described = deploy(world)
    assert described["EndpointStatus"] == "Failed"
    assert described["FailureReason"] == s3_failure(world.model_data_url, world.execution_role_arn)
    grant(world, missing)
    assert deploy(world)["EndpointStatus"] == "InService"


def test_r4_s3_object_in_another_region(admin: Accounts) -> None:
    world = cross_account_world(admin)
    bucket = unique("eu-models")
    url = f"s3://{bucket}/model.tar.gz"
    eu_s3 = admin.client("s3", REGISTRY, "eu-west-1")
    put_object(eu_s3, bucket, "model.tar.gz", "eu-west-1")
    eu_s3.put_bucket_policy(
        Bucket=bucket,
        Policy=document(
            statement("s3:GetObject", f"arn:aws:s3:::{bucket}/*", principal={"AWS": world.execution_role_arn})
        ),
    )
    admin.client("iam", world.target).put_role_policy(
        RoleName=world.execution_role,
        PolicyName="ReadEuModelData",
        PolicyDocument=document(statement("s3:GetObject", f"arn:aws:s3:::{bucket}/*")),
    )
    sm = admin.client("sagemaker", REGISTRY)
    package = sm.create_model_package(
        ModelPackageGroupName=world.group,
        InferenceSpecification={
            "Containers": [{"Image": world.image, "ModelDataUrl": url}],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["application/json"],
        },
    )["ModelPackageArn"]
    deployer = world.sagemaker()
    model = create_model(world, package)
    endpoint = unique("ep")
    deployer.create_endpoint(EndpointName=endpoint, EndpointConfigName=create_config(deployer, model))
    assert settled(deployer, endpoint)["FailureReason"] == s3_failure(url, world.execution_role_arn)
    # Version 1, with its data in us-east-1, deploys.
    assert deploy(world)["EndpointStatus"] == "InService"


@pytest.mark.parametrize("missing", ["kms-key-policy", "kms-identity"])
def test_r4_kms(admin: Accounts, missing: str) -> None:
    world = cross_account_world(admin, skip=(missing,))
    described = deploy(world)
    assert described["EndpointStatus"] == "Failed"
    assert described["FailureReason"] == kms_failure(world)
    grant(world, missing)
    assert deploy(world)["EndpointStatus"] == "InService"


def test_r4_kms_key_from_the_bucket_default_and_by_alias(admin: Accounts) -> None:
    world = cross_account_world(admin, skip=("kms-key-policy",))
    kms = admin.client("kms", REGISTRY)
    alias = f"alias/{unique('models')}"
    kms.create_alias(AliasName=alias, TargetKeyId=world.key_arn)
    s3 = admin.client("s3", REGISTRY)
    s3.put_bucket_encryption(
        Bucket=world.bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [
                {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": alias}}
            ]
        },
    )
    key = world.model_data_url.split("/", 3)[3]
    s3.put_object(Bucket=world.bucket, Key=key, Body=b"model")  # encrypted by the bucket default, the alias
    assert s3.head_object(Bucket=world.bucket, Key=key)["SSEKMSKeyId"] == alias
    assert deploy(world)["FailureReason"] == kms_failure(world)  # the alias resolved to the key ARN
    grant(world, "kms-key-policy")
    assert deploy(world)["EndpointStatus"] == "InService"


def test_r4_fails_an_update_too(admin: Accounts) -> None:
    world = cross_account_world(admin)
    sm = world.sagemaker()
    old_config = create_config(sm, create_model(world))
    endpoint = unique("ep")
    sm.create_endpoint(EndpointName=endpoint, EndpointConfigName=old_config)
    assert settled(sm, endpoint)["EndpointStatus"] == "InService"

    # The registry revokes the execution role's decrypt grant; the next deploy fails.
    admin.client("kms", REGISTRY).put_key_policy(
        KeyId=world.key_arn,
        PolicyName="default",
        Policy=document(statement("kms:*", "*", principal={"AWS": f"arn:aws:iam::{REGISTRY}:root"})),
    )
    sm.update_endpoint(EndpointName=endpoint, EndpointConfigName=create_config(sm, create_model(world)))
    described = settled(sm, endpoint)
    assert described["EndpointStatus"] == "Failed"
    assert described["FailureReason"] == kms_failure(world)
    assert described["EndpointConfigName"] == old_config


def test_armed_failure_and_fail_pattern_still_come_first(admin: Accounts, server: Server) -> None:
    world = cross_account_world(admin, skip=("kms-key-policy",))
    sm = world.sagemaker()
    config = create_config(sm, create_model(world))
    name = unique("ep")
    server.post(f"/_sagemaker-local/endpoints/{world.target}/us-east-1/{name}/fail", {"reason": "armed"})
    sm.create_endpoint(EndpointName=name, EndpointConfigName=config)
    assert settled(sm, name)["FailureReason"] == "armed"
    doomed = unique("x-force-fail")
    sm.create_endpoint(EndpointName=doomed, EndpointConfigName=config)
    assert "ping health check" in settled(sm, doomed)["FailureReason"]


def test_errors_are_json_with_the_error_type_header(admin: Accounts) -> None:
    world = cross_account_world(admin, skip=("pass-role",))
    with pytest.raises(ClientError) as e:
        create_model(world)
    headers = e.value.response["ResponseMetadata"]["HTTPHeaders"]
    assert headers["x-amzn-errortype"].startswith("AccessDeniedException")
    assert headers["content-type"].startswith("application/x-amz-json") or "json" in headers["content-type"]


def test_the_grants_read_back_as_on_aws(admin: Accounts) -> None:
    """What a preflight reads: GetKeyPolicy needs no PolicyName on AWS (moto wanted one)."""
    world = cross_account_world(admin)
    kms = admin.client("kms", REGISTRY)
    policy = json.loads(kms.get_key_policy(KeyId=world.key_arn)["Policy"])
    assert policy["Statement"][1]["Principal"] == {"AWS": world.execution_role_arn}
    assert kms.list_key_policies(KeyId=world.key_arn)["PolicyNames"] == ["default"]
    with pytest.raises(ClientError):
        kms.get_key_policy(KeyId=world.key_arn, PolicyName="other")
    assert (
        world.execution_role_arn
        in admin.client("s3", REGISTRY).get_bucket_policy(Bucket=world.bucket)["Policy"]
    )
    ecr = admin.client("ecr", REGISTRY)
    assert (
        world.execution_role_arn in ecr.get_repository_policy(repositoryName=world.repository)["policyText"]
    )


# --- switched off ------------------------------------------------------------------------


def test_enforcement_off_lets_an_ungranted_deploy_through() -> None:
    server = start_server(SAGEMAKER_LOCAL_ENDPOINT_DELAY_SECONDS="0.05", SAGEMAKER_LOCAL_ENFORCE_ACCESS="0")
    try:
        assert server.get("/_sagemaker-local/health")[1]["enforceAccess"] is False
        assert "access checks off" in server.output()
        world = cross_account_world(Accounts(server.url), skip=GRANTS)
        assert deploy(world)["EndpointStatus"] == "InService"
    finally:
        stop_server(server)


def test_static_credentials_are_the_accounts_root(server: Server) -> None:
    """Static keys act as their account's root (moto's default account): R3 does not apply, R2 does."""
    static = {
        "endpoint_url": server.url,
        "region_name": "us-east-1",
        "aws_access_key_id": "test",
        "aws_secret_access_key": "test",
        "config": NO_RETRIES,
    }
    sm, iam = boto3.client("sagemaker", **static), boto3.client("iam", **static)
    name = unique("exec")
    role = f"arn:aws:iam::{DEFAULT_ACCOUNT}:role/{name}"
    model = {"ExecutionRoleArn": role, "Containers": [{"Image": PUBLIC_IMAGE}]}
    with pytest.raises(ClientError) as e:
        sm.create_model(ModelName=unique("m"), **model)
    assert e.value.response["Error"]["Message"].startswith(f"Could not assume role {role}.")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust())
    sm.create_model(ModelName=unique("m"), **model)  # no iam:PassRole needed
