"""The demo data set, as plain data: no AWS calls here (seed.py does those).

Every value of a version is derived from (group, version) alone, through an RNG
seeded with that pair, so a version looks the same whichever run creates it and
a re-run that only adds missing versions stays consistent with the first run.
"""

from __future__ import annotations

import datetime
import json
import random
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

REGISTRY_ACCOUNT = "111111111111"
STAGING_ACCOUNT = "222222222222"
PRODUCTION_ACCOUNT = "333333333333"
ACCOUNTS = {
    REGISTRY_ACCOUNT: "registry",
    STAGING_ACCOUNT: "staging",
    PRODUCTION_ACCOUNT: "production",
}
# The role the Backstage backend assumes in every account.
ACCESS_ROLE_NAME = "BackstageSageMakerAccess"
# The role SageMaker endpoints run as in the deploy-target accounts.
EXECUTION_ROLE_NAME = "SageMakerExecutionRole"
DEPLOY_TARGET_ACCOUNTS = (STAGING_ACCOUNT, PRODUCTION_ACCOUNT)
# Inline policy names (one per role).
REGISTRY_ACCESS_POLICY = "RegistryReadAndReview"
DEPLOY_ACCESS_POLICY = "SageMakerDeploy"
EXECUTION_ROLE_POLICY = "ModelArtifactsAccess"
REGION = "us-east-1"  # the registry's main region and the deploy targets' region


def role_arn(account: str, name: str) -> str:
    return f"arn:aws:iam::{account}:role/{name}"


def models_bucket(region: str) -> str:
    """The registry bucket holding the model artifacts of the groups in ``region``."""
    name = f"ml-models-{REGISTRY_ACCOUNT}"
    return name if region == REGION else f"{name}-{region}"


@dataclass(frozen=True)
class KeySpec:
    """A KMS key of the registry that encrypts model artifacts."""

    alias: str
    region: str
    key_id: str  # fixed through the _custom_id_ tag, so the ARN is the same on every run
    description: str
    # Deploy-target accounts whose SageMakerExecutionRole the key policy lets decrypt.
    decrypters: tuple[str, ...]
    account: str = REGISTRY_ACCOUNT

    @property
    def arn(self) -> str:
        return f"arn:aws:kms:{self.region}:{self.account}:key/{self.key_id}"


ARTIFACTS_ALIAS = "alias/ml-models-artifacts"
DEMAND_FORECAST_ALIAS = "alias/demand-forecast-artifacts"
KEYS: tuple[KeySpec, ...] = (
    KeySpec(
        alias=ARTIFACTS_ALIAS,
        region=REGION,
        key_id="3a1d9c2e-7f4b-4e8a-b6c5-0d9e8f7a6b51",
        description="Model artifacts in the registry (every group but demand-forecast)",
        decrypters=DEPLOY_TARGET_ACCOUNTS,
    ),
    KeySpec(
        alias=DEMAND_FORECAST_ALIAS,
        region=REGION,
        key_id="8c4e2a91-5d3f-4b7e-a2c6-9e1f0b3d7a42",
        description="Model artifacts of demand-forecast",
        # THE DEMO'S ONE MISSING GRANT: production's execution role cannot decrypt
        # demand-forecast's artifacts, so deploying demand-forecast to production
        # ends Failed. Add PRODUCTION_ACCOUNT here (the statement in README.md) to fix it.
        decrypters=(STAGING_ACCOUNT,),
    ),
    KeySpec(
        alias=ARTIFACTS_ALIAS,
        region="eu-west-1",
        key_id="5e7b3f10-2c8d-4a96-8e41-b7d2c9f0a163",
        description="Model artifacts in the registry's eu-west-1 bucket",
        decrypters=DEPLOY_TARGET_ACCOUNTS,
    ),
)


def key_for(alias: str, region: str) -> KeySpec:
    return next(k for k in KEYS if k.alias == alias and k.region == region)


ECR_REPOSITORY = "demand-forecast-inference"
ECR_REPOSITORY_ARN = f"arn:aws:ecr:{REGION}:{REGISTRY_ACCOUNT}:repository/{ECR_REPOSITORY}"
ECR_IMAGE_TAG = "2.1.0"
ECR_IMAGE = f"{REGISTRY_ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/{ECR_REPOSITORY}:{ECR_IMAGE_TAG}"
# A minimal Docker image manifest: enough for ECR PutImage.
ECR_IMAGE_MANIFEST = json.dumps(
    {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": 7143,
            "digest": "sha256:4f2a0c6b8e1d3f5a7c9b0d2e4f6a8c0b1d3e5f7a9c0b2d4e6f8a0c1b3d5e7f9a",
        },
        "layers": [
            {
                "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                "size": 29126484,
                "digest": "sha256:9b1d3f5a7c0e2a4c6e8a0b2d4f6a8c0e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a",
            }
        ],
    },
    sort_keys=True,
)


@dataclass(frozen=True)
class NetworkSpec:
    """The VPC resources a deploy target's config names (app-config.yaml)."""

    account: str
    vpc_id: str
    vpc_cidr: str
    subnets: tuple[tuple[str, str, str], ...]  # (subnet id, CIDR, availability zone)
    security_group_id: str
    security_group_name: str
    endpoint_key_id: str  # the endpoint storage KMS key (the target's kmsKeyId)

    @property
    def endpoint_key_arn(self) -> str:
        return f"arn:aws:kms:{REGION}:{self.account}:key/{self.endpoint_key_id}"


# Production's target in app-config.yaml runs in a VPC and encrypts endpoint storage.
PRODUCTION_NETWORK = NetworkSpec(
    account=PRODUCTION_ACCOUNT,
    vpc_id="vpc-0a1b2c3d4e5f60000",
    vpc_cidr="10.30.0.0/16",
    subnets=(
        ("subnet-0a1b2c3d4e5f60001", "10.30.1.0/24", "us-east-1a"),
        ("subnet-0a1b2c3d4e5f60002", "10.30.2.0/24", "us-east-1b"),
    ),
    security_group_id="sg-0a1b2c3d4e5f60003",
    security_group_name="sagemaker-endpoints",
    endpoint_key_id="2f9c1d7e-5b8a-4c3e-9f10-6d2b7a8e4c11",
)


@dataclass(frozen=True)
class AlarmSpec:
    account: str
    name: str
    description: str


# Production's deploymentConfig in app-config.yaml rolls an update back when this
# alarm goes into ALARM while a traffic share bakes. The seed leaves it OK.
PRODUCTION_ROLLBACK_ALARM = AlarmSpec(
    account=PRODUCTION_ACCOUNT,
    name="production-invocation-5xx",
    description="5xx errors of production's SageMaker endpoints; rolls back a guarded update.",
)


@dataclass(frozen=True)
class GroupSpec:
    name: str
    region: str
    versions: int
    description: str
    framework: str  # used in version descriptions
    image: str
    content_types: tuple[str, ...]
    extra_instance_types: tuple[str, ...] = ()
    # Metric baseline of version 1 and how much it gains by the last version.
    base: float = 0.85
    gain: float = 0.07
    pending_latest: int = 3  # the newest versions still awaiting review
    account: str = REGISTRY_ACCOUNT
    key_alias: str = ARTIFACTS_ALIAS  # the KMS key that encrypts the group's artifacts
    # Registered the way the SageMaker SDK's pipelines do: metrics only in
    # evaluation.json (ModelMetrics), lineage in MetadataProperties, Clarify
    # reports and a model card on the newest versions; none in the metadata.
    sdk_pipeline: bool = False
    positive_rate: float = 0.1  # share of positives in the evaluation set

    @property
    def arn(self) -> str:
        return f"arn:aws:sagemaker:{self.region}:{self.account}:model-package-group/{self.name}"

    @property
    def bucket(self) -> str:
        return models_bucket(self.region)

    @property
    def key(self) -> KeySpec:
        return key_for(self.key_alias, self.region)


# The catalog (written elsewhere) points at exactly these group ARNs.
GROUPS: tuple[GroupSpec, ...] = (
    GroupSpec(
        name="fraud-detection",
        region="us-east-1",
        versions=200,
        description="Card-not-present transaction fraud scoring (binary classifier).",
        framework="XGBoost 1.7",
        image="763104351884.dkr.ecr.us-east-1.amazonaws.com/xgboost-inference:1.7-1",
        content_types=("text/csv",),
        base=0.90,
        gain=0.045,
    ),
    GroupSpec(
        name="churn-prediction",
        region="us-east-1",
        versions=12,
        description="Predicts subscriber churn within 30 days.",
        framework="scikit-learn 1.2 gradient boosting",
        image="683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3",
        content_types=("text/csv", "application/json"),
        base=0.80,
        gain=0.08,
        pending_latest=2,
        sdk_pipeline=True,
        positive_rate=0.3,
    ),
    GroupSpec(
        name="demand-forecast",
        region="us-east-1",
        versions=8,
        description="Daily SKU-level demand forecast for the next 28 days.",
        framework="PyTorch 2.1 DeepAR",
        # The team's own image, in the registry's ECR (the other groups use AWS's images).
        image=ECR_IMAGE,
        content_types=("application/json",),
        base=0.78,
        gain=0.07,
        pending_latest=1,
        key_alias=DEMAND_FORECAST_ALIAS,
    ),
    GroupSpec(
        name="image-classifier",
        region="eu-west-1",
        versions=5,
        description="Product photo classifier (ResNet-50, 212 categories).",
        framework="PyTorch 2.1 ResNet-50",
        image="763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-inference:2.1.0-gpu-py310",
        content_types=("application/x-image", "image/jpeg"),
        extra_instance_types=("ml.g4dn.xlarge",),
        base=0.88,
        gain=0.04,
        pending_latest=1,
    ),
)

INSTANCE_TYPES = ("ml.m5.large", "ml.m5.xlarge", "ml.c5.xlarge")


def _rng(group: GroupSpec, version: int) -> random.Random:
    return random.Random(f"{group.account}/{group.region}/{group.name}/{version}")


def _clip(x: float) -> float:
    return max(0.5, min(0.9995, x))


def approval_status(group: GroupSpec, version: int) -> str:
    if version > group.versions - group.pending_latest:
        return "PendingManualApproval"
    return "Rejected" if _rng(group, version).random() < 0.25 else "Approved"


def version_spec(group: GroupSpec, version: int) -> dict[str, Any]:
    """Everything seed.py sends for one version.

    Returns the CreateModelPackage input (without the group name) under
    "create", the approval status under "status", and, for a reviewed version,
    the ApprovalDescription under "approval_description".
    """
    rng = _rng(group, version)
    rng.random()  # the draw approval_status() uses, kept aside so it stays stable
    status = approval_status(group, version)
    progress = (version - 1) / max(group.versions - 1, 1)
    # Rejected versions are the ones that regressed: that is why they were rejected.
    penalty = rng.uniform(0.02, 0.05) if status == "Rejected" else 0.0
    quality = group.base + group.gain * progress - penalty
    accuracy = _clip(quality + rng.gauss(0, 0.006))
    auc = _clip(quality + 0.03 + rng.gauss(0, 0.005))
    precision = _clip(quality - 0.02 + rng.gauss(0, 0.012))
    recall = _clip(quality - 0.05 + rng.gauss(0, 0.015))
    f1 = 2 * precision * recall / (precision + recall)

    # A believable training timeline: roughly every three days, ending near 2024-11.
    day = 3 * (version - group.versions) + rng.randint(-1, 1)
    year, month, dom = _date_from_offset(day)
    stamp = f"{year:04d}-{month:02d}-{dom:02d}"
    clock = f"{rng.randint(0, 23):02d}-{rng.randint(0, 59):02d}-{rng.randint(0, 59):02d}"
    job = f"{group.name}-train-{stamp}-{clock}-{version:03d}"
    commit = "".join(rng.choice("0123456789abcdef") for _ in range(40))
    prefix = f"s3://{group.bucket}/{group.name}/v{version}"
    instance_types = list(INSTANCE_TYPES) + list(group.extra_instance_types)
    metric_values = {"accuracy": accuracy, "auc": auc, "f1": f1, "precision": precision, "recall": recall}

    create: dict[str, Any] = {
        "ModelPackageDescription": (
            f"{group.description} {group.framework}, trained by {job} "
            f"on the {stamp} snapshot (commit {commit[:7]})."
        ),
        "ModelApprovalStatus": "PendingManualApproval",
        "InferenceSpecification": {
            "Containers": [
                {
                    "Image": group.image,
                    "ModelDataUrl": f"{prefix}/model.tar.gz",
                    "Environment": {"SAGEMAKER_PROGRAM": "inference.py"},
                }
            ],
            "SupportedContentTypes": list(group.content_types),
            "SupportedResponseMIMETypes": ["application/json"],
            "SupportedRealtimeInferenceInstanceTypes": instance_types,
            "SupportedTransformInstanceTypes": ["ml.m5.xlarge", "ml.c5.xlarge"],
        },
        "ModelMetrics": {
            "ModelQuality": {
                "Statistics": {
                    "ContentType": "application/json",
                    "S3Uri": f"{prefix}/evaluation/statistics.json",
                }
            }
        },
        "CustomerMetadataProperties": {
            **{name: f"{value:.4f}" for name, value in metric_values.items()},
            "training_job": job,
            "git_commit": commit,
            "dataset": f"s3://ml-datasets-{group.account}/{group.name}/{stamp}/",
        },
    }
    if group.sdk_pipeline:
        _as_sdk_pipeline(group, version, create, job=job, commit=commit, status=status, auc=auc)
    spec: dict[str, Any] = {"create": create, "status": status, "metrics": metric_values}
    if status == "Approved":
        spec["approval_description"] = (
            f"Approved: AUC {auc:.4f} and recall {recall:.4f} meet the release bar on the {stamp} holdout."
        )
    elif status == "Rejected":
        spec["approval_description"] = (
            f"Rejected: recall {recall:.4f} regressed by {penalty:.3f} against the previous approved version."
        )
    return spec


def _date_from_offset(days: int) -> tuple[int, int, int]:
    d = datetime.date(2024, 11, 15) + datetime.timedelta(days=days)
    return d.year, d.month, d.day


def cross_account_policy(group: GroupSpec) -> str:
    """The model package group policy that lets the deploy targets read and deploy it."""
    principals = [f"arn:aws:iam::{a}:root" for a in DEPLOY_TARGET_ACCOUNTS]
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AddPermModelPackageGroup",
                    "Effect": "Allow",
                    "Principal": {"AWS": principals},
                    "Action": ["sagemaker:DescribeModelPackageGroup"],
                    "Resource": group.arn,
                },
                {
                    "Sid": "AddPermModelPackageVersion",
                    "Effect": "Allow",
                    "Principal": {"AWS": principals},
                    "Action": [
                        "sagemaker:DescribeModelPackage",
                        "sagemaker:ListModelPackages",
                        "sagemaker:CreateModel",
                    ],
                    "Resource": group.arn.replace(":model-package-group/", ":model-package/") + "/*",
                },
            ],
        },
        sort_keys=True,
    )


# --- artifacts and the grants that reach them -----------------------------------------
#
# Everything a deploy of a registry version touches, and who may touch it. The
# emulator checks these on the deploy path (sagemaker_local/access.py), so the
# demo's deploys succeed exactly where these grants say they should.


def _policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, sort_keys=True)


def _execution_roles(accounts: tuple[str, ...] = DEPLOY_TARGET_ACCOUNTS) -> list[str]:
    return [role_arn(a, EXECUTION_ROLE_NAME) for a in accounts]


METRICS = ("accuracy", "auc", "f1", "precision", "recall")
CLARIFY_VERSIONS = 6  # the newest versions of an SDK-pipeline group with bias and explainability reports
MODEL_CARD_VERSIONS = 4  # the newest versions of an SDK-pipeline group with a model card
EVALUATION_ITEMS = 2000  # rows of the evaluation set behind the confusion matrix


def _report_uris(group: GroupSpec, version: int) -> dict[str, str]:
    """Report kind -> S3 key, for the reports a version's ModelMetrics names."""
    prefix = f"{group.name}/v{version}"
    if not group.sdk_pipeline:
        return {"statistics": f"{prefix}/evaluation/statistics.json"}
    uris = {
        "statistics": f"{prefix}/evaluation.json",
        "constraints": f"{prefix}/evaluation/constraints.json",
    }
    if version > group.versions - CLARIFY_VERSIONS:
        uris["bias"] = f"{prefix}/clarify/bias/analysis.json"
        uris["explainability"] = f"{prefix}/clarify/explainability/analysis.json"
    return uris


def _as_sdk_pipeline(
    group: GroupSpec, version: int, create: dict[str, Any], *, job: str, commit: str, status: str, auc: float
) -> None:
    """Rewrite a version's CreateModelPackage input as the SDK's RegisterModel step sends it."""
    uris = {kind: f"s3://{group.bucket}/{key}" for kind, key in _report_uris(group, version).items()}
    json_report = lambda uri: {"ContentType": "application/json", "S3Uri": uri}  # noqa: E731
    metrics: dict[str, Any] = {"ModelQuality": {"Statistics": json_report(uris["statistics"])}}
    if "bias" in uris:
        metrics["Bias"] = {"Report": json_report(uris["bias"])}
        metrics["Explainability"] = {"Report": json_report(uris["explainability"])}
    create["ModelMetrics"] = metrics
    create["DriftCheckBaselines"] = {"ModelQuality": {"Constraints": json_report(uris["constraints"])}}
    create["CustomerMetadataProperties"] = {
        k: v for k, v in create["CustomerMetadataProperties"].items() if k not in METRICS
    }
    create["MetadataProperties"] = {
        "CommitId": commit,
        "Repository": f"https://github.com/acme-ml/{group.name}",
        "GeneratedBy": f"arn:aws:sagemaker:{group.region}:{group.account}:training-job/{job}",
        "ProjectId": f"p-{group.name[:5]}0001",
    }
    if version > group.versions - MODEL_CARD_VERSIONS:
        create["ModelCard"] = {
            "ModelCardStatus": "Approved" if status == "Approved" else "PendingReview",
            "ModelCardContent": json.dumps(_model_card(group, version, job=job, auc=auc)),
        }


def _model_card(group: GroupSpec, version: int, *, job: str, auc: float) -> dict[str, Any]:
    return {
        "intended_uses": {
            "purpose_of_model": group.description,
            "intended_uses": "Weekly retention campaign targeting; not for pricing or credit decisions.",
            "factors_affecting_model_efficiency": "Seasonal promotions shift the churn base rate.",
            "risk_rating": "Medium",
            "explanations_for_risk_rating": "Wrong scores only change who receives a retention offer.",
        },
        "business_details": {
            "business_problem": "Reduce 30-day subscriber churn.",
            "business_stakeholders": "Retention marketing",
            "line_of_business": "Consumer subscriptions",
        },
        "training_details": {
            "objective_function": {"function": {"function": "Minimize", "facet": "Loss"}, "notes": "log loss"},
            "training_job_details": {
                "training_arn": f"arn:aws:sagemaker:{group.region}:{group.account}:training-job/{job}",
                "training_datasets": [f"s3://ml-datasets-{group.account}/{group.name}/train/"],
                "hyper_parameters": [{"name": "max_depth", "value": "5"}, {"name": "n_estimators", "value": "300"}],
            },
        },
        "evaluation_details": [
            {
                "name": f"Holdout evaluation of v{version}",
                "evaluation_observation": "Stable across plan types; weaker on accounts younger than 30 days.",
                "metric_groups": [
                    {
                        "name": "binary_classification",
                        "metric_data": [{"name": "auc", "type": "number", "value": round(auc, 4)}],
                    }
                ],
            }
        ],
        "additional_information": {
            "caveats_and_recommendations": "Re-evaluate after pricing changes.",
        },
    }


def _roc(auc: float) -> tuple[list[float], list[float]]:
    """A binormal ROC curve with the given AUC: false and true positive rates."""
    normal = NormalDist()
    separation = 2**0.5 * normal.inv_cdf(min(auc, 0.9999))
    fprs = [0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1.0]
    tprs = [0.0 if f == 0 else 1.0 if f == 1 else normal.cdf(separation + normal.inv_cdf(f)) for f in fprs]
    return fprs, [round(t, 4) for t in tprs]


def evaluation_report(group: GroupSpec, version: int) -> dict[str, Any]:
    """evaluation.json in SageMaker's model quality format (binary_classification_metrics)."""
    values = version_spec(group, version)["metrics"]
    rng = random.Random(f"{group.account}/{group.name}/{version}/evaluation")
    positives = round(EVALUATION_ITEMS * group.positive_rate)
    negatives = EVALUATION_ITEMS - positives
    tp = round(values["recall"] * positives)
    fp = min(negatives, round(tp * (1 / values["precision"] - 1)))
    fprs, tprs = _roc(values["auc"])
    precisions = [
        round(t * positives / (t * positives + f * negatives), 4) if t * positives + f * negatives else 1.0
        for f, t in zip(fprs, tprs)
    ]
    section: dict[str, Any] = {
        name: {"value": round(value, 4), "standard_deviation": round(rng.uniform(0.002, 0.008), 4)}
        for name, value in values.items()
    }
    section["confusion_matrix"] = {
        "0": {"0": negatives - fp, "1": fp},
        "1": {"0": positives - tp, "1": tp},
    }
    section["receiver_operating_characteristic_curve"] = {"false_positive_rates": fprs, "true_positive_rates": tprs}
    section["precision_recall_curve"] = {"precisions": precisions, "recalls": tprs}
    return {"version": 0.0, "dataset": {"item_count": EVALUATION_ITEMS}, "binary_classification_metrics": section}


def _constraints_report(group: GroupSpec, version: int) -> dict[str, Any]:
    recall = version_spec(group, version)["metrics"]["recall"]
    return {
        "version": 0.0,
        "binary_classification_constraints": {
            "recall": {"threshold": round(recall - 0.02, 4), "comparison_operator": "LessThanThreshold"},
        },
    }


def _bias_report(group: GroupSpec, version: int) -> dict[str, Any]:
    rng = random.Random(f"{group.account}/{group.name}/{version}/bias")

    def facet(value: str, metrics: dict[str, str]) -> list[dict[str, Any]]:
        return [
            {
                "value_or_threshold": value,
                "metrics": [
                    {"name": name, "description": description, "value": round(rng.uniform(-0.08, 0.12), 4)}
                    for name, description in metrics.items()
                ],
            }
        ]

    pre = {"CI": "Class Imbalance (CI)", "DPL": "Difference in Positive Proportions in Labels (DPL)"}
    post = {"DPPL": "Difference in Positive Proportions in Predicted Labels (DPPL)", "DI": "Disparate Impact (DI)"}
    return {
        "version": "1.0",
        "pre_training_bias_metrics": {"label": "churned", "facets": {"age": facet("40", pre)}},
        "post_training_bias_metrics": {"label": "churned", "facets": {"age": facet("40", post)}},
    }


def _explainability_report(group: GroupSpec, version: int) -> dict[str, Any]:
    rng = random.Random(f"{group.account}/{group.name}/{version}/shap")
    features = ("tenure_months", "support_tickets_90d", "monthly_charges", "plan_type", "age")
    return {
        "version": "1.0",
        "explanations": {
            "kernel_shap": {
                "label0": {
                    "global_shap_values": {f: round(rng.uniform(0.01, 0.3), 4) for f in features},
                    "expected_value": 0.3,
                }
            }
        },
    }


def artifacts(group: GroupSpec, version: int) -> dict[str, bytes]:
    """S3 key -> body of the objects a version references (model data and its reports)."""
    prefix = f"{group.name}/v{version}"
    builders = {
        "statistics": evaluation_report,
        "constraints": _constraints_report,
        "bias": _bias_report,
        "explainability": _explainability_report,
    }
    objects = {
        # A few bytes stand in for the model archive: nothing unpacks it.
        f"{prefix}/model.tar.gz": f"sagemaker-local demo model {group.name} v{version}\n".encode(),
    }
    for kind, key in _report_uris(group, version).items():
        objects[key] = json.dumps(builders[kind](group, version), sort_keys=True).encode()
    return objects


def bucket_policy(bucket: str) -> str:
    """The models bucket lets the deploy targets' execution roles read the artifacts."""
    return _policy(
        {
            "Sid": "DeployTargetsReadModelArtifacts",
            "Effect": "Allow",
            "Principal": {"AWS": _execution_roles()},
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{bucket}/*",
        }
    )


def _account_administers_key(account: str) -> dict[str, Any]:
    """KMS's default key-policy statement: the account's IAM policies decide."""
    return {
        "Sid": "EnableIAMUserPermissions",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
        "Action": "kms:*",
        "Resource": "*",
    }


def key_policy(key: KeySpec) -> str:
    """The registry administers its keys; the listed execution roles may decrypt."""
    return _policy(
        _account_administers_key(key.account),
        {
            "Sid": "DeployTargetsDecryptModelArtifacts",
            "Effect": "Allow",
            "Principal": {"AWS": _execution_roles(key.decrypters)},
            "Action": ["kms:Decrypt", "kms:DescribeKey"],
            "Resource": "*",
        },
    )


def missing_grant_statement() -> dict[str, Any]:
    """The key-policy statement that would let production decrypt demand-forecast's artifacts."""
    return {
        "Sid": "DeployTargetsDecryptModelArtifacts",
        "Effect": "Allow",
        "Principal": {"AWS": _execution_roles()},
        "Action": ["kms:Decrypt", "kms:DescribeKey"],
        "Resource": "*",
    }


def repository_policy() -> str:
    """The registry's repository lets the deploy targets' execution roles pull."""
    return _policy(
        {
            "Sid": "DeployTargetsPullImages",
            "Effect": "Allow",
            "Principal": {"AWS": _execution_roles()},
            "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
        }
    )


def registry_access_policy() -> str:
    """What the plugin does in the registry: read it, review versions, read the grants."""
    buckets = sorted({g.bucket for g in GROUPS})
    return _policy(
        {
            "Sid": "ReadAndReviewModelRegistry",
            "Effect": "Allow",
            "Action": [
                "sagemaker:List*",
                "sagemaker:Describe*",
                "sagemaker:BatchDescribeModelPackage",
                "sagemaker:Search",
                "sagemaker:UpdateModelPackage",
                "sagemaker:GetModelPackageGroupPolicy",
            ],
            "Resource": "*",
        },
        {
            "Sid": "ReadModelArtifactsAndBucketSettings",
            "Effect": "Allow",
            "Action": ["s3:GetBucketPolicy", "s3:GetEncryptionConfiguration", "s3:GetObject"],
            "Resource": [f"arn:aws:s3:::{b}" for b in buckets] + [f"arn:aws:s3:::{b}/*" for b in buckets],
        },
        {
            "Sid": "ReadArtifactKeys",
            "Effect": "Allow",
            "Action": ["kms:GetKeyPolicy", "kms:DescribeKey"],
            "Resource": f"arn:aws:kms:*:{REGISTRY_ACCOUNT}:key/*",
        },
        {
            # GetObject of an SSE-KMS object decrypts it: the metrics reports.
            "Sid": "DecryptMetricsReports",
            "Effect": "Allow",
            "Action": "kms:Decrypt",
            "Resource": f"arn:aws:kms:*:{REGISTRY_ACCOUNT}:key/*",
        },
        {
            "Sid": "ReadInferenceImages",
            "Effect": "Allow",
            "Action": ["ecr:GetRepositoryPolicy", "ecr:DescribeRepositories", "ecr:DescribeImages"],
            "Resource": f"arn:aws:ecr:*:{REGISTRY_ACCOUNT}:repository/*",
        },
    )


def execution_role_policy(account: str) -> str:
    """What an endpoint of a deploy target needs: the registry's artifacts, keys and image, and logs."""
    return _policy(
        {
            "Sid": "ReadModelArtifacts",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{models_bucket(REGION)}/*",
        },
        {
            "Sid": "DecryptModelArtifacts",
            "Effect": "Allow",
            "Action": "kms:Decrypt",
            "Resource": sorted(k.arn for k in KEYS if k.region == REGION),
        },
        {
            "Sid": "PullInferenceImage",
            "Effect": "Allow",
            "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
            "Resource": ECR_REPOSITORY_ARN,
        },
        {
            "Sid": "AuthenticateToECR",
            "Effect": "Allow",
            "Action": "ecr:GetAuthorizationToken",
            "Resource": "*",
        },
        {
            "Sid": "WriteEndpointLogs",
            "Effect": "Allow",
            "Action": [
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                "logs:PutLogEvents",
                "logs:DescribeLogStreams",
            ],
            "Resource": f"arn:aws:logs:{REGION}:{account}:log-group:/aws/sagemaker/*",
        },
    )


def deploy_access_policy(account: str) -> str:
    """What the plugin does in a deploy target: deploy, pass the execution role, read settings."""
    return _policy(
        {
            "Sid": "DeployEndpoints",
            "Effect": "Allow",
            "Action": [
                "sagemaker:CreateModel",
                "sagemaker:CreateEndpointConfig",
                "sagemaker:CreateEndpoint",
                "sagemaker:UpdateEndpoint",
                "sagemaker:Describe*",
                "sagemaker:Delete*",
                "sagemaker:ListEndpoints",
                "sagemaker:AddTags",
            ],
            "Resource": f"arn:aws:sagemaker:{REGION}:{account}:*",
        },
        {
            # The endpoints panel finds endpoints by their tags; Search takes no resource ARN.
            "Sid": "SearchEndpoints",
            "Effect": "Allow",
            "Action": "sagemaker:Search",
            "Resource": "*",
        },
        {
            # Cross-account, AWS wants the caller's own policy to allow using the
            # registry's versions as well as the group policy (the emulator checks
            # only the group policy).
            "Sid": "UseRegistryModelPackages",
            "Effect": "Allow",
            "Action": ["sagemaker:CreateModel", "sagemaker:DescribeModelPackage"],
            "Resource": f"arn:aws:sagemaker:*:{REGISTRY_ACCOUNT}:model-package/*",
        },
        {
            "Sid": "PassExecutionRoleToSageMaker",
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": role_arn(account, EXECUTION_ROLE_NAME),
            "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
        },
        {
            "Sid": "ReadRoles",
            "Effect": "Allow",
            "Action": [
                "iam:GetRole",
                "iam:GetRolePolicy",
                "iam:ListRolePolicies",
                "iam:ListAttachedRolePolicies",
                "iam:GetPolicy",
                "iam:GetPolicyVersion",
            ],
            "Resource": [
                f"arn:aws:iam::{account}:role/*",
                f"arn:aws:iam::{account}:policy/*",
                "arn:aws:iam::aws:policy/*",
            ],
        },
        {
            "Sid": "ReadNetwork",
            "Effect": "Allow",
            "Action": ["ec2:DescribeSubnets", "ec2:DescribeSecurityGroups"],
            "Resource": "*",
        },
        {
            "Sid": "ReadKeys",
            "Effect": "Allow",
            "Action": "kms:DescribeKey",
            "Resource": f"arn:aws:kms:{REGION}:{account}:key/*",
        },
    )


def endpoint_key_policy(network: NetworkSpec) -> str:
    """The endpoint storage key of a target: its account administers it (KMS's default policy)."""
    return _policy(
        _account_administers_key(network.account)
    )


# --- catalog discovery (plugins/catalog-backend-module-sagemaker) --------------------
# The demo discovers the staging account's own registry (a team training there) and the
# group a partner account shares with it through AWS RAM. None of these groups has a
# hand-written entity in dev/demo-catalog; the four groups above keep theirs.

PARTNER_ACCOUNT = "444444444444"


@dataclass(frozen=True)
class DiscoveredGroupSpec:
    account: str
    name: str
    description: str
    tags: tuple[tuple[str, str], ...]
    versions: int
    shared_with: tuple[str, ...] = ()

    @property
    def arn(self) -> str:
        return f"arn:aws:sagemaker:{REGION}:{self.account}:model-package-group/{self.name}"


DISCOVERED_GROUPS: tuple[DiscoveredGroupSpec, ...] = (
    DiscoveredGroupSpec(
        account=STAGING_ACCOUNT,
        name="credit-risk",
        description="Probability of default for consumer loans (the growth team's own registry)",
        tags=(("owner", "ml-growth"), ("domain", "lending")),
        versions=3,
    ),
    DiscoveredGroupSpec(
        account=PARTNER_ACCOUNT,
        name="partner-fraud-signals",
        description="Device-reputation scores a partner shares through AWS RAM",
        tags=(("owner", "ml-fraud"),),
        versions=2,
        shared_with=(STAGING_ACCOUNT,),
    ),
)


def discovered_version(group: DiscoveredGroupSpec, version: int) -> dict[str, Any]:
    """CreateModelPackage arguments of a discovered group's version (an AWS image, no artifacts)."""
    return {
        "ModelPackageDescription": f"{group.name} v{version}",
        "ModelApprovalStatus": "Approved" if version < group.versions else "PendingManualApproval",
        "InferenceSpecification": {
            "Containers": [
                {"Image": f"683313688378.dkr.ecr.{REGION}.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"}
            ],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
            "SupportedRealtimeInferenceInstanceTypes": ["ml.m5.large"],
        },
        "CustomerMetadataProperties": {"auc": f"{0.80 + version / 100:.4f}"},
    }


# --- EventBridge: SageMaker's events on their way to Backstage -------------------------
#
# What a real install sets up: in every account and region with SageMaker groups or
# deploy targets, a rule on the default bus forwards SageMaker's state changes to one
# central bus in the registry account; a rule there delivers them to the queue that
# Backstage's events backend (AWS SQS module, topic `sagemaker`) reads. The module
# never deletes a message it cannot parse as JSON, so the queue's redrive policy
# moves such a message to a dead-letter queue after a few receives instead of
# letting it come back after every visibility timeout.

EVENTS_RULE_NAME = "backstage-sagemaker-events"
EVENTS_BUS_NAME = "backstage-sagemaker"
EVENTS_QUEUE_NAME = "backstage-sagemaker-events"
EVENTS_DLQ_NAME = "backstage-sagemaker-events-dlq"
EVENTS_MAX_RECEIVE_COUNT = 3
# A standard queue's dead letters keep their first enqueue time, so the DLQ keeps
# them longer (14 days, SQS's maximum) than the main queue does (4 days, its default).
EVENTS_DLQ_RETENTION_SECONDS = 14 * 24 * 3600
EVENTS_ACCOUNT = REGISTRY_ACCOUNT
EVENTS_REGION = REGION
EVENTS_BUS_ARN = f"arn:aws:events:{EVENTS_REGION}:{EVENTS_ACCOUNT}:event-bus/{EVENTS_BUS_NAME}"
EVENTS_QUEUE_ARN = f"arn:aws:sqs:{EVENTS_REGION}:{EVENTS_ACCOUNT}:{EVENTS_QUEUE_NAME}"
EVENTS_DLQ_ARN = f"arn:aws:sqs:{EVENTS_REGION}:{EVENTS_ACCOUNT}:{EVENTS_DLQ_NAME}"
EVENTS_CENTRAL_RULE_ARN = (
    f"arn:aws:events:{EVENTS_REGION}:{EVENTS_ACCOUNT}:rule/{EVENTS_BUS_NAME}/{EVENTS_RULE_NAME}"
)
EVENTS_DETAIL_TYPES = ("SageMaker Model Package State Change", "SageMaker Endpoint State Change")


def event_sources() -> list[tuple[str, str]]:
    """(account, region) of every default bus that forwards to the central bus."""
    sources = {(g.account, g.region) for g in GROUPS}
    sources |= {(g.account, REGION) for g in DISCOVERED_GROUPS}
    sources |= {(a, REGION) for a in DEPLOY_TARGET_ACCOUNTS}
    return sorted(sources)


def events_pattern() -> str:
    return json.dumps({"source": ["aws.sagemaker"], "detail-type": list(EVENTS_DETAIL_TYPES)})


def events_bus_policy() -> str:
    """The central bus lets every other source account put events on it."""
    senders = sorted({account for account, _ in event_sources()} - {EVENTS_ACCOUNT})
    return _policy(
        {
            "Sid": "SageMakerAccountsForwardEvents",
            "Effect": "Allow",
            "Principal": {"AWS": [f"arn:aws:iam::{account}:root" for account in senders]},
            "Action": "events:PutEvents",
            "Resource": EVENTS_BUS_ARN,
        }
    )


def events_queue_redrive_policy() -> str:
    """After this many receives without a delete, SQS moves a message to the DLQ."""
    return json.dumps({"deadLetterTargetArn": EVENTS_DLQ_ARN, "maxReceiveCount": EVENTS_MAX_RECEIVE_COUNT})


def events_queue_policy() -> str:
    """EventBridge may send the central rule's events to the queue."""
    return _policy(
        {
            "Sid": "CentralRuleSendsEvents",
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Action": "sqs:SendMessage",
            "Resource": EVENTS_QUEUE_ARN,
            "Condition": {"ArnEquals": {"aws:SourceArn": EVENTS_CENTRAL_RULE_ARN}},
        }
    )
