"""SageMaker's EventBridge events: emitted by SageMaker calls, delivered by rules to SQS,
forwarded to a central bus in another account or region, as AWS does.

Each test routes only its own resources (an event pattern on the group or endpoint
name) to its own queues, so tests sharing the server do not see each other's events.
"""

from __future__ import annotations

import json
import re
import sys
import time
from typing import Any

import pytest
from support import ENDPOINT_DELAY, HERE, INFERENCE_SPEC, PRODUCTION, REGISTRY, STAGING, Accounts, unique
from test_endpoints import in_service_endpoint, make_config
from test_guardrails import alarm, canary, variant_status
from worlds import deploy_basics

sys.path.insert(0, str(HERE))

import seed  # noqa: E402
from sagemaker_local import demo_data as dd  # noqa: E402

PACKAGE_CHANGE = "SageMaker Model Package State Change"
ENDPOINT_CHANGE = "SageMaker Endpoint State Change"
ENVELOPE = {"version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"}
ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


@pytest.fixture(scope="module", autouse=True)
def deployable(accounts: Accounts) -> None:
    deploy_basics(accounts, STAGING)


def pattern(detail_type: str, **detail: str) -> str:
    return json.dumps(
        {
            "source": ["aws.sagemaker"],
            "detail-type": [detail_type],
            "detail": {k: [v] for k, v in detail.items()},
        }
    )


def new_queue(accounts: Accounts, account: str = REGISTRY, region: str = "us-east-1") -> tuple[str, str]:
    """A queue that EventBridge may send to: (URL, ARN)."""
    sqs = accounts.client("sqs", account, region)
    url = sqs.create_queue(QueueName=unique("events"))["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.set_queue_attributes(
        QueueUrl=url,
        Attributes={
            "Policy": json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "events.amazonaws.com"},
                            "Action": "sqs:SendMessage",
                            "Resource": arn,
                        }
                    ],
                }
            )
        },
    )
    return url, arn


def route(
    accounts: Accounts, account: str, region: str, event_pattern: str, target_arn: str, bus: str = "default"
) -> None:
    events = accounts.client("events", account, region)
    rule = unique("rule")
    events.put_rule(Name=rule, EventBusName=bus, EventPattern=event_pattern)
    events.put_targets(Rule=rule, EventBusName=bus, Targets=[{"Id": "target", "Arn": target_arn}])


def central_bus(accounts: Accounts, senders: list[str], event_pattern: str) -> tuple[str, str]:
    """A bus in the registry account (us-east-1) whose policy lets ``senders`` put events,
    with a rule to a queue of its own: (bus ARN, queue URL)."""
    events = accounts.client("events", REGISTRY)
    name = unique("central")
    bus_arn = events.create_event_bus(Name=name)["EventBusArn"]
    if senders:
        events.put_permission(
            EventBusName=name,
            Policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "Senders",
                            "Effect": "Allow",
                            "Principal": {"AWS": [f"arn:aws:iam::{a}:root" for a in senders]},
                            "Action": "events:PutEvents",
                            "Resource": bus_arn,
                        }
                    ],
                }
            ),
        )
    url, queue_arn = new_queue(accounts)
    route(accounts, REGISTRY, "us-east-1", event_pattern, queue_arn, bus=name)
    return bus_arn, url


def receive(
    accounts: Accounts, url: str, count: int, timeout: float = 5.0, account: str = REGISTRY
) -> list[dict[str, Any]]:
    """Exactly ``count`` events from the queue (waits for them, then checks no more come)."""
    sqs = accounts.client("sqs", account)  # every queue here is in us-east-1
    got: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while len(got) < count and time.monotonic() < deadline:
        for message in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
            got.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        time.sleep(0.05)
    time.sleep(0.3)
    extra = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    assert not extra, f"unexpected events: {[json.loads(m['Body']) for m in extra]}"
    assert len(got) == count, f"expected {count} events, got {got}"
    return got


def new_group(sm: Any) -> str:
    name = unique("group")
    sm.create_model_package_group(ModelPackageGroupName=name)
    return name


def assert_envelope(event: dict[str, Any], detail_type: str, account: str, region: str, arn: str) -> None:
    assert set(event) == ENVELOPE
    assert event["version"] == "0"
    assert event["source"] == "aws.sagemaker"
    assert event["detail-type"] == detail_type
    assert event["account"] == account
    assert event["region"] == region
    assert event["resources"] == [arn]
    assert ISO_TIME.match(event["time"]), event["time"]


def test_a_new_version_and_its_approval_reach_a_local_queue_and_the_central_bus(accounts: Accounts) -> None:
    sm = accounts.client("sagemaker", STAGING)
    group = new_group(sm)
    only_group = pattern(PACKAGE_CHANGE, ModelPackageGroupName=group)
    local_url, local_arn = new_queue(accounts, STAGING)
    route(accounts, STAGING, "us-east-1", only_group, local_arn)
    bus_arn, central_url = central_bus(accounts, [STAGING], only_group)
    route(accounts, STAGING, "us-east-1", only_group, bus_arn)

    arn = sm.create_model_package(ModelPackageGroupName=group, InferenceSpecification=INFERENCE_SPEC)[
        "ModelPackageArn"
    ]
    sm.update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved", ApprovalDescription="LGTM")

    local = receive(accounts, local_url, 2, account=STAGING)
    central = receive(accounts, central_url, 2)
    # Forwarded unchanged: same ids, account and everything else.
    assert central == local
    created, approved = local
    for event in (created, approved):
        assert_envelope(event, PACKAGE_CHANGE, STAGING, "us-east-1", arn)
    assert created["id"] != approved["id"]
    detail = created["detail"]
    assert detail["ModelPackageArn"] == arn
    assert detail["ModelPackageGroupName"] == group
    assert detail["ModelPackageVersion"] == 1
    assert detail["ModelApprovalStatus"] == "PendingManualApproval"
    assert detail["ModelPackageStatus"] == "Completed"
    assert detail["InferenceSpecification"] == INFERENCE_SPEC
    assert ISO_TIME.match(detail["CreationTime"])
    assert detail["CreatedBy"]["IamIdentity"]["Arn"].startswith(f"arn:aws:sts::{STAGING}:assumed-role/")
    assert "UpdatedModelPackageFields" not in detail
    detail = approved["detail"]
    assert detail["ModelApprovalStatus"] == "Approved"
    assert detail["ApprovalDescription"] == "LGTM"
    assert detail["UpdatedModelPackageFields"] == ["ModelApprovalStatus", "ApprovalDescription"]
    assert ISO_TIME.match(detail["LastModifiedTime"])


def test_only_approval_and_stage_changes_emit(accounts: Accounts) -> None:
    sm = accounts.client("sagemaker", REGISTRY)
    group = new_group(sm)
    url, queue_arn = new_queue(accounts)
    route(accounts, REGISTRY, "us-east-1", pattern(PACKAGE_CHANGE, ModelPackageGroupName=group), queue_arn)
    arn = sm.create_model_package(
        ModelPackageGroupName=group, InferenceSpecification=INFERENCE_SPEC, ModelApprovalStatus="Approved"
    )["ModelPackageArn"]
    assert receive(accounts, url, 1)[0]["detail"]["ModelApprovalStatus"] == "Approved"

    # The same status again, or only metadata: no state change, no event.
    sm.update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved")
    sm.update_model_package(ModelPackageArn=arn, CustomerMetadataProperties={"auc": "0.91"})
    receive(accounts, url, 0)

    stage = {"Stage": "Production", "StageStatus": "Approved", "StageDescription": "ship it"}
    sm.update_model_package(ModelPackageArn=arn, ModelLifeCycle=stage)
    (event,) = receive(accounts, url, 1)
    assert event["detail"]["ModelLifeCycle"] == stage
    assert event["detail"]["UpdatedModelPackageFields"] == ["ModelLifeCycle"]
    assert event["detail"]["CustomerMetadataProperties"] == {"auc": "0.91"}

    # A refused update changes nothing and emits nothing.
    with pytest.raises(sm.exceptions.ClientError):
        sm.update_model_package(
            ModelPackageArn=arn,
            ModelApprovalStatus="Maybe",
            ModelLifeCycle={"Stage": "Archived", "StageStatus": "Approved"},
        )
    receive(accounts, url, 0)
    described = sm.describe_model_package(ModelPackageName=arn)
    assert (described["ModelApprovalStatus"], described["ModelLifeCycle"]) == ("Approved", stage)


def endpoint_events(accounts: Accounts, name: str, account: str = STAGING) -> str:
    url, queue_arn = new_queue(accounts, account)
    route(accounts, account, "us-east-1", pattern(ENDPOINT_CHANGE, EndpointName=name), queue_arn)
    return url


def test_an_endpoint_create_walks_creating_to_in_service_without_being_read(accounts: Accounts) -> None:
    sm = accounts.client("sagemaker", STAGING)
    name = unique("ep")
    url = endpoint_events(accounts, name)
    config = make_config(sm)
    sm.create_endpoint(EndpointName=name, EndpointConfigName=config, Tags=[{"Key": "team", "Value": "ml"}])

    # Nobody describes the endpoint: the server settles it on its own and the events go out.
    creating, in_service = receive(accounts, url, 2, timeout=ENDPOINT_DELAY + 3, account=STAGING)
    arn = f"arn:aws:sagemaker:us-east-1:{STAGING}:endpoint/{name}"
    for event in (creating, in_service):
        assert_envelope(event, ENDPOINT_CHANGE, STAGING, "us-east-1", arn)
        assert event["detail"]["EndpointName"] == name
        assert event["detail"]["EndpointArn"] == arn
        assert event["detail"]["EndpointConfigName"] == config
        assert event["detail"]["Tags"] == {"team": "ml"}
        assert event["detail"]["ProductionVariants"] == [
            {"VariantName": "AllTraffic", "DesiredWeight": 1.0, "DesiredInstanceCount": 1}
        ]
        assert isinstance(event["detail"]["CreationTime"], float)
        assert "FailureReason" not in event["detail"]
    assert [creating["detail"]["EndpointStatus"], in_service["detail"]["EndpointStatus"]] == [
        "CREATING",
        "IN_SERVICE",
    ]
    assert in_service["detail"]["LastModifiedTime"] > creating["detail"]["LastModifiedTime"]
    assert sm.describe_endpoint(EndpointName=name)["EndpointStatus"] == "InService"

    sm.delete_endpoint(EndpointName=name)
    (deleting,) = receive(accounts, url, 1, account=STAGING)
    assert deleting["detail"]["EndpointStatus"] == "DELETING"


def test_a_failed_create_carries_its_failure_reason(accounts: Accounts) -> None:
    sm = accounts.client("sagemaker", STAGING)
    name = unique("force-fail")
    url = endpoint_events(accounts, name)
    sm.create_endpoint(EndpointName=name, EndpointConfigName=make_config(sm))
    creating, failed = receive(accounts, url, 2, timeout=ENDPOINT_DELAY + 3, account=STAGING)
    assert creating["detail"]["EndpointStatus"] == "CREATING"
    assert failed["detail"]["EndpointStatus"] == "FAILED"
    assert "did not pass the ping health check" in failed["detail"]["FailureReason"]


def test_a_guarded_update_that_rolls_back_emits_the_rollback(accounts: Accounts) -> None:
    sm = accounts.client("sagemaker", STAGING)
    cloudwatch = accounts.client("cloudwatch", STAGING)
    name, old_config = in_service_endpoint(sm, "guarded")
    url = endpoint_events(accounts, name)
    errors = alarm(cloudwatch, "errors")
    sm.update_endpoint(
        EndpointName=name, EndpointConfigName=make_config(sm), DeploymentConfig=canary(30, [errors])
    )
    deadline = time.monotonic() + 10
    while (variant_status(sm.describe_endpoint(EndpointName=name)) or ("",))[0] != "Baking":
        assert time.monotonic() < deadline, "never reached the canary's bake"
        time.sleep(0.1)
    cloudwatch.set_alarm_state(AlarmName=errors, StateValue="ALARM", StateReason="5xx on the canary")

    updating, rolling_back, back = receive(accounts, url, 3, timeout=ENDPOINT_DELAY + 3, account=STAGING)
    assert [e["detail"]["EndpointStatus"] for e in (updating, rolling_back, back)] == [
        "UPDATING",
        "ROLLING_BACK",
        "IN_SERVICE",
    ]
    assert back["detail"]["EndpointConfigName"] == old_config
    assert errors in back["detail"]["FailureReason"]


def test_events_from_another_region_reach_the_central_bus(accounts: Accounts) -> None:
    sm = accounts.client("sagemaker", REGISTRY, "eu-west-1")
    group = new_group(sm)
    only_group = pattern(PACKAGE_CHANGE, ModelPackageGroupName=group)
    bus_arn, central_url = central_bus(accounts, [], only_group)
    route(accounts, REGISTRY, "eu-west-1", only_group, bus_arn)
    spec = {**INFERENCE_SPEC, "Containers": [{"Image": "763104351884.dkr.ecr.eu-west-1.amazonaws.com/x:1"}]}
    arn = sm.create_model_package(ModelPackageGroupName=group, InferenceSpecification=spec)["ModelPackageArn"]
    (event,) = receive(accounts, central_url, 1)
    assert_envelope(event, PACKAGE_CHANGE, REGISTRY, "eu-west-1", arn)
    assert arn.startswith("arn:aws:sagemaker:eu-west-1:")


def test_a_bus_whose_policy_does_not_name_the_account_drops_its_events(accounts: Accounts) -> None:
    group = unique("group")
    only_group = pattern(PACKAGE_CHANGE, ModelPackageGroupName=group)
    bus_arn, central_url = central_bus(accounts, [STAGING], only_group)
    for account in (STAGING, PRODUCTION):
        route(accounts, account, "us-east-1", only_group, bus_arn)
        sm = accounts.client("sagemaker", account)
        sm.create_model_package_group(ModelPackageGroupName=group)
        sm.create_model_package(ModelPackageGroupName=group, InferenceSpecification=INFERENCE_SPEC)
    # Production is not in the bus policy: AWS drops its event without telling anyone.
    (event,) = receive(accounts, central_url, 1)
    assert event["account"] == STAGING


def test_the_seeded_routing_delivers_every_source_to_the_backstage_queue(
    server: Any, accounts: Accounts
) -> None:
    seeder = seed.Seeder(server.url)
    url = seeder.seed_event_routing()
    assert seeder.seed_event_routing() == url  # idempotent
    assert url == f"{server.url}/{dd.EVENTS_ACCOUNT}/{dd.EVENTS_QUEUE_NAME}"
    for account, region in dd.event_sources():
        rules = accounts.client("events", account, region).list_rules(NamePrefix=dd.EVENTS_RULE_NAME)["Rules"]
        assert [r["Name"] for r in rules] == [dd.EVENTS_RULE_NAME]
    # Earlier tests' events went to the queue once the routing existed: start from empty.
    accounts.client("sqs", REGISTRY).purge_queue(QueueUrl=url)

    partner = accounts.client("sagemaker", dd.PARTNER_ACCOUNT)
    group = new_group(partner)
    arn = partner.create_model_package(ModelPackageGroupName=group, InferenceSpecification=INFERENCE_SPEC)[
        "ModelPackageArn"
    ]
    partner.update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Rejected")
    events = receive(accounts, url, 2)
    for event in events:
        assert_envelope(event, PACKAGE_CHANGE, dd.PARTNER_ACCOUNT, "us-east-1", arn)
    assert [e["detail"]["ModelApprovalStatus"] for e in events] == ["PendingManualApproval", "Rejected"]


def test_the_seeded_queue_moves_a_message_received_three_times_to_its_dead_letter_queue(
    server: Any, accounts: Accounts
) -> None:
    # What the AWS SQS module leaves behind: a body it cannot parse, never deleted.
    url = seed.Seeder(server.url).seed_event_routing()
    sqs = accounts.client("sqs", dd.EVENTS_ACCOUNT, dd.EVENTS_REGION)
    dlq_url = sqs.get_queue_url(QueueName=dd.EVENTS_DLQ_NAME)["QueueUrl"]
    assert json.loads(
        sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])["Attributes"][
            "RedrivePolicy"
        ]
    ) == {
        "deadLetterTargetArn": dd.EVENTS_DLQ_ARN,
        "maxReceiveCount": 3,
    }
    body = f"not json {unique('garbage')}"
    sqs.send_message(QueueUrl=url, MessageBody=body)

    def bodies(queue_url: str) -> list[str]:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=0)
        return [m["Body"] for m in messages.get("Messages", [])]

    for _ in range(dd.EVENTS_MAX_RECEIVE_COUNT):
        assert body in bodies(url)
    assert body not in bodies(url)
    assert body in bodies(dlq_url)


def test_a_missing_target_or_a_disabled_rule_does_not_block_other_deliveries(accounts: Accounts) -> None:
    sm = accounts.client("sagemaker", REGISTRY)
    events = accounts.client("events", REGISTRY)
    group = new_group(sm)
    only_group = pattern(PACKAGE_CHANGE, ModelPackageGroupName=group)
    url, queue_arn = new_queue(accounts)
    gone = f"arn:aws:sqs:us-east-1:{REGISTRY}:{unique('deleted')}"
    rule = unique("rule")
    events.put_rule(Name=rule, EventPattern=only_group)
    events.put_targets(Rule=rule, Targets=[{"Id": "gone", "Arn": gone}, {"Id": "queue", "Arn": queue_arn}])
    disabled_url, disabled_arn = new_queue(accounts)
    disabled = unique("rule")
    events.put_rule(Name=disabled, EventPattern=only_group, State="DISABLED")
    events.put_targets(Rule=disabled, Targets=[{"Id": "queue", "Arn": disabled_arn}])

    sm.create_model_package(ModelPackageGroupName=group, InferenceSpecification=INFERENCE_SPEC)
    assert receive(accounts, url, 1)[0]["detail"]["ModelPackageGroupName"] == group
    receive(accounts, disabled_url, 0)
