"""Building the grants a deployment needs, through the AWS APIs, as a test would on AWS.

``cross_account_world`` builds a registry package (ECR image, SSE-KMS model data)
shared with a deploy-target account, with every grant the deploy path checks
except those named in ``skip``; ``grant`` adds one of them later. The names in
GRANTS are the grants; each is one AWS call (or one inline policy).

``deploy_basics`` is the least a deploy of a container of its own needs (the
endpoint tests use it): an execution role that trusts SageMaker and may read the
model data (in the registry's bucket, so the bucket policy grants it too), a
caller allowed to pass the role, and the model data object. The image is an AWS
one, which needs no grant.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from support import PRODUCTION, REGISTRY, STAGING, Accounts, unique

SAGEMAKER = "sagemaker.amazonaws.com"
ACCESS_ROLE = "BackstageSageMakerAccess"
EXECUTION_ROLE = "SageMakerExecutionRole"
# A real AWS deep-learning container image: its account has no repository in the
# emulator, so the image counts as AWS-owned and public.
PUBLIC_IMAGE = "763104351884.dkr.ecr.us-east-1.amazonaws.com/xgboost-inference:1.7-1"
MANIFEST = json.dumps(
    {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": 7023,
            "digest": "sha256:" + "a" * 64,
        },
        "layers": [
            {
                "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                "size": 32654,
                "digest": "sha256:" + "b" * 64,
            }
        ],
    }
)


def document(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def statement(actions: Any, resources: Any = None, principal: Any = None, **extra: Any) -> dict[str, Any]:
    s: dict[str, Any] = {"Effect": "Allow", "Action": actions}
    if principal is not None:
        s["Principal"] = principal
    if resources is not None:
        s["Resource"] = resources
    s.update(extra)
    return s


def trust(service: str = SAGEMAKER) -> str:
    return document(statement("sts:AssumeRole", principal={"Service": service}))


def role_arn(account: str, name: str) -> str:
    return f"arn:aws:iam::{account}:role/{name}"


def ensure_role(iam: Any, name: str, trust_policy: str) -> str:
    """Create the role, or set its trust policy if it exists. Returns its ARN."""
    try:
        return iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust_policy)["Role"]["Arn"]
    except iam.exceptions.EntityAlreadyExistsException:
        iam.update_assume_role_policy(RoleName=name, PolicyDocument=trust_policy)
        return iam.get_role(RoleName=name)["Role"]["Arn"]


def pass_role_statement(execution_role_arn: str) -> dict[str, Any]:
    return statement(
        "iam:PassRole",
        execution_role_arn,
        Condition={"StringEquals": {"iam:PassedToService": SAGEMAKER}},
    )


def put_object(s3: Any, bucket: str, key: str, region: str, kms_key: str | None = None) -> None:
    try:
        create = (
            {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        )
        s3.create_bucket(Bucket=bucket, **create)
    except (s3.exceptions.BucketAlreadyOwnedByYou, s3.exceptions.BucketAlreadyExists):
        pass
    extra = {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": kms_key} if kms_key else {}
    s3.put_object(Bucket=bucket, Key=key, Body=b"model", **extra)


# --- the basics of the endpoint tests -------------------------------------------------

BASICS_BUCKET = "ml-models-111111111111"
BASICS_KEY = "test/model.tar.gz"


def deploy_basics(accounts: Accounts, account: str, region: str = "us-east-1") -> str:
    """Execution role ``SageMakerExecutionRole`` in ``account`` that can run PUBLIC_IMAGE with
    s3://ml-models-111111111111/test/model.tar.gz, and the caller role allowed to pass it.
    Idempotent. Returns the execution role ARN."""
    execution = role_arn(account, EXECUTION_ROLE)
    iam = accounts.client("iam", account)
    ensure_role(iam, EXECUTION_ROLE, trust())
    iam.put_role_policy(
        RoleName=EXECUTION_ROLE,
        PolicyName="ModelData",
        PolicyDocument=document(statement("s3:GetObject", f"arn:aws:s3:::{BASICS_BUCKET}/*")),
    )
    ensure_role(iam, accounts.role_name, document(statement("sts:AssumeRole", principal={"AWS": REGISTRY})))
    iam.put_role_policy(
        RoleName=accounts.role_name,
        PolicyName=f"PassExecutionRole-{account}",
        PolicyDocument=document(pass_role_statement(execution)),
    )
    registry_s3 = accounts.client("s3", REGISTRY)
    put_object(registry_s3, BASICS_BUCKET, BASICS_KEY, region)
    # The bucket is the registry's: another account's execution role needs the bucket policy too.
    readers = [role_arn(a, EXECUTION_ROLE) for a in (REGISTRY, STAGING, PRODUCTION)]
    registry_s3.put_bucket_policy(
        Bucket=BASICS_BUCKET,
        Policy=document(
            statement("s3:GetObject", f"arn:aws:s3:::{BASICS_BUCKET}/*", principal={"AWS": readers})
        ),
    )
    return execution


# --- a cross-account world -------------------------------------------------------------

GRANTS = (
    "group-policy",  # R1: the model package group's resource policy
    "trust",  # R2: the execution role trusts sagemaker.amazonaws.com
    "pass-role",  # R3: the caller may pass the execution role
    "ecr-repo-policy",  # R4: the repository policy lets the execution role pull
    "ecr-identity",  # R4: the execution role's identity policy lets it pull
    "s3-bucket-policy",  # R4: the bucket policy lets the execution role read the model data
    "s3-identity",  # R4: the execution role's identity policy lets it read the model data
    "kms-key-policy",  # R4: the key policy lets the execution role decrypt
    "kms-identity",  # R4: the execution role's identity policy lets it decrypt
)


@dataclass
class World:
    accounts: Accounts  # builds the world (the registry's and the target's admin)
    target: str
    region: str
    caller_role: str  # the role the deploy runs as, in the target account
    execution_role: str
    group: str
    repository: str
    bucket: str
    key_arn: str = ""
    package_arn: str = ""
    granted: set[str] = field(default_factory=set)

    @property
    def execution_role_arn(self) -> str:
        return role_arn(self.target, self.execution_role)

    @property
    def caller_role_arn(self) -> str:
        return role_arn(self.target, self.caller_role)

    @property
    def image(self) -> str:
        return f"{REGISTRY}.dkr.ecr.{self.region}.amazonaws.com/{self.repository}:1.0"

    @property
    def model_data_url(self) -> str:
        return f"s3://{self.bucket}/{self.group}/v1/model.tar.gz"

    def deployer(self) -> Accounts:
        """Clients of the deploying caller (its own role, so no test sees another's grants)."""
        return Accounts(self.accounts.url, role_name=self.caller_role)

    def sagemaker(self) -> Any:
        return self.deployer().client("sagemaker", self.target, self.region)


def cross_account_world(
    accounts: Accounts, target: str = STAGING, region: str = "us-east-1", skip: tuple[str, ...] = ()
) -> World:
    tag = unique("w")
    world = World(
        accounts=accounts,
        target=target,
        region=region,
        caller_role=f"caller-{tag}",
        execution_role=f"exec-{tag}",
        group=f"group-{tag}",
        repository=f"repo-{tag}",
        bucket=f"models-{tag}",
    )
    registry_iam_admin = f"arn:aws:iam::{REGISTRY}:root"
    kms = accounts.client("kms", REGISTRY, region)
    world.key_arn = kms.create_key(
        Policy=document(statement("kms:*", "*", principal={"AWS": registry_iam_admin})),
        Description=f"model artifacts of {world.group}",
    )["KeyMetadata"]["Arn"]
    ecr = accounts.client("ecr", REGISTRY, region)
    ecr.create_repository(repositoryName=world.repository)
    ecr.put_image(repositoryName=world.repository, imageManifest=MANIFEST, imageTag="1.0")
    put_object(
        accounts.client("s3", REGISTRY, region),
        world.bucket,
        world.model_data_url[len(f"s3://{world.bucket}/") :],
        region,
        world.key_arn,
    )

    sm = accounts.client("sagemaker", REGISTRY, region)
    sm.create_model_package_group(ModelPackageGroupName=world.group)
    world.package_arn = sm.create_model_package(
        ModelPackageGroupName=world.group,
        ModelApprovalStatus="Approved",
        InferenceSpecification={
            "Containers": [{"Image": world.image, "ModelDataUrl": world.model_data_url}],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["application/json"],
        },
    )["ModelPackageArn"]

    iam = accounts.client("iam", target)
    ensure_role(iam, world.caller_role, document(statement("sts:AssumeRole", principal={"AWS": REGISTRY})))
    ensure_role(iam, world.execution_role, trust("ec2.amazonaws.com"))  # "trust" fixes it
    for name in GRANTS:
        if name not in skip:
            grant(world, name)
    return world


def grant(world: World, name: str) -> None:
    """Add one grant of GRANTS to the world, through the AWS API."""
    a, region, target = world.accounts, world.region, world.target
    execution = world.execution_role_arn
    iam = a.client("iam", target)
    repository_arn = f"arn:aws:ecr:{region}:{REGISTRY}:repository/{world.repository}"
    if name == "group-policy":
        a.client("sagemaker", REGISTRY, region).put_model_package_group_policy(
            ModelPackageGroupName=world.group,
            ResourcePolicy=document(
                statement(
                    ["sagemaker:DescribeModelPackage", "sagemaker:CreateModel"],
                    world.package_arn.rsplit("/", 1)[0] + "/*",
                    principal={"AWS": f"arn:aws:iam::{target}:root"},
                )
            ),
        )
    elif name == "trust":
        iam.update_assume_role_policy(RoleName=world.execution_role, PolicyDocument=trust())
    elif name == "pass-role":
        iam.put_role_policy(
            RoleName=world.caller_role,
            PolicyName="PassExecutionRole",
            PolicyDocument=document(pass_role_statement(execution)),
        )
    elif name == "ecr-repo-policy":
        a.client("ecr", REGISTRY, region).set_repository_policy(
            repositoryName=world.repository,
            policyText=document(
                statement(["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], principal={"AWS": execution})
            ),
        )
    elif name == "ecr-identity":
        iam.put_role_policy(
            RoleName=world.execution_role,
            PolicyName="PullImage",
            PolicyDocument=document(
                statement(["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], repository_arn),
                statement("ecr:GetAuthorizationToken", "*"),
            ),
        )
    elif name == "s3-bucket-policy":
        a.client("s3", REGISTRY, region).put_bucket_policy(
            Bucket=world.bucket,
            Policy=document(
                statement("s3:GetObject", f"arn:aws:s3:::{world.bucket}/*", principal={"AWS": execution})
            ),
        )
    elif name == "s3-identity":
        iam.put_role_policy(
            RoleName=world.execution_role,
            PolicyName="ReadModelData",
            PolicyDocument=document(statement("s3:GetObject", f"arn:aws:s3:::{world.bucket}/*")),
        )
    elif name == "kms-key-policy":
        a.client("kms", REGISTRY, region).put_key_policy(
            KeyId=world.key_arn,
            PolicyName="default",
            Policy=document(
                statement("kms:*", "*", principal={"AWS": f"arn:aws:iam::{REGISTRY}:root"}),
                statement(["kms:Decrypt", "kms:DescribeKey"], "*", principal={"AWS": execution}),
            ),
        )
    elif name == "kms-identity":
        iam.put_role_policy(
            RoleName=world.execution_role,
            PolicyName="DecryptModelData",
            PolicyDocument=document(statement("kms:Decrypt", world.key_arn)),
        )
    else:
        raise ValueError(f"unknown grant {name!r}; one of {GRANTS}")
    world.granted.add(name)


def create_model(world: World, package_arn: str | None = None) -> str:
    """CreateModel from the registry package as the world's caller. Returns the model name."""
    name = unique("model")
    world.sagemaker().create_model(
        ModelName=name,
        ExecutionRoleArn=world.execution_role_arn,
        Containers=[{"ModelPackageName": package_arn or world.package_arn}],
    )
    return name


def create_config(sm: Any, model: str) -> str:
    config = unique("config")
    sm.create_endpoint_config(
        EndpointConfigName=config,
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": model,
                "InitialInstanceCount": 1,
                "InstanceType": "ml.m5.large",
            }
        ],
    )
    return config


def settled(sm: Any, endpoint: str, timeout: float = 10.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        described = sm.describe_endpoint(EndpointName=endpoint)
        if described["EndpointStatus"] not in ("Creating", "Updating") or time.monotonic() > deadline:
            return described
        time.sleep(0.02)


def deploy(world: World) -> dict[str, Any]:
    """CreateModel, CreateEndpointConfig, CreateEndpoint; the endpoint once settled."""
    sm = world.sagemaker()
    config = create_config(sm, create_model(world))
    endpoint = unique("ep")
    sm.create_endpoint(EndpointName=endpoint, EndpointConfigName=config)
    return settled(sm, endpoint)
