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


def role_arn(account: str, name: str) -> str:
    return f"arn:aws:iam::{account}:role/{name}"


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

    @property
    def arn(self) -> str:
        return f"arn:aws:sagemaker:{self.region}:{self.account}:model-package-group/{self.name}"


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
    ),
    GroupSpec(
        name="demand-forecast",
        region="us-east-1",
        versions=8,
        description="Daily SKU-level demand forecast for the next 28 days.",
        framework="PyTorch 2.1 DeepAR",
        image="763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.1.0-cpu-py310",
        content_types=("application/json",),
        base=0.78,
        gain=0.07,
        pending_latest=1,
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
    prefix = f"s3://ml-models-{group.account}/{group.name}/v{version}"
    instance_types = list(INSTANCE_TYPES) + list(group.extra_instance_types)

    create = {
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
            "accuracy": f"{accuracy:.4f}",
            "auc": f"{auc:.4f}",
            "f1": f"{f1:.4f}",
            "precision": f"{precision:.4f}",
            "recall": f"{recall:.4f}",
            "training_job": job,
            "git_commit": commit,
            "dataset": f"s3://ml-datasets-{group.account}/{group.name}/{stamp}/",
        },
    }
    spec: dict[str, Any] = {"create": create, "status": status}
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
