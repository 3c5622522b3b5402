"""The IAM policy evaluator (sagemaker_local/policy.py), on the seed documents' policies and the demo's."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sagemaker_local import demo_data as dd  # noqa: E402
from sagemaker_local.policy import (  # noqa: E402
    ALLOW,
    EXPLICIT_DENY,
    IMPLICIT_DENY,
    Request,
    authorize,
    authorize_kms,
    evaluate,
)

SEED_POLICIES = json.loads((Path(__file__).parent / "fixtures" / "seed_policies.json").read_text())
REGISTRY, STAGING, PRODUCTION = "111111111111", "222222222222", "333333333333"
STAGING_EXEC = f"arn:aws:iam::{STAGING}:role/SageMakerExecutionRole"
PRODUCTION_EXEC = f"arn:aws:iam::{PRODUCTION}:role/SageMakerExecutionRole"
STAGING_CALLER = f"arn:aws:iam::{STAGING}:role/BackstageSageMakerAccess"
PACKAGE = f"arn:aws:sagemaker:us-east-1:{REGISTRY}:model-package/fraud-detection/7"
GROUP = f"arn:aws:sagemaker:us-east-1:{REGISTRY}:model-package-group/fraud-detection"
OBJECT = "arn:aws:s3:::ml-models-111111111111/fraud-detection/v7/model.tar.gz"
REPOSITORY = f"arn:aws:ecr:us-east-1:{REGISTRY}:repository/decision-trees-sample"


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


# --- the seed documents' resource policies ---------------------------------------------


@pytest.mark.parametrize("source", ["000", "002"])
def test_seed_group_policy_shares_versions_with_the_other_account(source: str) -> None:
    policy = SEED_POLICIES[source]["model_package_group_policy"]
    # arn:aws:iam::222222222222:root matches any principal of that account.
    for principal in (STAGING_EXEC, STAGING_CALLER, f"arn:aws:iam::{STAGING}:root", STAGING):
        assert evaluate([policy], Request(principal, "sagemaker:CreateModel", PACKAGE)) == ALLOW
    assert evaluate([policy], Request(STAGING_CALLER, "sagemaker:DescribeModelPackageGroup", GROUP)) == ALLOW
    # Actions are case-insensitive.
    assert evaluate([policy], Request(STAGING_CALLER, "SageMaker:createmodel", PACKAGE)) == ALLOW
    # Not granted: another account, another action, another group, the group ARN for a version action.
    assert evaluate([policy], Request(PRODUCTION_EXEC, "sagemaker:CreateModel", PACKAGE)) == IMPLICIT_DENY
    assert (
        evaluate([policy], Request(STAGING_CALLER, "sagemaker:DeleteModelPackage", PACKAGE)) == IMPLICIT_DENY
    )
    other_group = PACKAGE.replace("fraud-detection", "churn-prediction")
    assert evaluate([policy], Request(STAGING_CALLER, "sagemaker:CreateModel", other_group)) == IMPLICIT_DENY
    assert evaluate([policy], Request(STAGING_CALLER, "sagemaker:CreateModel", GROUP)) == IMPLICIT_DENY


@pytest.mark.parametrize("source", ["000", "002"])
def test_seed_bucket_policy_wildcards(source: str) -> None:
    policy = SEED_POLICIES[source]["bucket_policy"]
    assert evaluate([policy], Request(STAGING_EXEC, "s3:GetObject", OBJECT)) == ALLOW  # "s3:*", "bucket/*"
    assert evaluate([policy], Request(STAGING_EXEC, "s3:PutObject", OBJECT)) == ALLOW
    # The bucket itself is not "bucket/*"; resources are case-sensitive.
    assert evaluate(
        [policy], Request(STAGING_EXEC, "s3:ListBucket", "arn:aws:s3:::ml-models-111111111111")
    ) == (IMPLICIT_DENY)
    upper = OBJECT.replace("ml-models", "ML-MODELS")
    assert evaluate([policy], Request(STAGING_EXEC, "s3:GetObject", upper)) == IMPLICIT_DENY
    assert evaluate([policy], Request(PRODUCTION_EXEC, "s3:GetObject", OBJECT)) == IMPLICIT_DENY


@pytest.mark.parametrize("source", ["000", "002"])
def test_seed_repository_policy_has_no_resource_and_applies_to_its_repository(source: str) -> None:
    policy = SEED_POLICIES[source]["ecr_repository_policy"]
    assert evaluate([policy], Request(STAGING_EXEC, "ecr:BatchGetImage", REPOSITORY)) == ALLOW
    assert evaluate([policy], Request(STAGING_EXEC, "ecr:GetDownloadUrlForLayer", REPOSITORY)) == ALLOW
    assert evaluate([policy], Request(PRODUCTION_EXEC, "ecr:BatchGetImage", REPOSITORY)) == IMPLICIT_DENY
    assert evaluate([policy], Request(STAGING_EXEC, "s3:GetObject", REPOSITORY)) == IMPLICIT_DENY


def test_seed_bucket_policy_cross_account_needs_the_identity_policy_too() -> None:
    bucket_policy = SEED_POLICIES["000"]["bucket_policy"]
    request = Request(STAGING_EXEC, "s3:GetObject", OBJECT)
    assert authorize([], [bucket_policy], request, REGISTRY) == IMPLICIT_DENY
    identity = doc(allow("s3:GetObject", "arn:aws:s3:::ml-models-111111111111/*"))
    assert authorize([identity], [bucket_policy], request, REGISTRY) == ALLOW
    assert authorize([identity], [], request, REGISTRY) == IMPLICIT_DENY


# --- Effect, Action/NotAction, Resource/NotResource --------------------------------------


def test_nothing_matching_is_an_implicit_deny() -> None:
    assert evaluate([], Request(STAGING_EXEC, "s3:GetObject", OBJECT)) == IMPLICIT_DENY
    assert evaluate([None], Request(STAGING_EXEC, "s3:GetObject", OBJECT)) == IMPLICIT_DENY


def test_explicit_deny_wins_over_allow() -> None:
    policies = [doc(allow("s3:*")), doc(deny("s3:GetObject", "arn:aws:s3:::ml-models-111111111111/*"))]
    assert evaluate(policies, Request(STAGING_EXEC, "s3:GetObject", OBJECT)) == EXPLICIT_DENY
    assert evaluate(policies, Request(STAGING_EXEC, "s3:PutObject", OBJECT)) == ALLOW
    # ... across identity and resource policies too.
    resource_deny = doc({**deny("s3:GetObject"), "Principal": "*"})
    assert authorize(
        [doc(allow("s3:*"))], [resource_deny], Request(STAGING_EXEC, "s3:GetObject", OBJECT), STAGING
    ) == (EXPLICIT_DENY)


def test_statement_as_object_and_policy_as_json_string() -> None:
    policy = json.dumps({"Version": "2012-10-17", "Statement": allow("s3:GetObject")})
    assert evaluate([policy], Request(STAGING_EXEC, "s3:GetObject", OBJECT)) == ALLOW
    assert evaluate(["{not json"], Request(STAGING_EXEC, "s3:GetObject", OBJECT)) == IMPLICIT_DENY


def test_action_and_resource_wildcards() -> None:
    policy = doc(allow("s3:Get?bject", "arn:aws:s3:::ml-models-*/fraud-detection/*"))
    assert evaluate([policy], Request(STAGING_EXEC, "s3:GetObject", OBJECT)) == ALLOW
    assert evaluate([policy], Request(STAGING_EXEC, "s3:GetObjectAcl", OBJECT)) == IMPLICIT_DENY
    churn = OBJECT.replace("fraud-detection", "churn-prediction")
    assert evaluate([policy], Request(STAGING_EXEC, "s3:GetObject", churn)) == IMPLICIT_DENY
    assert evaluate([doc(allow("*"))], Request(STAGING_EXEC, "kms:Decrypt", "arn:aws:kms:x")) == ALLOW
    assert evaluate(
        [doc(allow("sagemaker:Describe*"))], Request(STAGING_CALLER, "sagemaker:DescribeEndpoint", "*")
    ) == (ALLOW)


def test_not_action_and_not_resource() -> None:
    everything_but_iam = doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})
    assert evaluate([everything_but_iam], Request(STAGING_CALLER, "s3:GetObject", OBJECT)) == ALLOW
    assert (
        evaluate([everything_but_iam], Request(STAGING_CALLER, "iam:PassRole", STAGING_EXEC)) == IMPLICIT_DENY
    )
    # Deny everything except reading: a write is denied, a read still allowed.
    policies = [
        doc(allow("s3:*")),
        doc({"Effect": "Deny", "NotAction": ["s3:Get*", "s3:List*"], "Resource": "*"}),
    ]
    assert evaluate(policies, Request(STAGING_CALLER, "s3:PutObject", OBJECT)) == EXPLICIT_DENY
    assert evaluate(policies, Request(STAGING_CALLER, "s3:GetObject", OBJECT)) == ALLOW
    not_this_bucket = doc(
        {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"}
    )
    assert evaluate([not_this_bucket], Request(STAGING_CALLER, "s3:GetObject", OBJECT)) == ALLOW
    assert evaluate([not_this_bucket], Request(STAGING_CALLER, "s3:GetObject", "arn:aws:s3:::secret/x")) == (
        IMPLICIT_DENY
    )


# --- principals -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "principal, staging_exec, production_exec, service",
    [
        ("*", True, True, True),
        ({"AWS": "*"}, True, True, True),
        ({"AWS": STAGING}, True, False, False),
        ({"AWS": f"arn:aws:iam::{STAGING}:root"}, True, False, False),
        ({"AWS": STAGING_EXEC}, True, False, False),
        ({"AWS": STAGING_CALLER}, False, False, False),
        ({"AWS": [STAGING_CALLER, PRODUCTION_EXEC]}, False, True, False),
        ({"Service": "sagemaker.amazonaws.com"}, False, False, True),
        ({"Service": ["ec2.amazonaws.com", "sagemaker.amazonaws.com"]}, False, False, True),
        ({"Federated": "cognito-identity.amazonaws.com"}, False, False, False),
    ],
)
def test_principals(principal: Any, staging_exec: bool, production_exec: bool, service: bool) -> None:
    policy = doc({**allow("sts:AssumeRole"), "Principal": principal})
    for who, expected in (
        (STAGING_EXEC, staging_exec),
        (PRODUCTION_EXEC, production_exec),
        ("sagemaker.amazonaws.com", service),
    ):
        assert evaluate([policy], Request(who, "sts:AssumeRole", "x")) == (
            ALLOW if expected else IMPLICIT_DENY
        ), who


def test_an_assumed_role_session_is_its_role() -> None:
    policy = doc({**allow("sagemaker:CreateModel"), "Principal": {"AWS": STAGING_CALLER}})
    session = f"arn:aws:sts::{STAGING}:assumed-role/BackstageSageMakerAccess/backstage"
    assert evaluate([policy], Request(session, "sagemaker:CreateModel", PACKAGE)) == ALLOW


def test_same_account_resource_policy_naming_the_role_suffices_naming_the_account_delegates() -> None:
    request = Request(STAGING_EXEC, "s3:GetObject", "arn:aws:s3:::staging-bucket/k")
    to_role = doc({**allow("s3:GetObject"), "Principal": {"AWS": STAGING_EXEC}})
    to_account = doc({**allow("s3:GetObject"), "Principal": {"AWS": f"arn:aws:iam::{STAGING}:root"}})
    identity = doc(allow("s3:GetObject"))
    assert authorize([], [to_role], request, STAGING) == ALLOW
    assert authorize([], [to_account], request, STAGING) == IMPLICIT_DENY
    assert authorize([identity], [], request, STAGING) == ALLOW
    assert authorize([identity], [to_account], request, STAGING) == ALLOW


# --- conditions -------------------------------------------------------------------------

PASS_ROLE = doc(
    allow(
        "iam:PassRole",
        STAGING_EXEC,
        Condition={"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
    )
)


def pass_role(context: dict[str, Any]) -> str:
    return evaluate([PASS_ROLE], Request(STAGING_CALLER, "iam:PassRole", STAGING_EXEC, context=context))


def test_pass_role_condition() -> None:
    assert pass_role({"iam:PassedToService": "sagemaker.amazonaws.com"}) == ALLOW
    assert pass_role({"iam:PassedToService": "ec2.amazonaws.com"}) == IMPLICIT_DENY
    assert pass_role({}) == IMPLICIT_DENY  # a missing key fails a positive operator
    assert pass_role({"IAM:passedtoservice": "sagemaker.amazonaws.com"}) == ALLOW  # key names ignore case
    assert pass_role({"iam:PassedToService": "SageMaker.amazonaws.com"}) == IMPLICIT_DENY  # values do not
    other_role = STAGING_EXEC.replace("SageMakerExecutionRole", "Admin")
    request = Request(
        STAGING_CALLER, "iam:PassRole", other_role, {"iam:PassedToService": "sagemaker.amazonaws.com"}
    )
    assert evaluate([PASS_ROLE], request) == IMPLICIT_DENY


def check(operator: str, key: str, values: Any, context: dict[str, Any]) -> bool:
    policy = doc(allow("s3:GetObject", Condition={operator: {key: values}}))
    return evaluate([policy], Request(STAGING_EXEC, "s3:GetObject", OBJECT, context=context)) == ALLOW


@pytest.mark.parametrize(
    "operator, values, context, expected",
    [
        ("StringEquals", ["a", "b"], {"k": "b"}, True),  # list values: any match
        ("StringEquals", "a", {"k": ["x", "a"]}, True),  # multi-valued context: any match
        ("StringNotEquals", "a", {"k": "b"}, True),
        ("StringNotEquals", "a", {"k": "a"}, False),
        ("StringNotEquals", "a", {}, True),  # negated operator: a missing key matches
        ("StringEqualsIgnoreCase", "SageMaker", {"k": "sagemaker"}, True),
        ("StringLike", "sage*", {"k": "sagemaker"}, True),
        ("StringLike", "sage?aker", {"k": "sagemaker"}, True),
        ("StringLike", "Sage*", {"k": "sagemaker"}, False),
        ("StringNotLike", "prod-*", {"k": "staging-1"}, True),
        ("StringNotLike", "prod-*", {"k": "prod-1"}, False),
        ("ArnEquals", STAGING_EXEC, {"k": STAGING_EXEC}, True),
        ("ArnLike", "arn:aws:iam::*:role/SageMaker*", {"k": STAGING_EXEC}, True),
        ("ArnLike", "arn:aws:iam::*:role/SageMaker*", {"k": "not-an-arn"}, False),
        ("ArnNotEquals", PRODUCTION_EXEC, {"k": STAGING_EXEC}, True),
        ("ArnNotLike", "arn:aws:iam::222222222222:*", {"k": STAGING_EXEC}, False),
        ("Bool", "true", {"k": True}, True),
        ("Bool", True, {"k": "true"}, True),
        ("Bool", "true", {"k": "false"}, False),
        ("Bool", "true", {}, False),
        ("StringEqualsIfExists", "a", {}, True),  # IfExists: a missing key matches
        ("StringEqualsIfExists", "a", {"k": "b"}, False),
        ("BoolIfExists", "true", {}, True),
        ("NumericLessThan", "5", {"k": "1"}, False),  # unknown operator: fails closed
        ("ForAnyValue:StringEquals", "a", {"k": "a"}, False),  # set operators are not supported either
    ],
)
def test_condition_operators(operator: str, values: Any, context: dict[str, Any], expected: bool) -> None:
    assert check(operator, "k", values, context) is expected


def test_unknown_operator_fails_closed_for_deny_too() -> None:
    # The Deny does not apply (its condition fails), so the Allow stands.
    policies = [
        doc(allow("s3:GetObject")),
        doc(deny("s3:GetObject", Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})),
    ]
    assert (
        evaluate(policies, Request(STAGING_EXEC, "s3:GetObject", OBJECT, {"aws:SourceIp": "10.1.2.3"}))
        == ALLOW
    )


def test_several_operators_and_keys_must_all_hold() -> None:
    condition = {
        "StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com", "aws:PrincipalAccount": STAGING},
        "ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Backstage*"},
    }
    policy = doc(allow("iam:PassRole", Condition=condition))
    context = {"iam:PassedToService": "sagemaker.amazonaws.com"}
    # aws:PrincipalAccount and aws:PrincipalArn come from the principal.
    assert evaluate([policy], Request(STAGING_CALLER, "iam:PassRole", STAGING_EXEC, context)) == ALLOW
    assert evaluate([policy], Request(STAGING_EXEC, "iam:PassRole", STAGING_EXEC, context)) == IMPLICIT_DENY
    production_caller = STAGING_CALLER.replace(STAGING, PRODUCTION)
    assert (
        evaluate([policy], Request(production_caller, "iam:PassRole", STAGING_EXEC, context)) == IMPLICIT_DENY
    )


# --- KMS ------------------------------------------------------------------------------


def test_kms_key_policy_is_required_and_root_delegates_to_identity_policies() -> None:
    key = f"arn:aws:kms:us-east-1:{REGISTRY}:key/k"
    root_only = doc({**allow("kms:*"), "Principal": {"AWS": f"arn:aws:iam::{REGISTRY}:root"}})
    registry_role = f"arn:aws:iam::{REGISTRY}:role/Reader"
    decrypt = doc(allow("kms:Decrypt", key))
    request = Request(registry_role, "kms:Decrypt", key)
    # Same account, default key policy: the identity policy decides.
    assert authorize_kms([decrypt], root_only, request, REGISTRY) == ALLOW
    assert authorize_kms([], root_only, request, REGISTRY) == IMPLICIT_DENY
    # Without the key policy nothing is allowed, whatever IAM says.
    assert authorize_kms([doc(allow("kms:*"))], None, request, REGISTRY) == IMPLICIT_DENY
    # A key policy naming the role itself suffices in its account.
    to_role = doc({**allow("kms:Decrypt"), "Principal": {"AWS": registry_role}})
    assert authorize_kms([], to_role, request, REGISTRY) == ALLOW


def test_kms_cross_account_needs_key_policy_and_identity_policy() -> None:
    key = f"arn:aws:kms:us-east-1:{REGISTRY}:key/k"
    to_role = doc({**allow("kms:Decrypt"), "Principal": {"AWS": STAGING_EXEC}})
    to_account = doc({**allow("kms:Decrypt"), "Principal": {"AWS": STAGING}})
    identity = doc(allow("kms:Decrypt", key))
    request = Request(STAGING_EXEC, "kms:Decrypt", key)
    assert authorize_kms([identity], to_role, request, REGISTRY) == ALLOW
    assert authorize_kms([identity], to_account, request, REGISTRY) == ALLOW
    assert authorize_kms([], to_role, request, REGISTRY) == IMPLICIT_DENY
    assert authorize_kms([identity], doc(), request, REGISTRY) == IMPLICIT_DENY
    assert authorize_kms([identity, doc(deny("kms:*"))], to_role, request, REGISTRY) == EXPLICIT_DENY


# --- the demo's own policies --------------------------------------------------------------


def test_demo_key_policies_leave_out_exactly_production_on_demand_forecast() -> None:
    for key in dd.KEYS:
        policy = dd.key_policy(key)
        for account, exec_role in ((STAGING, STAGING_EXEC), (PRODUCTION, PRODUCTION_EXEC)):
            identity = [dd.execution_role_policy(account)]
            decision = authorize_kms(identity, policy, Request(exec_role, "kms:Decrypt", key.arn), REGISTRY)
            expected = not (key.alias == dd.DEMAND_FORECAST_ALIAS and account == PRODUCTION)
            if key.region != dd.REGION:
                expected = False  # the execution roles are granted only the us-east-1 keys
            assert decision == (ALLOW if expected else IMPLICIT_DENY), (key.alias, key.region, account)
    fixed = json.loads(dd.key_policy(dd.key_for(dd.DEMAND_FORECAST_ALIAS, dd.REGION)))
    fixed["Statement"][1] = dd.missing_grant_statement()
    key = dd.key_for(dd.DEMAND_FORECAST_ALIAS, dd.REGION)
    request = Request(PRODUCTION_EXEC, "kms:Decrypt", key.arn)
    assert authorize_kms([dd.execution_role_policy(PRODUCTION)], fixed, request, REGISTRY) == ALLOW


def test_demo_bucket_and_repository_policies_with_the_execution_role_policy() -> None:
    for account, exec_role in ((STAGING, STAGING_EXEC), (PRODUCTION, PRODUCTION_EXEC)):
        identity = [dd.execution_role_policy(account)]
        bucket = dd.bucket_policy(dd.models_bucket(dd.REGION))
        assert authorize(identity, [bucket], Request(exec_role, "s3:GetObject", OBJECT), REGISTRY) == ALLOW
        for action in ("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"):
            request = Request(exec_role, action, dd.ECR_REPOSITORY_ARN)
            assert authorize(identity, [dd.repository_policy()], request, REGISTRY) == ALLOW
        assert evaluate(identity, Request(exec_role, "ecr:GetAuthorizationToken", "*")) == ALLOW
    other = f"arn:aws:iam::{REGISTRY}:role/SageMakerExecutionRole"
    bucket = dd.bucket_policy(dd.models_bucket(dd.REGION))
    assert authorize(
        [doc(allow("s3:GetObject"))],
        [bucket],
        Request(other.replace(REGISTRY, "444444444444"), "s3:GetObject", OBJECT),
        REGISTRY,
    ) == (IMPLICIT_DENY)


def test_demo_deploy_access_policy_passes_only_its_own_execution_role_to_sagemaker() -> None:
    for account in (STAGING, PRODUCTION):
        policy = [dd.deploy_access_policy(account)]
        caller = f"arn:aws:iam::{account}:role/BackstageSageMakerAccess"
        own = f"arn:aws:iam::{account}:role/SageMakerExecutionRole"
        to_sagemaker = {"iam:PassedToService": "sagemaker.amazonaws.com"}
        assert evaluate(policy, Request(caller, "iam:PassRole", own, to_sagemaker)) == ALLOW
        assert evaluate(
            policy, Request(caller, "iam:PassRole", own, {"iam:PassedToService": "ec2.amazonaws.com"})
        ) == (IMPLICIT_DENY)
        other = own.replace(account, STAGING if account == PRODUCTION else PRODUCTION)
        assert evaluate(policy, Request(caller, "iam:PassRole", other, to_sagemaker)) == IMPLICIT_DENY
        endpoint = f"arn:aws:sagemaker:us-east-1:{account}:endpoint/x"
        assert evaluate(policy, Request(caller, "sagemaker:CreateEndpoint", endpoint)) == ALLOW
    registry_policy = [dd.registry_access_policy()]
    reader = f"arn:aws:iam::{REGISTRY}:role/BackstageSageMakerAccess"
    assert evaluate(registry_policy, Request(reader, "sagemaker:UpdateModelPackage", PACKAGE)) == ALLOW
    assert (
        evaluate(registry_policy, Request(reader, "sagemaker:DeleteModelPackage", PACKAGE)) == IMPLICIT_DENY
    )


def test_demo_group_policy() -> None:
    group = dd.GROUPS[0]
    policy = dd.cross_account_policy(group)
    package = group.arn.replace(":model-package-group/", ":model-package/") + "/3"
    for caller in (STAGING_CALLER, STAGING_CALLER.replace(STAGING, PRODUCTION)):
        assert evaluate([policy], Request(caller, "sagemaker:CreateModel", package)) == ALLOW
    outsider = STAGING_CALLER.replace(STAGING, "444444444444")
    assert evaluate([policy], Request(outsider, "sagemaker:CreateModel", package)) == IMPLICIT_DENY
