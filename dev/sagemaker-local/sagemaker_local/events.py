"""SageMaker's EventBridge events, put on the default bus of the resource's account and region.

SageMaker sends "SageMaker Model Package State Change" and "SageMaker Endpoint State
Change" events (source ``aws.sagemaker``) to the default event bus; EventBridge then
delivers them through that bus's rules to their targets. Here the events are put
through moto's own EventBridge backend (``EventsBackend.put_events``, the same path
as PutEvents), so moto's rules, event patterns and targets apply. The shapes follow
the examples in AWS's "Events that Amazon SageMaker sends to Amazon EventBridge".

moto 5.2.5 differs from AWS in how it hands an event to two kinds of target, and
``install()`` patches ``Rule.send_to_targets`` for them:

- an SQS queue without an input transformer gets moto's default template, which
  drops ``account`` (and adds nothing else); AWS delivers the event as it is;
- an event bus in another account gets a *new* event (new id, time and account,
  no resources) without any permission check; AWS forwards the event unchanged, and
  only if the target bus's resource policy lets the sending account put events
  (otherwise it drops the event; nothing tells the sender).

Everything else (rule state, patterns, other targets, input transformers) is moto's.
"""

from __future__ import annotations

import copy
import json
import logging
import threading
from datetime import datetime, timezone
from typing import Any

from moto.core.utils import iso_8601_datetime_without_milliseconds, utcfromtimestamp
from moto.events.models import EventBus, EventsBackend, Rule, events_backends
from moto.sqs import sqs_backends
from moto.utilities.arns import parse_arn

SOURCE = "aws.sagemaker"
MODEL_PACKAGE_STATE_CHANGE = "SageMaker Model Package State Change"
ENDPOINT_STATE_CHANGE = "SageMaker Endpoint State Change"

# The detail fields of a Model Package State Change: those of AWS's example, plus the
# package's description, approval description, metadata and creator/modifier, which
# the real events carry when the package has them. Taken from the DescribeModelPackage
# record, so each has its API shape.
MODEL_PACKAGE_FIELDS = (
    "ModelPackageGroupName",
    "ModelPackageVersion",
    "ModelPackageArn",
    "ModelPackageDescription",
    "CreationTime",
    "InferenceSpecification",
    "ModelPackageStatus",
    "ModelPackageStatusDetails",
    "CertifyForMarketplace",
    "ModelApprovalStatus",
    "ApprovalDescription",
    "MetadataProperties",
    "ModelMetrics",
    "CustomerMetadataProperties",
    "ModelLifeCycle",
    "CreatedBy",
    "LastModifiedTime",
    "LastModifiedBy",
)
# The fields UpdatedModelPackageFields may name (AWS's example lists these).
UPDATABLE_FIELDS = (
    "ModelApprovalStatus",
    "ApprovalDescription",
    "CustomerMetadataProperties",
    "InferenceSpecification",
    "ModelLifeCycle",
)
# EndpointStatus as the events spell it (DescribeEndpoint says InService, the event IN_SERVICE).
EVENT_ENDPOINT_STATUS = {
    "OutOfService": "OUT_OF_SERVICE",
    "Creating": "CREATING",
    "Updating": "UPDATING",
    "SystemUpdating": "SYSTEM_UPDATING",
    "RollingBack": "ROLLING_BACK",
    "InService": "IN_SERVICE",
    "Deleting": "DELETING",
    "Failed": "FAILED",
}

log = logging.getLogger("sagemaker_local.events")
# Set while an event forwarded from another account is delivered on the receiving
# bus: AWS does not forward such an event to a third account.
_forwarding = threading.local()


def _iso(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _epoch_millis(value: datetime) -> float:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return float(round(value.timestamp() * 1000))


def _json_ready(value: Any) -> Any:
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    return value


def put(
    account: str, region: str, detail_type: str, resource_arn: str, detail: dict[str, Any], at: datetime
) -> None:
    """Put one SageMaker event on the default bus of ``account``/``region``."""
    backend: EventsBackend = events_backends[account][region]
    entry = {
        "Source": SOURCE,
        "DetailType": detail_type,
        "Detail": json.dumps(detail),
        "Resources": [resource_arn],
        "Time": at.replace(tzinfo=at.tzinfo or timezone.utc).timestamp(),
    }
    # put_events is how moto's PutEvents delivers: every rule of the bus, its pattern,
    # its targets. A failing target must not fail the SageMaker call that caused it.
    try:
        backend.put_events([entry])
    except Exception:  # logged: AWS never fails the API call for a delivery
        log.exception("delivering %s for %s failed", detail_type, resource_arn)


def model_package_state_change(
    account: str, region: str, record: dict[str, Any], updated_fields: list[str] | None = None
) -> None:
    """The event for a versioned package; ``record`` is its DescribeModelPackage record."""
    detail = {k: _json_ready(record[k]) for k in MODEL_PACKAGE_FIELDS if record.get(k) is not None}
    if updated_fields:
        detail["UpdatedModelPackageFields"] = list(updated_fields)
    at = record.get("LastModifiedTime") or record["CreationTime"]
    put(account, region, MODEL_PACKAGE_STATE_CHANGE, record["ModelPackageArn"], detail, at)


def endpoint_state_change(
    account: str,
    region: str,
    endpoint: Any,  # moto's FakeEndpoint
    at: datetime,
) -> None:
    variants = [
        {k: v[k] for k in ("VariantName", "DesiredWeight", "DesiredInstanceCount") if v.get(k) is not None}
        for v in endpoint.production_variants or []
    ]
    detail: dict[str, Any] = {
        "EndpointName": endpoint.endpoint_name,
        "EndpointArn": endpoint.arn,
        "EndpointConfigName": endpoint.endpoint_config_name,
        "ProductionVariants": variants,
        "EndpointStatus": EVENT_ENDPOINT_STATUS.get(endpoint.endpoint_status, endpoint.endpoint_status),
        "CreationTime": _epoch_millis(endpoint.creation_time),
        "LastModifiedTime": _epoch_millis(endpoint.last_modified_time),
        "Tags": {t["Key"]: t["Value"] for t in endpoint.tags or []},
    }
    if endpoint.failure_reason:
        detail["FailureReason"] = endpoint.failure_reason
    put(account, region, ENDPOINT_STATE_CHANGE, endpoint.arn, detail, at)


# --- delivery: what moto's Rule.send_to_targets does differently from AWS ----------------

_orig_send_to_targets = Rule.send_to_targets


def _matches(value: Any, wanted: Any) -> bool:
    values = wanted if isinstance(wanted, list) else [wanted]
    return "*" in values or value in values


def _principal_allows(principal: Any, account: str) -> bool:
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    names = principal.get("AWS")
    names = names if isinstance(names, list) else [names]
    return any(n in ("*", account, f"arn:aws:iam::{account}:root") for n in names if n is not None)


def bus_allows(bus: EventBus, sender_account: str) -> bool:
    """Whether the bus's resource policy lets ``sender_account`` put events on it.

    A statement counts when its action covers events:PutEvents and its principal names
    the account (its ID or root ARN) or everyone. Statements with a Condition are not
    evaluated (they would need the organization), so they grant nothing here; an
    explicit Deny wins.
    """
    if bus.account_id == sender_account:
        return True
    allowed = False
    for statement in json.loads(bus.policy or '{"Statement": []}')["Statement"]:
        if statement.get("Condition"):
            continue
        if not _matches("events:PutEvents", statement.get("Action")) and not _matches(
            "events:*", statement.get("Action")
        ):
            continue
        if not _principal_allows(statement.get("Principal"), sender_account):
            continue
        if statement.get("Effect") == "Deny":
            return False
        allowed = True
    return allowed


def _forward_to_bus(rule: Rule, target_arn: str, event: dict[str, Any]) -> None:
    arn = parse_arn(target_arn)
    if getattr(_forwarding, "active", False) and arn.account != rule.account_id:
        log.warning("not forwarding event %s a second time, to %s", event.get("id"), target_arn)
        return
    try:
        bus = events_backends[arn.account][arn.region].describe_event_bus(arn.resource_id)
    except Exception:  # a missing bus: AWS drops the event
        log.warning("dropping event %s: target bus %s does not exist", event.get("id"), target_arn)
        return
    if not bus_allows(bus, rule.account_id):
        log.warning(
            "dropping event %s: the policy of %s does not let account %s put events",
            event.get("id"),
            target_arn,
            rule.account_id,
        )
        return
    _forwarding.active = True
    try:
        for receiving_rule in list(bus.rules.values()):
            receiving_rule.send_to_targets(copy.deepcopy(event))
    finally:
        _forwarding.active = False


def _send_to_sqs(rule: Rule, target: dict[str, Any], event: dict[str, Any]) -> None:
    arn = parse_arn(target["Arn"])
    body = {k: v for k, v in event.items() if k != "ingestion-time"}
    if isinstance(body.get("time"), (int, float)):
        body["time"] = iso_8601_datetime_without_milliseconds(utcfromtimestamp(float(body["time"])))
    group_id = (target.get("SqsParameters") or {}).get("MessageGroupId")
    sqs_backends[arn.account][arn.region].send_message(
        queue_name=arn.resource_id, message_body=json.dumps(body), group_id=group_id
    )


def send_to_targets(self: Rule, original_event: dict[str, Any], transform_input: bool = True) -> None:
    if self.state != "ENABLED" or not self.event_pattern.matches_event(original_event):
        return
    for target in list(self.targets):
        # One target failing (a deleted queue, say) does not keep the event from the
        # others; AWS would retry, then drop it (or send it to the target's DLQ).
        try:
            _send_to_target(self, target, original_event, transform_input)
        except Exception:  # logged and dropped, as above
            log.exception("dropping event %s for target %s", original_event.get("id"), target.get("Arn"))


def _send_to_target(rule: Rule, target: dict[str, Any], event: dict[str, Any], transform_input: bool) -> None:
    arn = parse_arn(target["Arn"])
    as_is = not any(k in target for k in ("Input", "InputPath", "InputTransformer"))
    if arn.service == "events" and arn.resource_type == "event-bus":
        _forward_to_bus(rule, target["Arn"], event)
    elif arn.service == "sqs" and as_is and not target.get("SqsParameters"):
        _send_to_sqs(rule, target, event)
    else:
        one_target = copy.copy(rule)
        one_target.targets = [target]
        _orig_send_to_targets(one_target, event, transform_input)


def install() -> None:
    Rule.send_to_targets = send_to_targets  # type: ignore[method-assign]
