"""R5: reading a metrics report from S3 is refused as AWS refuses it (bucket policy,
identity policy, KMS key policy), with AWS's wording; what is granted is read."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from support import REGISTRY, Accounts, unique
from worlds import document, ensure_role, statement

TRAINING = "444444444444"
REPORT = json.dumps({"regression_metrics": {"mse": {"value": 4.6}}}).encode()


def reader_role(accounts: Accounts, *statements: dict[str, Any]) -> tuple[str, Any]:
    """A role in the registry that the tests assume, with an inline policy of ``statements``."""
    iam = accounts.client("iam", REGISTRY)
    name = unique("ReportReader")
    arn = ensure_role(iam, name, document(statement("sts:AssumeRole", principal={"AWS": f"arn:aws:iam::{REGISTRY}:root"})))
    if statements:
        iam.put_role_policy(RoleName=name, PolicyName="reports", PolicyDocument=document(*statements))
    return arn, Accounts(accounts.url, role_name=name).client("s3", REGISTRY)


def bucket_with_report(accounts: Accounts, account: str, kms_key: str | None = None) -> tuple[str, str]:
    s3 = accounts.client("s3", account)
    bucket = unique("reports")
    s3.create_bucket(Bucket=bucket)
    extra = {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": kms_key} if kms_key else {}
    s3.put_object(Bucket=bucket, Key="v1/evaluation.json", Body=REPORT, **extra)
    return bucket, "v1/evaluation.json"


def refused(e: pytest.ExceptionInfo[ClientError]) -> tuple[int, str, str]:
    error = e.value.response["Error"]
    return e.value.response["ResponseMetadata"]["HTTPStatusCode"], error["Code"], error["Message"]


def test_same_account_read_needs_an_identity_grant(accounts: Accounts) -> None:
    bucket, key = bucket_with_report(accounts, REGISTRY)
    _, denied = reader_role(accounts)
    with pytest.raises(ClientError) as e:
        denied.get_object(Bucket=bucket, Key=key)
    status, code, message = refused(e)
    assert (status, code) == (403, "AccessDenied")
    assert message.startswith(f"User: arn:aws:sts::{REGISTRY}:assumed-role/")
    assert f'is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::{bucket}/{key}"' in message
    assert "because no identity-based policy allows the s3:GetObject action" in message
    _, granted = reader_role(accounts, statement("s3:GetObject", f"arn:aws:s3:::{bucket}/*"))
    assert granted.get_object(Bucket=bucket, Key=key)["Body"].read() == REPORT
    # HeadObject decrypts nothing and stays moto's.
    assert denied.head_object(Bucket=bucket, Key=key)["ContentLength"] == len(REPORT)


def test_cross_account_read_needs_the_bucket_policy_too(accounts: Accounts) -> None:
    bucket, key = bucket_with_report(accounts, TRAINING)
    role_arn, s3 = reader_role(accounts, statement("s3:GetObject", f"arn:aws:s3:::{bucket}/*"))
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key=key)
    status, code, message = refused(e)
    assert (status, code) == (403, "AccessDenied")
    assert "because no resource-based policy allows the s3:GetObject action" in message
    accounts.client("s3", TRAINING).put_bucket_policy(
        Bucket=bucket,
        Policy=document(statement("s3:GetObject", f"arn:aws:s3:::{bucket}/*", principal={"AWS": role_arn})),
    )
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == REPORT


def test_sse_kms_report_needs_kms_decrypt(accounts: Accounts) -> None:
    kms = accounts.client("kms", REGISTRY)
    key = kms.create_key(
        Policy=document(
            statement("kms:*", "*", principal={"AWS": f"arn:aws:iam::{REGISTRY}:root"}),
        )
    )["KeyMetadata"]["Arn"]
    bucket, object_key = bucket_with_report(accounts, REGISTRY, kms_key=key)
    read = statement("s3:GetObject", f"arn:aws:s3:::{bucket}/*")
    _, without = reader_role(accounts, read)
    with pytest.raises(ClientError) as e:
        without.get_object(Bucket=bucket, Key=object_key)
    status, code, message = refused(e)
    assert (status, code) == (403, "AccessDenied")
    assert f"is not authorized to perform: kms:Decrypt on resource: {key}" in message
    _, with_decrypt = reader_role(accounts, read, statement("kms:Decrypt", key))
    assert with_decrypt.get_object(Bucket=bucket, Key=object_key)["Body"].read() == REPORT


def test_missing_object_is_still_no_such_key(accounts: Accounts) -> None:
    bucket, _ = bucket_with_report(accounts, REGISTRY)
    _, s3 = reader_role(accounts, statement("s3:GetObject", f"arn:aws:s3:::{bucket}/*"))
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="v2/evaluation.json")
    assert e.value.response["Error"]["Code"] == "NoSuchKey"
