"""Prints `export` lines with access keys of a user in the demo's registry account.

Used by scripts/start.sh against the local emulator: the emulator files a
request under the account its keys belong to, and the SageMaker events queue
belongs to 111111111111, so the backend's own identity must be a user there.
"""

import sys

import boto3

ACCOUNT = "111111111111"


def main(endpoint: str) -> None:
    static = {"aws_access_key_id": "test", "aws_secret_access_key": "test", "region_name": "us-east-1"}
    role = boto3.client("sts", endpoint_url=endpoint, **static).assume_role(
        RoleArn=f"arn:aws:iam::{ACCOUNT}:role/BackstageDemoSetup", RoleSessionName="demo-setup"
    )["Credentials"]
    iam = boto3.client(
        "iam",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=role["AccessKeyId"],
        aws_secret_access_key=role["SecretAccessKey"],
        aws_session_token=role["SessionToken"],
    )
    iam.create_user(UserName="backstage")
    key = iam.create_access_key(UserName="backstage")["AccessKey"]
    print(f"export AWS_ACCESS_KEY_ID={key['AccessKeyId']} AWS_SECRET_ACCESS_KEY={key['SecretAccessKey']}")


if __name__ == "__main__":
    main(sys.argv[1])
