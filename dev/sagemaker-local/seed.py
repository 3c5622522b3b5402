"""Seed the local SageMaker emulator with the demo accounts, roles and model registry.

    .venv/bin/python dev/sagemaker-local/seed.py [--endpoint URL] [--reset]

Idempotent: it creates only what is missing, so running it twice leaves the same
data. It enters each account only through sts:AssumeRole, as the plugin does.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sagemaker_local import demo_data as dd  # noqa: E402

DEFAULT_ENDPOINT = "http://127.0.0.1:4566"
SESSION_NAME = "sagemaker-local-seed"
# No retries: a local server either answers or the seed should stop and say so.
BOTO_CONFIG = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30)


class Seeder:
    def __init__(self, endpoint: str):
        self.endpoint = endpoint
        # Static credentials only get us to STS; every account is entered via AssumeRole.
        self.base = boto3.session.Session(
            aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "test"),
            aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "test"),
            region_name="us-east-1",
        )
        self._sessions: dict[str, boto3.session.Session] = {}

    def client(self, service: str, account: str, region: str = "us-east-1") -> Any:
        return self.session(account).client(
            service, region_name=region, endpoint_url=self.endpoint, config=BOTO_CONFIG
        )

    def session(self, account: str) -> boto3.session.Session:
        if account not in self._sessions:
            sts = self.base.client("sts", endpoint_url=self.endpoint, config=BOTO_CONFIG)
            creds = sts.assume_role(
                RoleArn=dd.role_arn(account, dd.ACCESS_ROLE_NAME),
                RoleSessionName=SESSION_NAME,
            )["Credentials"]
            self._sessions[account] = boto3.session.Session(
                aws_access_key_id=creds["AccessKeyId"],
                aws_secret_access_key=creds["SecretAccessKey"],
                aws_session_token=creds["SessionToken"],
            )
        return self._sessions[account]

    # --- IAM ---------------------------------------------------------------------

    def ensure_role(self, account: str, name: str, trusted_service: str | None, description: str) -> None:
        iam = self.client("iam", account)
        principal = (
            {"Service": trusted_service}
            if trusted_service
            else {"AWS": f"arn:aws:iam::{dd.REGISTRY_ACCOUNT}:root"}
        )
        trust = json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}],
            }
        )
        try:
            iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust, Description=description)
        except ClientError as e:
            if e.response["Error"]["Code"] != "EntityAlreadyExists":
                raise

    def seed_roles(self) -> None:
        for account in dd.ACCOUNTS:
            self.ensure_role(account, dd.ACCESS_ROLE_NAME, None, "Assumed by the Backstage SageMaker plugin")
        for account in dd.DEPLOY_TARGET_ACCOUNTS:
            self.ensure_role(
                account,
                dd.EXECUTION_ROLE_NAME,
                "sagemaker.amazonaws.com",
                "Execution role of SageMaker endpoints",
            )

    # --- model registry ----------------------------------------------------------

    def seed_group(self, group: dd.GroupSpec) -> dict[str, int]:
        sm = self.client("sagemaker", group.account, group.region)
        try:
            sm.describe_model_package_group(ModelPackageGroupName=group.name)
        except ClientError as e:
            if e.response["Error"]["Code"] != "ValidationException":
                raise
            sm.create_model_package_group(
                ModelPackageGroupName=group.name, ModelPackageGroupDescription=group.description
            )
        sm.put_model_package_group_policy(
            ModelPackageGroupName=group.name, ResourcePolicy=dd.cross_account_policy(group)
        )

        existing = self.list_versions(sm, group.name)
        if len(existing) > group.versions:
            raise SystemExit(
                f"error: {group.arn} has {len(existing)} versions, more than the {group.versions} "
                "the demo defines; run with --reset to start over"
            )
        # Finish any review a previous, interrupted run left pending.
        for version, status in existing.items():
            spec = dd.version_spec(group, version)
            if status != spec["status"]:
                self.review(sm, group, version, spec)
        for version in range(len(existing) + 1, group.versions + 1):
            spec = dd.version_spec(group, version)
            arn = sm.create_model_package(ModelPackageGroupName=group.name, **spec["create"])[
                "ModelPackageArn"
            ]
            if not arn.endswith(f"/{version}"):
                raise SystemExit(f"error: expected version {version} of {group.name}, got {arn}")
            if spec["status"] != "PendingManualApproval":
                self.review(sm, group, version, spec)
        return Counter(self.list_versions(sm, group.name).values())

    @staticmethod
    def review(sm: Any, group: dd.GroupSpec, version: int, spec: dict[str, Any]) -> None:
        # Approval is an update, as in real life: it stamps LastModifiedBy/Time.
        sm.update_model_package(
            ModelPackageArn=f"{group.arn.replace(':model-package-group/', ':model-package/')}/{version}",
            ModelApprovalStatus=spec["status"],
            ApprovalDescription=spec["approval_description"],
        )

    @staticmethod
    def list_versions(sm: Any, group_name: str) -> dict[int, str]:
        """version -> approval status of every version in the group."""
        versions: dict[int, str] = {}
        for page in sm.get_paginator("list_model_packages").paginate(
            ModelPackageGroupName=group_name, PaginationConfig={"PageSize": 100}
        ):
            for summary in page["ModelPackageSummaryList"]:
                versions[summary["ModelPackageVersion"]] = summary["ModelApprovalStatus"]
        return versions


def reset(endpoint: str) -> None:
    request = urllib.request.Request(f"{endpoint.rstrip('/')}/moto-api/reset", method="POST", data=b"")
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--endpoint",
        default=os.environ.get("AWS_ENDPOINT_URL", DEFAULT_ENDPOINT),
        help=f"emulator URL (default $AWS_ENDPOINT_URL or {DEFAULT_ENDPOINT})",
    )
    parser.add_argument(
        "--reset", action="store_true", help="wipe all emulator state first (POST /moto-api/reset)"
    )
    args = parser.parse_args(argv)

    started = time.monotonic()
    try:
        if args.reset:
            reset(args.endpoint)
        seeder = Seeder(args.endpoint)
        seeder.seed_roles()
        # Versions of one group must be created in order; groups are independent.
        with ThreadPoolExecutor(max_workers=len(dd.GROUPS)) as pool:
            counts = list(pool.map(seeder.seed_group, dd.GROUPS))
    except (OSError, ClientError) as e:
        # botocore's EndpointConnectionError is an OSError too.
        print(f"error: seeding {args.endpoint} failed: {e}", file=sys.stderr)
        if isinstance(e, OSError) and not isinstance(e, ClientError):
            print(
                "hint: is the emulator running? start it with dev/sagemaker-local/start.sh", file=sys.stderr
            )
        return 1

    lines = [f"Seeded {args.endpoint} in {time.monotonic() - started:.1f}s"]
    for account, label in dd.ACCOUNTS.items():
        roles = [dd.ACCESS_ROLE_NAME] + (
            [dd.EXECUTION_ROLE_NAME] if account in dd.DEPLOY_TARGET_ACCOUNTS else []
        )
        lines.append(f"  {account} ({label}): roles {', '.join(roles)}")
        for group, count in zip(dd.GROUPS, counts):
            if group.account != account:
                continue
            detail = ", ".join(
                f"{count[s]} {s}" for s in ("Approved", "Rejected", "PendingManualApproval") if count[s]
            )
            lines.append(f"    {group.region} {group.name}: {sum(count.values())} versions ({detail})")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
