"""Access checks on the deploy path: refuse what AWS refuses, with AWS's wording.

moto grants every cross-account access: a staging role can create a model from a
registry package nobody shared, and an endpoint comes up whatever its execution
role may read. This module checks the grants a real deployment needs, reading
the policies from moto's own backends (IAM, S3, KMS, ECR, SageMaker) in whichever
account owns each resource, and decides with the small evaluator in policy.py.

Modelled (each rule is one function below):

  At CreateModel (the request fails):
    R1 ``check_model_package``: a container's ``ModelPackageName`` that is a
       package ARN of another account must be in the call's region, must exist,
       and its group's resource policy (PutModelPackageGroupPolicy) must allow the
       caller ``sagemaker:CreateModel`` on the package ARN.
    R3 ``check_pass_role``: an assumed-role caller's identity policies (the
       role's inline and attached managed policies) must allow ``iam:PassRole`` on
       the ExecutionRoleArn with ``iam:PassedToService = sagemaker.amazonaws.com``.
    R2 ``check_execution_role``: the ExecutionRoleArn must exist and trust
       ``sagemaker.amazonaws.com`` with ``sts:AssumeRole``.
    (checked in this order: R1, R3, R2)
  When an endpoint's Creating/Updating transition would end InService
  (``endpoint_failure``; the endpoint ends Failed with a FailureReason), for every
  container of every model of the new endpoint config, with the model's
  execution role as principal, in this order:
    R4 ``check_image``: ECR image pull (ecr:BatchGetImage, ecr:GetDownloadUrlForLayer
       on the repository, by repository policy and identity policy;
       ecr:GetAuthorizationToken on * by identity policy), the image in the
       endpoint's region. An image of an account that has no ECR repository at
       all in the emulator counts as AWS-owned (the deep-learning container
       images of 763104351884 and the like) and passes.
       ``check_model_data``: the bucket and object exist, the bucket is in the
       endpoint's region, s3:GetObject by bucket policy and identity policy.
       ``check_model_data_key``: for SSE-KMS data (the object's key, else the
       bucket default's), kms:Decrypt with KMS's rules (key policy first).
  The model data and image come from the container, or for ModelPackageName
  from the package's inference specification (in the package's account).

Callers that are not assumed roles (static keys: the account's root) pass R3;
R1 still applies to them (principal ``arn:aws:iam::<acct>:root``).

  At S3 GetObject (the request fails with 403 AccessDenied), for an assumed-role
  caller, as the plugin reads ModelMetrics reports:
    R5 ``check_get_object``: s3:GetObject on the object by the bucket policy and
       the role's identity policies (in the bucket's account either may allow;
       across accounts both must); for SSE-KMS objects (the object's key, else
       the bucket default's), kms:Decrypt with KMS's rules. HeadObject, which
       decrypts nothing, is not checked (moto's own S3 answers it).

Not modelled: SCPs, RCPs, permission boundaries, session policies, KMS grants,
S3 ACLs and Object Ownership, VPC endpoints and subnets/security groups
(VpcConfig is not checked), the endpoint config's KmsKeyId, the caller's
identity policies for any action but iam:PassRole (moto's own IAM enforcement
stays off, so e.g. sagemaker:CreateEndpoint is never refused, nor is the
identity side of R1), an image's tag or digest (the repository must exist, the
image need not), images outside ECR, SSE-KMS with the AWS managed ``aws/s3``
key (no key id recorded: not checked), a key's state (disabled, pending
deletion), and model data given as an S3 prefix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from moto.ecr.models import ecr_backends
from moto.iam.models import iam_backends
from moto.kms.models import kms_backends
from moto.s3.exceptions import S3ClientError
from moto.s3.models import FakeKey, s3_backends
from moto.s3.responses import S3Response
from moto.sagemaker.exceptions import SagemakerClientError, ValidationError
from moto.sagemaker.models import SageMakerModelBackend, sagemaker_backends
from moto.sagemaker.responses import SageMakerResponse
from moto.sts.models import sts_backends
from moto.utilities.utils import get_partition

from . import policy
from .policy import Request

SAGEMAKER = "sagemaker.amazonaws.com"

PACKAGE_ARN = re.compile(
    r"^arn:aws[a-z-]*:sagemaker:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):model-package/(?P<path>.+)$"
)
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::(?P<account>\d{12}):role/(?:.*/)?(?P<name>[^/]+)$")
ASSUMED_ROLE = re.compile(r"^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role/([^/]+)/[^/]+$")
ECR_IMAGE = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/"
    r"(?P<repo>[^:@]+)(?::[^@]+)?(?:@.+)?$"
)
S3_URL = re.compile(r"^s3://(?P<bucket>[^/]+)/(?P<key>.+)$")
KMS_ARN = re.compile(
    r"^arn:aws[a-z-]*:kms:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):(?P<kind>key|alias)/(?P<id>.+)$"
)


class AccessDeniedException(SagemakerClientError):
    code = "AccessDeniedException"

    def __init__(self, message: str):
        super().__init__(message)


# --- who is calling, and what they hold ---------------------------------------------


@dataclass(frozen=True)
class Caller:
    arn: str  # as GetCallerIdentity says: arn:aws:sts::<acct>:assumed-role/<role>/<session>
    account: str

    @property
    def role_arn(self) -> str | None:
        match = ASSUMED_ROLE.match(self.arn)
        return f"arn:{match[1]}:iam::{match[2]}:role/{match[3]}" if match else None

    @property
    def principal(self) -> str:
        """How policies name the caller: its role, or else its account's root."""
        return self.role_arn or f"arn:aws:iam::{self.account}:root"


def caller_of(response: SageMakerResponse) -> Caller:
    sts = sts_backends[response.current_account][get_partition(response.region)]
    _, arn, account = sts.get_caller_identity(response.access_key, response.region)
    return Caller(arn, account)


def _role(role_arn: str) -> Any | None:
    """moto's IAM Role for an ARN, or None when it does not exist."""
    match = ROLE_ARN.match(role_arn or "")
    if not match:
        return None
    roles = list(iam_backends[match["account"]]["aws"].get_roles())
    exact = next((r for r in roles if r.arn == role_arn), None)
    # An assumed-role ARN has no path, so the role ARN built from it may lack one.
    return exact or next((r for r in roles if r.name == match["name"]), None)


def identity_policies(role_arn: str) -> list[str]:
    """The documents of a role's inline and attached managed policies; none for a missing role."""
    role = _role(role_arn)
    if role is None:
        return []
    documents = list(role.policies.values())
    for managed in role.managed_policies.values():
        documents += [v.document for v in managed.versions if v.is_default]
    return documents


def _refusal(caller_arn: str, action: str, resource: str, decision: str, kind: str) -> str:
    article = "an" if kind == "identity" else "a"
    reason = (
        f"with an explicit deny in {article} {kind}-based policy"
        if decision == policy.EXPLICIT_DENY
        else f"because no {kind}-based policy allows the {action} action"
    )
    return f"User: {caller_arn} is not authorized to perform: {action} on resource: {resource} {reason}"


# --- CreateModel: R1, R3, R2 -----------------------------------------------------


def check_model_package(caller: Caller, package_arn: str, account: str, region: str) -> None:
    """R1: a model package of another account, shared through its group's resource policy."""
    match = PACKAGE_ARN.match(package_arn or "")
    if not match or match["account"] == account:
        return  # a package of the caller's own account (or a name): not a cross-account grant
    if match["region"] != region:
        # Our wording (AWS's is not documented): SageMaker resolves packages in the call's region.
        raise ValidationError(
            f"Model package {package_arn} is in region {match['region']}, but the model is being "
            f"created in region {region}. A model can only use a model package of its own region."
        )
    backend = sagemaker_backends[match["account"]][match["region"]]
    package = backend.model_packages.get(package_arn)
    if package is None:
        raise ValidationError(f"ModelPackage {package_arn} does not exist.")
    group = backend.model_package_groups.get(package.model_package_group_name or "")
    resource_policy = getattr(group, "resource_policy", None)
    request = Request(caller.principal, "sagemaker:CreateModel", package_arn, account=caller.account)
    decision = policy.evaluate([resource_policy], request)
    if decision != policy.ALLOW:
        raise AccessDeniedException(
            _refusal(caller.arn, "sagemaker:CreateModel", package_arn, decision, "resource")
        )


def check_pass_role(caller: Caller, role_arn: str) -> None:
    """R3: the caller may pass the execution role to SageMaker."""
    if caller.role_arn is None:
        return  # the account's root may do anything in its account
    request = Request(
        caller.role_arn,
        "iam:PassRole",
        role_arn,
        context={"iam:PassedToService": SAGEMAKER},
        account=caller.account,
    )
    decision = policy.evaluate(identity_policies(caller.role_arn), request)
    if decision != policy.ALLOW:
        raise AccessDeniedException(_refusal(caller.arn, "iam:PassRole", role_arn, decision, "identity"))


def check_execution_role(role_arn: str) -> None:
    """R2: the execution role exists and trusts SageMaker."""
    role = _role(role_arn)
    trust = role.assume_role_policy_document if role is not None else None
    assume = Request(SAGEMAKER, "sts:AssumeRole", role_arn)
    if trust is None or policy.evaluate([trust], assume) != policy.ALLOW:
        raise ValidationError(
            f"Could not assume role {role_arn}. Please ensure that the role exists and allows "
            f"principal '{SAGEMAKER}' to assume the role."
        )


def check_create_model(response: SageMakerResponse) -> None:
    caller = caller_of(response)
    account, region = response.current_account, response.region
    containers = [response._get_param("PrimaryContainer") or {}] + (response._get_param("Containers") or [])
    for container in containers:
        if container.get("ModelPackageName"):
            check_model_package(caller, container["ModelPackageName"], account, region)
    role_arn = response._get_param("ExecutionRoleArn") or ""
    check_pass_role(caller, role_arn)
    check_execution_role(role_arn)


# --- endpoint transitions: R4 ------------------------------------------------------


def _artifacts(backend: SageMakerModelBackend, container: dict[str, Any]) -> list[tuple[str, str]]:
    """(image, model data URL) pairs a container runs: its own, or its model package's."""
    name = container.get("ModelPackageName")
    if not name:
        return [(container.get("Image") or "", container.get("ModelDataUrl") or "")]
    match = PACKAGE_ARN.match(name)
    owner = sagemaker_backends[match["account"]][match["region"]] if match else backend
    package = owner.model_packages.get(owner.model_package_name_mapping.get(name, name))
    if package is None:
        return []
    spec = package.inference_specification or {}
    return [(c.get("Image") or "", c.get("ModelDataUrl") or "") for c in spec.get("Containers") or []]


def _allowed(role_arn: str, actions: Iterable[str], resource: str, resource_policy: Any, owner: str) -> bool:
    identity = identity_policies(role_arn)
    return all(
        policy.authorize(identity, [resource_policy], Request(role_arn, action, resource), owner)
        == policy.ALLOW
        for action in actions
    )


def check_image(image: str, role_arn: str, region: str, variant: str = "AllTraffic") -> str | None:
    """R4/ECR: the execution role can pull the image. Returns a FailureReason or None."""
    match = ECR_IMAGE.match(image)
    if not match:
        return None  # not an ECR image: not modelled
    account = match["account"]
    registries = ecr_backends[account]
    if not any(backend.repositories for backend in list(registries.values())):
        return None  # an account with no repository here: an AWS-owned image (e.g. the DLC images)
    failure = (
        f"Please make sure all images included in the model for the production variant {variant} exist, "
        "and that the execution role used to create the model has permissions to access them."
    )
    if match["region"] != region:
        return failure
    repository = registries[region].repositories.get(match["repo"])
    if repository is None:
        return failure
    pull = ("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer")
    if not _allowed(role_arn, pull, repository.arn, repository.policy, account):
        return failure
    token = Request(role_arn, "ecr:GetAuthorizationToken", "*")
    if policy.evaluate(identity_policies(role_arn), token) != policy.ALLOW:
        return failure
    return None


def _object(url: str) -> tuple[Any, Any, str] | None:
    """(bucket, object, bucket's account) for an s3:// URL, or None if either is missing."""
    match = S3_URL.match(url)
    if not match:
        return None
    owner = s3_backends.bucket_accounts.get(match["bucket"])
    if owner is None:
        return None
    partition, account = owner
    bucket = s3_backends[account][partition].buckets.get(match["bucket"])
    if bucket is None:
        return None
    obj = bucket.keys.get(match["key"])
    return (bucket, obj, account) if isinstance(obj, FakeKey) else None


def check_model_data(url: str, role_arn: str, region: str) -> str | None:
    """R4/S3: the execution role can read the model data, in the endpoint's region."""
    if not url.startswith("s3://"):
        return None
    failure = (
        f'Could not access model data at {url}. Please ensure that the role "{role_arn}" exists and that '
        f'its trust relationship policy allows the action "sts:AssumeRole" for the service principal '
        f'"{SAGEMAKER}". Also ensure that the role has "s3:GetObject" permissions and that the object '
        f"is located in {region}."
    )
    found = _object(url)
    if found is None:
        return failure
    bucket, obj, account = found
    if bucket.region_name != region:
        return failure
    bucket_policy = bucket.policy.decode() if bucket.policy else None
    resource = f"arn:aws:s3:::{bucket.name}/{obj.name}"
    if not _allowed(role_arn, ["s3:GetObject"], resource, bucket_policy, account):
        return failure
    return None


def _encryption_key(bucket: Any, obj: Any) -> str | None:
    """The KMS key id an object is encrypted with: its own, or else the bucket default's."""
    if obj.encryption == "aws:kms" and obj.kms_key_id:
        return obj.kms_key_id
    rule = ((bucket.encryption or {}).get("Rule") or {}).get("ApplyServerSideEncryptionByDefault") or {}
    if rule.get("SSEAlgorithm") == "aws:kms":
        return rule.get("KMSMasterKeyID")
    return None


def resolve_key(key_ref: str, account: str, region: str) -> tuple[str, Any | None]:
    """(key ARN, moto Key or None) for a key id, key ARN, alias name or alias ARN.

    A bare id or alias is looked up in ``account``/``region`` (the bucket's).
    """
    match = KMS_ARN.match(key_ref)
    if match:
        account, region = match["account"], match["region"]
        key_ref = match["id"] if match["kind"] == "key" else f"alias/{match['id']}"
    backend = kms_backends[account][region]
    key_id = key_ref
    if key_ref.startswith("alias/"):
        key_id = next((k.id for k in list(backend.keys.values()) if key_ref in k.aliases), key_ref)
    key = backend.keys.get(key_id)
    if key is not None:
        return key.arn, key
    return (
        f"arn:aws:kms:{region}:{account}:{key_id if key_id.startswith('alias/') else 'key/' + key_id}",
        None,
    )


def check_model_data_key(url: str, role_arn: str) -> str | None:
    """R4/KMS: the execution role can decrypt SSE-KMS model data."""
    found = _object(url)
    if found is None:
        return None
    bucket, obj, account = found
    key_ref = _encryption_key(bucket, obj)
    if not key_ref:
        return None
    key_arn, key = resolve_key(key_ref, account, bucket.region_name)
    failure = (
        f'Could not access model data at {url}: the execution role "{role_arn}" is not authorized to '
        f"perform kms:Decrypt on the KMS key {key_arn} that encrypts it. Please ensure that the key policy "
        "and the role's identity-based policies allow kms:Decrypt."
    )
    if key is None:
        return failure
    request = Request(role_arn, "kms:Decrypt", key_arn)
    if policy.authorize_kms(identity_policies(role_arn), key.policy, request, key.account_id) != policy.ALLOW:
        return failure
    return None


def endpoint_failure(backend: SageMakerModelBackend, config_name: str) -> str | None:
    """R4: the FailureReason of the first failing check for an endpoint config, or None."""
    config = backend.endpoint_configs.get(config_name)
    if config is None:
        return None
    region = backend.region_name
    for variant in config.production_variants or []:
        model = backend._models.get(variant.get("ModelName"))
        if model is None:
            continue
        containers = ([model.primary_container] if model.primary_container else []) + list(model.containers)
        for container in containers:
            for image, url in _artifacts(backend, container):
                reason = (
                    check_image(image, model.execution_role_arn, region, variant.get("VariantName", ""))
                    or check_model_data(url, model.execution_role_arn, region)
                    or check_model_data_key(url, model.execution_role_arn)
                )
                if reason:
                    return reason
    return None


# --- S3 GetObject: R5 ------------------------------------------------------------------


class S3AccessDenied(S3ClientError):
    code = "AccessDenied"

    def __init__(self, message: str):
        super().__init__("AccessDenied", message)
        self.http_status_code = 403


def check_get_object(caller: Caller, bucket_name: str, key_name: str) -> None:
    """R5: an assumed role may read the object (bucket and identity policies, then KMS)."""
    role_arn = caller.role_arn
    if role_arn is None:
        return
    found = _object(f"s3://{bucket_name}/{key_name}")
    if found is None:
        return  # moto answers NoSuchBucket / NoSuchKey itself
    bucket, obj, account = found
    resource = f"arn:aws:s3:::{bucket.name}/{obj.name}"
    bucket_policy = bucket.policy.decode() if bucket.policy else None
    request = Request(role_arn, "s3:GetObject", resource)
    identity = identity_policies(role_arn)
    decision = policy.authorize(identity, [bucket_policy], request, account)
    if decision != policy.ALLOW:
        kind = "identity" if account == caller.account else "resource"
        raise S3AccessDenied(_refusal(caller.arn, "s3:GetObject", f'"{resource}"', decision, kind))
    key_ref = _encryption_key(bucket, obj)
    if not key_ref:
        return
    key_arn, key = resolve_key(key_ref, account, bucket.region_name)
    decrypt = Request(role_arn, "kms:Decrypt", key_arn)
    decision = (
        policy.authorize_kms(identity, key.policy, decrypt, key.account_id) if key is not None else policy.IMPLICIT_DENY
    )
    if decision != policy.ALLOW:
        kind = "identity" if key is not None and key.account_id == caller.account else "resource"
        raise S3AccessDenied(_refusal(caller.arn, "kms:Decrypt", key_arn, decision, kind))


# --- installation --------------------------------------------------------------------

_orig_create_model = SageMakerResponse.create_model
_enforce = True


def r_create_model(self: SageMakerResponse) -> Any:
    if _enforce:
        check_create_model(self)
    return _orig_create_model(self)


_orig_key_response_get = S3Response._key_response_get


def r_key_response_get(self: S3Response, query: dict[str, Any], key_name: str) -> Any:
    plain_get = not ({"uploadId", "acl", "tagging", "legal-hold", "attributes"} & set(query))
    if _enforce and plain_get:
        sts = sts_backends[self.current_account][get_partition(self.region)]
        _, arn, account = sts.get_caller_identity(self.access_key, self.region)
        check_get_object(Caller(arn, account), self.bucket_name, key_name)
    return _orig_key_response_get(self, query, key_name)


def install(enforce: bool) -> None:
    global _enforce
    _enforce = enforce
    SageMakerResponse.create_model = r_create_model  # type: ignore[method-assign]
    S3Response._key_response_get = r_key_response_get  # type: ignore[method-assign]
