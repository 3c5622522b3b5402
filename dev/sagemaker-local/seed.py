"""Seed the local SageMaker emulator with the demo accounts, roles and model registry.

    .venv/bin/python dev/sagemaker-local/seed.py [--endpoint URL] [--reset]

Idempotent: it creates only what is missing (and re-applies every policy), so
running it twice leaves the same data. It enters each account only through
sts:AssumeRole, as the plugin does. Besides the registry it builds what a deploy
of a registry version needs (artifacts in S3, KMS keys, an ECR repository, the
grants on each), with one grant missing on purpose: see demo_data.KEYS.
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
CUSTOM_ID_TAG = "_custom_id_"  # sagemaker_local/custom_ids.py: picks the ID of the new resource
UPLOAD_THREADS = 8
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

    def ensure_inline_policy(self, account: str, role: str, name: str, document: str) -> None:
        # PutRolePolicy replaces the policy: re-running it keeps it current.
        self.client("iam", account).put_role_policy(RoleName=role, PolicyName=name, PolicyDocument=document)

    def seed_roles(self) -> None:
        for account in dd.ACCOUNTS:
            self.ensure_role(account, dd.ACCESS_ROLE_NAME, None, "Assumed by the Backstage SageMaker plugin")
        self.ensure_inline_policy(
            dd.REGISTRY_ACCOUNT, dd.ACCESS_ROLE_NAME, dd.REGISTRY_ACCESS_POLICY, dd.registry_access_policy()
        )
        for account in dd.DEPLOY_TARGET_ACCOUNTS:
            self.ensure_inline_policy(
                account, dd.ACCESS_ROLE_NAME, dd.DEPLOY_ACCESS_POLICY, dd.deploy_access_policy(account)
            )
            self.ensure_role(
                account,
                dd.EXECUTION_ROLE_NAME,
                "sagemaker.amazonaws.com",
                "Execution role of SageMaker endpoints",
            )
            self.ensure_inline_policy(
                account, dd.EXECUTION_ROLE_NAME, dd.EXECUTION_ROLE_POLICY, dd.execution_role_policy(account)
            )

    def seed_alarm(self, alarm: dd.AlarmSpec) -> None:
        """A CloudWatch alarm on the account's endpoint 5xx errors, in state OK."""
        cloudwatch = self.client("cloudwatch", alarm.account)
        cloudwatch.put_metric_alarm(
            AlarmName=alarm.name,
            AlarmDescription=alarm.description,
            Namespace="AWS/SageMaker",
            MetricName="Invocation5XXErrors",
            Statistic="Sum",
            Period=60,
            EvaluationPeriods=1,
            Threshold=1,
            ComparisonOperator="GreaterThanOrEqualToThreshold",
            TreatMissingData="notBreaching",
        )
        cloudwatch.set_alarm_state(
            AlarmName=alarm.name, StateValue="OK", StateReason="Seeded by sagemaker-local"
        )

    # --- EventBridge: SageMaker's events to Backstage's queue ------------------------

    def seed_event_routing(self) -> str:
        """The central bus, its queue with a dead-letter queue, and a forwarding rule on
        every source's default bus.

        Returns the queue URL (what the backend's SQS module is configured with)."""
        account, region = dd.EVENTS_ACCOUNT, dd.EVENTS_REGION
        sqs = self.client("sqs", account, region)
        # The DLQ first: SQS refuses a redrive policy naming a queue that does not exist.
        dlq_url = sqs.create_queue(QueueName=dd.EVENTS_DLQ_NAME)["QueueUrl"]
        sqs.set_queue_attributes(
            QueueUrl=dlq_url, Attributes={"MessageRetentionPeriod": str(dd.EVENTS_DLQ_RETENTION_SECONDS)}
        )
        queue_url = sqs.create_queue(QueueName=dd.EVENTS_QUEUE_NAME)["QueueUrl"]
        sqs.set_queue_attributes(
            QueueUrl=queue_url,
            Attributes={
                "Policy": dd.events_queue_policy(),
                "RedrivePolicy": dd.events_queue_redrive_policy(),
            },
        )
        central = self.client("events", account, region)
        try:
            central.create_event_bus(Name=dd.EVENTS_BUS_NAME)
        except central.exceptions.ResourceAlreadyExistsException:
            pass
        central.put_permission(EventBusName=dd.EVENTS_BUS_NAME, Policy=dd.events_bus_policy())
        central.put_rule(
            Name=dd.EVENTS_RULE_NAME,
            EventBusName=dd.EVENTS_BUS_NAME,
            EventPattern=dd.events_pattern(),
            Description="SageMaker state changes to Backstage's queue",
        )
        central.put_targets(
            Rule=dd.EVENTS_RULE_NAME,
            EventBusName=dd.EVENTS_BUS_NAME,
            Targets=[{"Id": "backstage-queue", "Arn": dd.EVENTS_QUEUE_ARN}],
        )
        for source_account, source_region in dd.event_sources():
            events = self.client("events", source_account, source_region)
            events.put_rule(
                Name=dd.EVENTS_RULE_NAME,
                EventPattern=dd.events_pattern(),
                Description="SageMaker state changes to Backstage's central event bus",
            )
            events.put_targets(
                Rule=dd.EVENTS_RULE_NAME, Targets=[{"Id": "backstage-bus", "Arn": dd.EVENTS_BUS_ARN}]
            )
        return queue_url

    # --- KMS, S3, ECR, network -----------------------------------------------------

    def ensure_key(self, account: str, region: str, key_id: str, description: str, policy: str) -> None:
        """A KMS key with a fixed ID (through the _custom_id_ tag) and this key policy."""
        kms = self.client("kms", account, region)
        arn = f"arn:aws:kms:{region}:{account}:key/{key_id}"
        try:
            kms.describe_key(KeyId=arn)
        except ClientError as e:
            if e.response["Error"]["Code"] != "NotFoundException":
                raise
            created = kms.create_key(
                Description=description, Policy=policy, Tags=[{"TagKey": CUSTOM_ID_TAG, "TagValue": key_id}]
            )["KeyMetadata"]["KeyId"]
            if created != key_id:
                raise SystemExit(
                    f"error: the server gave key {created} instead of {key_id}; "
                    "is it sagemaker-local's server.py (which honours the _custom_id_ tag)?"
                ) from None
        kms.put_key_policy(KeyId=key_id, PolicyName="default", Policy=policy)

    def seed_keys(self) -> None:
        for key in dd.KEYS:
            self.ensure_key(key.account, key.region, key.key_id, key.description, dd.key_policy(key))
            kms = self.client("kms", key.account, key.region)
            aliases = {a["AliasName"] for a in kms.list_aliases(KeyId=key.key_id)["Aliases"]}
            if key.alias not in aliases:
                kms.create_alias(AliasName=key.alias, TargetKeyId=key.key_id)

    def seed_buckets(self) -> None:
        for region in sorted({g.region for g in dd.GROUPS}):
            bucket = dd.models_bucket(region)
            s3 = self.client("s3", dd.REGISTRY_ACCOUNT, region)
            try:
                s3.head_bucket(Bucket=bucket)
            except ClientError as e:
                if e.response["Error"]["Code"] not in ("404", "NoSuchBucket"):
                    raise
                location = {} if region == "us-east-1" else {"LocationConstraint": region}
                s3.create_bucket(
                    Bucket=bucket, **({"CreateBucketConfiguration": location} if location else {})
                )
            default_key = dd.key_for(dd.ARTIFACTS_ALIAS, region)
            s3.put_bucket_encryption(
                Bucket=bucket,
                ServerSideEncryptionConfiguration={
                    "Rules": [
                        {
                            "ApplyServerSideEncryptionByDefault": {
                                "SSEAlgorithm": "aws:kms",
                                "KMSMasterKeyID": default_key.arn,
                            },
                            "BucketKeyEnabled": True,
                        }
                    ]
                },
            )
            s3.put_bucket_policy(Bucket=bucket, Policy=dd.bucket_policy(bucket))

    def seed_artifacts(self, group: dd.GroupSpec, pool: ThreadPoolExecutor) -> int:
        """Upload the objects of every version that are missing; returns how many the group has."""
        s3 = self.client("s3", dd.REGISTRY_ACCOUNT, group.region)
        existing = {
            item["Key"]
            for page in s3.get_paginator("list_objects_v2").paginate(
                Bucket=group.bucket, Prefix=f"{group.name}/"
            )
            for item in page.get("Contents", [])
        }
        wanted = {
            key: body
            for version in range(1, group.versions + 1)
            for key, body in dd.artifacts(group, version).items()
        }

        def upload(key: str) -> None:
            s3.put_object(
                Bucket=group.bucket,
                Key=key,
                Body=wanted[key],
                ServerSideEncryption="aws:kms",
                SSEKMSKeyId=group.key.arn,
            )

        list(pool.map(upload, sorted(set(wanted) - existing)))
        return len(wanted)

    def seed_repository(self) -> None:
        ecr = self.client("ecr", dd.REGISTRY_ACCOUNT, dd.REGION)
        try:
            ecr.create_repository(repositoryName=dd.ECR_REPOSITORY)
        except ClientError as e:
            if e.response["Error"]["Code"] != "RepositoryAlreadyExistsException":
                raise
        try:
            ecr.describe_images(repositoryName=dd.ECR_REPOSITORY, imageIds=[{"imageTag": dd.ECR_IMAGE_TAG}])
        except ClientError as e:
            if e.response["Error"]["Code"] != "ImageNotFoundException":
                raise
            ecr.put_image(
                repositoryName=dd.ECR_REPOSITORY,
                imageManifest=dd.ECR_IMAGE_MANIFEST,
                imageTag=dd.ECR_IMAGE_TAG,
            )
        ecr.set_repository_policy(repositoryName=dd.ECR_REPOSITORY, policyText=dd.repository_policy())

    def seed_network(self, network: dd.NetworkSpec) -> None:
        """The VPC, subnets, security group and endpoint key a deploy target's config names."""
        ec2 = self.client("ec2", network.account, dd.REGION)

        def tags(kind: str, resource_id: str, name: str) -> list[dict[str, Any]]:
            return [
                {
                    "ResourceType": kind,
                    "Tags": [{"Key": CUSTOM_ID_TAG, "Value": resource_id}, {"Key": "Name", "Value": name}],
                }
            ]

        def check(kind: str, wanted: str, got: str) -> None:
            if got != wanted:
                raise SystemExit(f"error: the server gave {kind} {got} instead of {wanted}")

        if not ec2.describe_vpcs(Filters=[{"Name": "vpc-id", "Values": [network.vpc_id]}])["Vpcs"]:
            created = ec2.create_vpc(
                CidrBlock=network.vpc_cidr,
                TagSpecifications=tags("vpc", network.vpc_id, "sagemaker-endpoints"),
            )["Vpc"]["VpcId"]
            check("VPC", network.vpc_id, created)
        existing = {
            s["SubnetId"]
            for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [network.vpc_id]}])["Subnets"]
        }
        for subnet_id, cidr, zone in network.subnets:
            if subnet_id not in existing:
                created = ec2.create_subnet(
                    VpcId=network.vpc_id,
                    CidrBlock=cidr,
                    AvailabilityZone=zone,
                    TagSpecifications=tags("subnet", subnet_id, f"sagemaker-endpoints-{zone}"),
                )["Subnet"]["SubnetId"]
                check("subnet", subnet_id, created)
        groups = ec2.describe_security_groups(
            Filters=[{"Name": "group-id", "Values": [network.security_group_id]}]
        )
        if not groups["SecurityGroups"]:
            created = ec2.create_security_group(
                GroupName=network.security_group_name,
                Description="SageMaker endpoints",
                VpcId=network.vpc_id,
                TagSpecifications=tags(
                    "security-group", network.security_group_id, network.security_group_name
                ),
            )["GroupId"]
            check("security group", network.security_group_id, created)
        self.ensure_key(
            network.account,
            dd.REGION,
            network.endpoint_key_id,
            "Storage of SageMaker endpoints",
            dd.endpoint_key_policy(network),
        )

    # --- model registry ----------------------------------------------------------

    @staticmethod
    def ensure_group(sm: Any, name: str, description: str, tags: dict[str, str] | None = None) -> None:
        try:
            sm.describe_model_package_group(ModelPackageGroupName=name)
        except ClientError as e:
            if e.response["Error"]["Code"] != "ValidationException":
                raise
            sm.create_model_package_group(
                ModelPackageGroupName=name,
                ModelPackageGroupDescription=description,
                Tags=[{"Key": k, "Value": v} for k, v in (tags or {}).items()],
            )

    def seed_group(self, group: dd.GroupSpec) -> dict[str, int]:
        sm = self.client("sagemaker", group.account, group.region)
        self.ensure_group(sm, group.name, group.description)
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

    def seed_discovered(self, group: dd.DiscoveredGroupSpec) -> int:
        """A group for catalog discovery: tagged, a few versions, shared through RAM if so defined."""
        sm = self.client("sagemaker", group.account)
        self.ensure_group(sm, group.name, group.description, dict(group.tags))
        for version in range(len(self.list_versions(sm, group.name)) + 1, group.versions + 1):
            sm.create_model_package(ModelPackageGroupName=group.name, **dd.discovered_version(group, version))
        if group.shared_with:
            ram = self.client("ram", group.account)
            shares = ram.get_resource_shares(resourceOwner="SELF")["resourceShares"]
            if not any(share["name"] == group.name and share["status"] == "ACTIVE" for share in shares):
                ram.create_resource_share(
                    name=group.name, resourceArns=[group.arn], principals=list(group.shared_with)
                )
        return group.versions

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


def summary_of_artifacts(object_counts: list[int]) -> list[str]:
    lines = []
    for region in sorted({g.region for g in dd.GROUPS}, key=lambda r: (r != dd.REGION, r)):
        objects = sum(n for g, n in zip(dd.GROUPS, object_counts) if g.region == region)
        lines.append(f"    {region} s3://{dd.models_bucket(region)}: {objects} objects, SSE-KMS")
    for key in dd.KEYS:
        readers = ", ".join(dd.ACCOUNTS[a] for a in key.decrypters)
        lines.append(f"    {key.region} {key.alias} {key.arn}: decrypt by {readers}")
    lines.append(f"    {dd.REGION} ecr {dd.ECR_REPOSITORY_ARN} ({dd.ECR_IMAGE_TAG})")
    return lines


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
        seeder.seed_keys()
        seeder.seed_buckets()
        seeder.seed_repository()
        seeder.seed_network(dd.PRODUCTION_NETWORK)
        seeder.seed_alarm(dd.PRODUCTION_ROLLBACK_ALARM)
        # Versions of one group must be created in order; groups are independent, and
        # so are the artifact uploads.
        with (
            ThreadPoolExecutor(max_workers=2 * len(dd.GROUPS)) as pool,
            ThreadPoolExecutor(max_workers=UPLOAD_THREADS) as uploads,
        ):
            objects = [pool.submit(seeder.seed_artifacts, group, uploads) for group in dd.GROUPS]
            counts = list(pool.map(seeder.seed_group, dd.GROUPS))
            object_counts = [f.result() for f in objects]
        discovered = [seeder.seed_discovered(group) for group in dd.DISCOVERED_GROUPS]
        # Last, so that the seed's own registrations are not sent as events: on a real
        # install the registry existed before Backstage listened to it.
        queue_url = seeder.seed_event_routing()
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
        if account == dd.REGISTRY_ACCOUNT:
            lines += summary_of_artifacts(object_counts)
        for group, count in zip(dd.GROUPS, counts):
            if group.account != account:
                continue
            detail = ", ".join(
                f"{count[s]} {s}" for s in ("Approved", "Rejected", "PendingManualApproval") if count[s]
            )
            lines.append(f"    {group.region} {group.name}: {sum(count.values())} versions ({detail})")
        network = dd.PRODUCTION_NETWORK
        if account == network.account:
            lines.append(
                f"    {dd.REGION} vpc {network.vpc_id}: subnets {', '.join(s[0] for s in network.subnets)}; "
                f"security group {network.security_group_id}; endpoint key {network.endpoint_key_arn}"
            )
        alarm = dd.PRODUCTION_ROLLBACK_ALARM
        if account == alarm.account:
            lines.append(f"    {dd.REGION} cloudwatch alarm {alarm.name} (OK): rolls back guarded updates")
    for group, count in zip(dd.DISCOVERED_GROUPS, discovered):
        shared = f", shared through RAM with {', '.join(group.shared_with)}" if group.shared_with else ""
        lines.append(f"  {group.account} (for catalog discovery): {group.name}: {count} versions{shared}")
    sources = ", ".join(f"{a} {r}" for a, r in dd.event_sources())
    lines.append(f"  events: rule {dd.EVENTS_RULE_NAME} on the default bus of {sources}")
    lines.append(f"    forwards to {dd.EVENTS_BUS_ARN}, whose rule delivers to the SQS queue {queue_url}")
    dlq_url = queue_url.rsplit("/", 1)[0] + "/" + dd.EVENTS_DLQ_NAME
    lines.append(
        f"    (after {dd.EVENTS_MAX_RECEIVE_COUNT} receives without a delete, a message moves to {dlq_url})"
    )
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
