"""What moto 5.2.5 lacks for the SageMaker plugin, patched into its SageMaker service.

moto answers an action by calling the SageMakerResponse method named after it
(``UpdateEndpoint`` -> ``update_endpoint``); an action without a method comes back
as a 500 HTML page, which the AWS SDKs retry and then report as a parse error.
So each missing action is a method added to SageMakerResponse, and each behaviour
that differs from AWS is a thin wrapper around the SageMakerModelBackend method.
Requests are parsed and responses serialised by moto from botocore's service
model, so the wire shapes are AWS's own: a key that is not in the output shape
is dropped, and timestamps go out as epoch seconds.

Endpoint status transitions are stored as "due at" timestamps and applied when an
endpoint is described or listed, or by ``settle_all`` (which server.py runs a few
times a second, so that the EventBridge events of each transition go out on time
even when nobody reads the endpoint). Every EndpointStatus change goes through
``_set_status``, which emits its "SageMaker Endpoint State Change" event
(events.py); versioned model packages emit "SageMaker Model Package State Change"
when created and when their approval status or stage changes.

Call ``install()`` once, before the server handles its first request.
"""

from __future__ import annotations

import base64
import copy
import functools
import json
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import botocore.session
from botocore.model import Shape
from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import utcnow
from moto.kms import responses as kms_responses
from moto.ram.models import ResourceShare, ram_backends
from moto.sagemaker.exceptions import ConflictException, ValidationError
from moto.sagemaker.models import (
    FakeEndpoint,
    FakeEndpointConfig,
    ModelPackage,
    SageMakerModelBackend,
    sagemaker_backends,
)
from moto.sagemaker.responses import SageMakerResponse
from moto.sagemaker.utils import validate_model_approval_status
from moto.sts.models import sts_backends
from moto.utilities.utils import get_partition

from . import access, custom_ids, events, guardrails

# The health-check failure AWS reports when a container never answers /ping: the
# most common real reason a deployment ends Failed, so the UI sees a realistic one.
DEFAULT_FAILURE_REASON = (
    "The primary container for production variant AllTraffic did not pass the ping "
    "health check. Please check CloudWatch logs for this endpoint."
)

GROUP_ARN = re.compile(
    r"^arn:aws[a-z-]*:sagemaker:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):"
    r"model-package-group/(?P<name>.+)$"
)


@dataclass
class Settings:
    endpoint_delay: timedelta
    fail_pattern: re.Pattern[str]
    enforce_access: bool = True  # the deploy-path access checks of access.py
    # A guarded update's bakes last WaitIntervalInSeconds times this (1 = as AWS).
    guardrail_time_scale: float = 1.0

    @classmethod
    def from_env(cls) -> Settings:
        raw_delay = os.environ.get("SAGEMAKER_LOCAL_ENDPOINT_DELAY_SECONDS", "3")
        try:
            delay = float(raw_delay)
        except ValueError:
            raise SystemExit(
                f"error: SAGEMAKER_LOCAL_ENDPOINT_DELAY_SECONDS must be a number, got {raw_delay!r}"
            ) from None
        pattern = os.environ.get("SAGEMAKER_LOCAL_FAIL_ENDPOINT_PATTERN", "force-fail")
        try:
            compiled = re.compile(pattern)
        except re.error as e:
            raise SystemExit(
                f"error: SAGEMAKER_LOCAL_FAIL_ENDPOINT_PATTERN is not a valid regex ({e}): {pattern!r}"
            ) from None
        raw_enforce = os.environ.get("SAGEMAKER_LOCAL_ENFORCE_ACCESS", "1").strip().lower()
        if raw_enforce not in ("0", "1", "true", "false"):
            raise SystemExit(f"error: SAGEMAKER_LOCAL_ENFORCE_ACCESS must be 1 or 0, got {raw_enforce!r}")
        raw_scale = os.environ.get("SAGEMAKER_LOCAL_GUARDRAIL_TIME_SCALE", "1")
        try:
            scale = float(raw_scale)
        except ValueError:
            raise SystemExit(
                f"error: SAGEMAKER_LOCAL_GUARDRAIL_TIME_SCALE must be a number, got {raw_scale!r}"
            ) from None
        return cls(
            timedelta(seconds=max(delay, 0.0)), compiled, raw_enforce in ("1", "true"), max(scale, 0.0)
        )


@dataclass
class Transition:
    """An endpoint on its way to InService (or Failed) at ``due``."""

    kind: str  # "Creating" | "Updating"
    due: datetime
    config_name: str  # the config the endpoint runs once the transition succeeds
    guarded: guardrails.GuardedUpdate | None = None  # an update with a DeploymentConfig


@dataclass
class ForcedFailure:
    reason: str
    # Real AWS rolls a failed *update* back: the endpoint returns to InService on
    # its old config with FailureReason set. rollback=True emulates that instead
    # of ending Failed.
    rollback: bool = False


settings = Settings.from_env()
# moto's threaded server handles requests concurrently; one lock keeps the
# read-settle-write of endpoint state consistent.
_lock = threading.RLock()
# (account, region, endpoint name) -> failure armed by the control route.
_armed: dict[tuple[str, str, str], ForcedFailure] = {}


def _transitions(backend: SageMakerModelBackend) -> dict[str, Transition]:
    # Kept on the backend so that POST /moto-api/reset (which re-initialises every
    # backend) drops them along with the endpoints.
    if not hasattr(backend, "_local_transitions"):
        backend._local_transitions = {}  # type: ignore[attr-defined]
    return backend._local_transitions  # type: ignore[attr-defined]


def _endpoint_arn(backend: SageMakerModelBackend, name: str) -> str:
    return FakeEndpoint.arn_formatter(name, backend.account_id, backend.region_name)


def _set_status(
    backend: SageMakerModelBackend,
    endpoint: FakeEndpoint,
    status: str,
    at: datetime,
    failure_reason: str | None = None,
) -> None:
    """The one place an endpoint's EndpointStatus changes; each change is an event."""
    endpoint.failure_reason = failure_reason
    endpoint.last_modified_time = at
    if endpoint.endpoint_status == status:
        return
    endpoint.endpoint_status = status
    events.endpoint_state_change(backend.account_id, backend.region_name, endpoint, at)


def _start_transition(
    backend: SageMakerModelBackend,
    endpoint: FakeEndpoint,
    kind: str,
    config_name: str,
    deployment_config: dict[str, Any] | None = None,
) -> None:
    now = utcnow()
    if kind == "Updating":
        # AWS keeps serving (and describing) the old config during an update and
        # shows the incoming one here.
        endpoint.pending_deployment_summary = {
            "EndpointConfigName": config_name,
            "StartTime": now,
        }
    guarded = None
    if deployment_config:
        config = backend.endpoint_configs[config_name]
        instances = sum(v.get("InitialInstanceCount") or 1 for v in config.production_variants)
        guarded = guardrails.plan(
            deployment_config,
            endpoint.endpoint_config_name,
            instances,
            now,
            settings.endpoint_delay,
            settings.guardrail_time_scale,
        )
    _transitions(backend)[endpoint.endpoint_name] = Transition(
        kind, guarded.end if guarded else now + settings.endpoint_delay, config_name, guarded
    )
    _set_status(backend, endpoint, kind, now)


def _advance_guarded(
    backend: SageMakerModelBackend, endpoint: FakeEndpoint, transition: Transition, now: datetime
) -> bool:
    """Move a guarded update on to ``now``; True when it has ended (rolled back)."""
    update = transition.guarded
    assert update is not None
    if update.rolling_back_until is not None:
        if now < update.rolling_back_until:
            return False
        endpoint.last_deployment_config = update.deployment_config  # type: ignore[attr-defined]
        _set_status(backend, endpoint, "InService", update.rolling_back_until, update.failure_reason)
        return True
    phase = guardrails.phase_at(update, now)
    baking = phase is not None and phase.status == "Baking"
    if baking or now >= transition.due:
        tripped = guardrails.alarms_in_alarm(backend.account_id, backend.region_name, update.alarms)
        if tripped:
            endpoint.pending_deployment_summary = None
            update.failure_reason = guardrails.rollback_reason(tripped)
            update.rolling_back_until = now + settings.endpoint_delay
            _set_status(backend, endpoint, "RollingBack", now)
            return False
    if phase is not None:
        config = backend.endpoint_configs.get(transition.config_name)
        variants = config.production_variants if config is not None else [{}]
        endpoint.pending_deployment_summary = guardrails.pending_summary(
            update, transition.config_name, update.phases[0].start, phase, variants[0]
        )
    return False


def settle(backend: SageMakerModelBackend) -> None:
    """Apply every transition whose delay has passed."""
    with _lock:
        now = utcnow()
        pending = _transitions(backend)
        for name, transition in list(pending.items()):
            endpoint = backend.endpoints.get(name)
            if endpoint is None:
                del pending[name]
                continue
            if transition.guarded is not None and _advance_guarded(backend, endpoint, transition, now):
                del pending[name]
                continue
            if now < transition.due or endpoint.endpoint_status == "RollingBack":
                continue
            del pending[name]
            failure = _armed.pop((backend.account_id, backend.region_name, name), None)
            if failure is None and settings.fail_pattern.search(name):
                failure = ForcedFailure(DEFAULT_FAILURE_REASON)
            if failure is None and settings.enforce_access:
                reason = access.endpoint_failure(backend, transition.config_name)
                if reason is not None:
                    failure = ForcedFailure(reason)  # ends Failed, an update too
            endpoint.pending_deployment_summary = None
            if failure is None:
                if transition.kind == "Updating":
                    config = backend.endpoint_configs.get(transition.config_name)
                    if config is not None:
                        endpoint.production_variants = endpoint._process_production_variants(
                            config.production_variants
                        )
                    endpoint.endpoint_config_name = transition.config_name
                    if transition.guarded is not None:
                        guarded_config = transition.guarded.deployment_config
                        endpoint.last_deployment_config = guarded_config  # type: ignore[attr-defined]
                _set_status(backend, endpoint, "InService", transition.due)
            elif failure.rollback and transition.kind == "Updating":
                _set_status(backend, endpoint, "InService", transition.due, failure.reason)
            else:
                _set_status(backend, endpoint, "Failed", transition.due, failure.reason)


def settle_all() -> None:
    """Settle every backend with a transition in flight (server.py calls this on a timer)."""
    for account_backends in list(dict.values(sagemaker_backends)):
        for backend in list(dict.values(account_backends)):
            if _transitions(backend):
                settle(backend)


def arm_failure(
    account_id: str, region: str, name: str, reason: str | None, rollback: bool
) -> dict[str, Any] | None:
    """Make the current transition of the endpoint, or its next one, fail.

    Returns None for a region SageMaker does not have.
    """
    with _lock:
        try:
            backend = sagemaker_backends[account_id][region]
        except KeyError:
            return None
        _armed[(account_id, region, name)] = ForcedFailure(reason or DEFAULT_FAILURE_REASON, rollback)
        return {
            "endpointArn": FakeEndpoint.arn_formatter(name, account_id, region),
            "endpointExists": name in backend.endpoints,
            "appliesTo": "current transition" if name in _transitions(backend) else "next transition",
        }


def reset_armed_failures() -> None:
    with _lock:
        _armed.clear()


# --- endpoints: backend wrappers -------------------------------------------------

_orig_create_endpoint = SageMakerModelBackend.create_endpoint
_orig_describe_endpoint = SageMakerModelBackend.describe_endpoint
_orig_list_endpoints = SageMakerModelBackend.list_endpoints
_orig_delete_endpoint = SageMakerModelBackend.delete_endpoint


def create_endpoint(
    self: SageMakerModelBackend, endpoint_name: str, endpoint_config_name: str, tags: Any
) -> FakeEndpoint:
    with _lock:
        if endpoint_name in self.endpoints:
            # moto silently replaced the endpoint; AWS refuses.
            arn = _endpoint_arn(self, endpoint_name)
            raise ValidationError(f'Cannot create already existing endpoint "{arn}".')
        endpoint = _orig_create_endpoint(self, endpoint_name, endpoint_config_name, tags)
        _start_transition(self, endpoint, "Creating", endpoint_config_name)
        return endpoint


def describe_endpoint(self: SageMakerModelBackend, endpoint_name: str) -> dict[str, Any]:
    settle(self)
    return _orig_describe_endpoint(self, endpoint_name)


def list_endpoints(self: SageMakerModelBackend, *args: Any, **kwargs: Any) -> Any:
    settle(self)
    return _orig_list_endpoints(self, *args, **kwargs)


def delete_endpoint(self: SageMakerModelBackend, endpoint_name: str) -> None:
    with _lock:
        endpoint = self.endpoints.get(endpoint_name)
        _orig_delete_endpoint(self, endpoint_name)
        if endpoint is not None:
            _set_status(self, endpoint, "Deleting", utcnow(), endpoint.failure_reason)
        _transitions(self).pop(endpoint_name, None)
        _armed.pop((self.account_id, self.region_name, endpoint_name), None)


def update_endpoint(
    self: SageMakerModelBackend,
    endpoint_name: str,
    endpoint_config_name: str,
    deployment_config: dict[str, Any] | None = None,
) -> str:
    settle(self)
    with _lock:
        endpoint = self.endpoints.get(endpoint_name)
        arn = _endpoint_arn(self, endpoint_name)
        if endpoint is None:
            raise ValidationError(f"Could not find endpoint '{arn}'.")
        if endpoint_config_name not in self.endpoint_configs:
            config_arn = FakeEndpointConfig.arn_formatter(
                endpoint_config_name, self.account_id, self.region_name
            )
            raise ValidationError(f"Could not find endpoint configuration '{config_arn}'.")
        if endpoint.endpoint_status in ("Creating", "Updating", "RollingBack"):
            raise ValidationError(f'Cannot update in-progress endpoint "{arn}".')
        if endpoint.endpoint_status == "Failed":
            raise ValidationError(f'Cannot update failed endpoint "{arn}".')
        _start_transition(self, endpoint, "Updating", endpoint_config_name, deployment_config)
        return endpoint.arn


_instance_types: frozenset[str] | None = None


def validate_instance_type(self: FakeEndpointConfig, instance_type: str) -> None:
    """Check against botocore's current enum: moto's own list predates ml.g5 and newer."""
    global _instance_types
    if _instance_types is None:
        model = botocore.session.get_session().get_service_model("sagemaker")
        _instance_types = frozenset(model.shape_for("ProductionVariantInstanceType").enum)
    if instance_type not in _instance_types:
        raise ValidationError(
            f"Value '{instance_type}' at 'instanceType' failed to satisfy constraint: "
            "Member must satisfy enum value set: [ProductionVariantInstanceType]"
        )


# --- model package groups ----------------------------------------------------------

_orig_create_model_package_group = SageMakerModelBackend.create_model_package_group
_orig_describe_model_package_group = SageMakerModelBackend.describe_model_package_group


def _group_name(self: SageMakerModelBackend, name_or_arn: str) -> str:
    """AWS accepts a group's name or its ARN wherever ModelPackageGroupName goes."""
    match = GROUP_ARN.match(name_or_arn or "")
    if not match:
        return name_or_arn
    if (match["account"], match["region"]) != (self.account_id, self.region_name):
        # Resources of another account or region are out of reach: say so the way
        # AWS does for a group it cannot see.
        raise ValidationError(f"ModelPackageGroup {name_or_arn} does not exist.")
    return match["name"]


def create_model_package_group(
    self: SageMakerModelBackend,
    model_package_group_name: str,
    model_package_group_description: str,
    tags: Any = None,
) -> str:
    if model_package_group_name in self.model_package_groups:
        # moto silently replaced the group (and forgot its policy); AWS refuses.
        arn = self.model_package_groups[model_package_group_name].arn
        raise ValidationError(f"Model Package Group already exists: {arn}")
    return _orig_create_model_package_group(
        self, model_package_group_name, model_package_group_description, tags
    )


def describe_model_package_group(self: SageMakerModelBackend, model_package_group_name: str) -> Any:
    return _orig_describe_model_package_group(self, _group_name(self, model_package_group_name))


def delete_model_package_group(self: SageMakerModelBackend, model_package_group_name: str) -> None:
    """moto lacks DeleteModelPackageGroup. AWS deletes only a group without versions."""
    group = self.describe_model_package_group(model_package_group_name)  # ValidationException if unknown
    name = group.model_package_group_name
    if any(p.model_package_group_name == name for p in self.model_packages.values()):
        # The error botocore lists for this action; the wording is our best guess.
        raise ConflictException(
            f"Model Package Group {group.arn} cannot be deleted: it still has model packages. "
            "Delete them first."
        )
    del self.model_package_groups[name]


# --- groups shared through AWS RAM ---------------------------------------------------
# moto's RAM keeps resource shares but does not know model package groups as a
# shareable type, and SageMaker ignores RAM. A share is modelled as AWS runs it inside
# an organization with RAM sharing enabled: active for its principals at once (no
# invitation to accept). ListModelPackageGroups with CrossAccountFilterOption
# CrossAccount lists the groups of other accounts that an ACTIVE share in the group's
# region names together with the caller's account (its ID or arn:aws:iam::<id>:root).


def _shared_groups(account_id: str, region: str) -> list[Any]:
    found: dict[str, Any] = {}
    for owner, regions in list(ram_backends.items()):
        if owner == account_id:
            continue
        for share_region, ram in list(regions.items()):
            if share_region != region:
                continue
            for share in ram.resource_shares:
                principals = {p.removeprefix("arn:aws:iam::").removesuffix(":root") for p in share.principals}
                if share.status != "ACTIVE" or account_id not in principals:
                    continue
                for arn in share.resource_arns:
                    match = GROUP_ARN.match(arn)
                    if not match or match["account"] != owner or match["region"] != region:
                        continue
                    group = sagemaker_backends[owner][region].model_package_groups.get(match["name"])
                    if group is not None:  # a deleted group is no longer shared
                        found[group.arn] = group
    return sorted(found.values(), key=lambda g: g.creation_time)


# --- model packages ----------------------------------------------------------------


def _caller_identity(response: SageMakerResponse) -> dict[str, Any]:
    """UserContext for the caller: STS knows which assumed role an access key belongs to.

    Outside SageMaker Studio AWS fills only IamIdentity (no user profile), so that
    is what the plugin must be ready to show.
    """
    sts = sts_backends[response.current_account][get_partition(response.region)]
    principal_id, arn, _ = sts.get_caller_identity(response.access_key, response.region)
    return {"IamIdentity": {"Arn": arn, "PrincipalId": principal_id}}


def _versioned_summary(package: ModelPackage) -> dict[str, Any]:
    summary = {
        "ModelPackageGroupName": package.model_package_group_name,
        "ModelPackageVersion": package.model_package_version,
        "ModelPackageArn": package.arn,
        "ModelPackageDescription": package.model_package_description,
        "CreationTime": package.creation_time,
        "InferenceSpecification": package.inference_specification,
        "ModelPackageStatus": package.model_package_status,
        "ModelApprovalStatus": package.model_approval_status,
    }
    return {k: v for k, v in summary.items() if v is not None}


# --- Search over model packages and endpoints ----------------------------------------
#
# moto's Search returned model packages (unversioned ones too) unsorted and unpaged,
# treated every operator but NotEquals and Contains as Equals, and compared numbers
# with the filter's string Value, so no ModelPackageVersion filter ever matched.
# Search is the one call that returns whole records (metadata, CreatedBy) for a page
# of versions, so Resource="ModelPackage" is answered here. moto's Search over
# Endpoint had the same faults, ended at the first Tags.<key> filter (matching
# everything after it) and returned records without Tags; AWS's Endpoint record
# carries them, so Resource="Endpoint" is answered here too. Every other Resource
# still goes to moto. Property names and their types come from botocore's
# ModelPackage and Endpoint shapes; `Tags.<key>` is a string property of either.

NUMERIC = ("integer", "long", "float", "double")
ORDERED = {"Equals", "NotEquals", "GreaterThan", "GreaterThanOrEqualTo", "LessThan", "LessThanOrEqualTo"}
# Operators besides Exists/NotExists by property type (AWS: no order on text, In and
# Contains on text only); structures, lists and maps take only Exists/NotExists.
OPERATORS: dict[str, set[str]] = {
    "string": {"Equals", "NotEquals", "In", "Contains"},
    "boolean": {"Equals", "NotEquals"},
    "timestamp": ORDERED,
    **{numeric: ORDERED for numeric in NUMERIC},
}
Record = dict[str, Any]


@functools.lru_cache(maxsize=None)
def _service_model() -> Any:
    # Loading botocore's SageMaker model takes about a second: once per process.
    return botocore.session.get_session().get_service_model("sagemaker")


@functools.lru_cache(maxsize=None)
def _shape(name: str) -> Shape:
    return _service_model().shape_for(name)


def _check_enum(value: Any, where: str, shape_name: str) -> None:
    allowed = _shape(shape_name).enum
    if value not in allowed:
        raise ValidationError(
            f"1 validation error detected: Value '{value}' at '{where}' failed to satisfy constraint: "
            f"Member must satisfy enum value set: [{', '.join(allowed)}]"
        )


def _property(name: Any, resource: str) -> Shape:
    """The shape of a property such as ModelPackageVersion or CustomerMetadataProperties.auc."""
    shape = _shape(resource)
    if str(name).startswith("Tags.") and len(str(name)) > len("Tags."):
        return _shape("TagValue")
    for part in str(name).split("."):
        if shape.type_name == "structure" and part in shape.members:
            shape = shape.members[part]
        elif shape.type_name == "map":
            shape = shape.value
        else:
            raise ValidationError(f"Unknown property name: {name}")
    return shape


def _lookup(record: Record, name: str) -> Any:
    if name.startswith("Tags."):
        key = name[len("Tags.") :]
        return next((t.get("Value") for t in record.get("Tags") or [] if t.get("Key") == key), None)
    value: Any = record
    for part in name.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _typed(shape: Shape, name: str, text: str) -> Any:
    """A filter Value as the property's type: numbers compare as numbers, times as times."""
    try:
        if shape.type_name in NUMERIC:
            return float(text)
        if shape.type_name == "timestamp":
            # AWS documents YYYY-mm-ddTHH:MM:SS; a zone (JS toISOString's Z) is honoured,
            # none means UTC, like moto's own timestamps.
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            return moment.astimezone(timezone.utc).replace(tzinfo=None) if moment.tzinfo else moment
        if shape.type_name == "boolean" and text.lower() in ("true", "false"):
            return text.lower() == "true"
        if shape.type_name == "string":
            return text
    except ValueError:
        pass
    raise ValidationError(f"Value '{text}' is not valid for property {name} ({shape.type_name}).")


def _compile_filter(f: dict[str, Any], resource: str) -> Callable[[Record], bool]:
    name, value = f.get("Name"), f.get("Value")
    operator = f.get("Operator") or "Equals"  # AWS: a Value without an Operator means Equals
    _check_enum(operator, "searchExpression.filters.member.operator", "Operator")
    shape = _property(name, resource)
    if operator == "Exists":
        return lambda record: _lookup(record, name) is not None
    if operator == "NotExists":
        return lambda record: _lookup(record, name) is None
    if value is None:
        raise ValidationError(f"A Value is required for operator {operator} on {name}.")
    value = str(value)
    if operator not in OPERATORS.get(shape.type_name, set()):
        raise ValidationError(f"Operator {operator} is not supported for {name} ({shape.type_name}).")
    expected = value.split(",") if operator == "In" else _typed(shape, name, value)
    test: Callable[[Any], bool] = {
        "Equals": lambda actual: actual == expected,
        "NotEquals": lambda actual: actual != expected,
        "GreaterThan": lambda actual: actual > expected,
        "GreaterThanOrEqualTo": lambda actual: actual >= expected,
        "LessThan": lambda actual: actual < expected,
        "LessThanOrEqualTo": lambda actual: actual <= expected,
        "In": lambda actual: actual in expected,
        "Contains": lambda actual: expected in actual,
    }[operator]

    def matches(record: Record) -> bool:
        actual = _lookup(record, name)
        if actual is None:
            return operator == "NotEquals"  # our reading of AWS; not verified against it
        return test(actual)

    return matches


def _compile(expression: dict[str, Any], resource: str) -> Callable[[Record], bool]:
    """A SearchExpression as a predicate on records; invalid input raises before any matching."""
    operator = expression.get("Operator") or "And"
    _check_enum(operator, "searchExpression.operator", "BooleanOperator")
    if expression.get("NestedFilters"):
        raise ValidationError("NestedFilters are not supported by sagemaker-local.")
    parts = [_compile_filter(f, resource) for f in expression.get("Filters") or []]
    parts += [_compile(e, resource) for e in expression.get("SubExpressions") or []]
    if not parts:
        raise ValidationError("A SearchExpression needs at least one filter or sub-expression.")
    combine = all if operator == "And" else any
    return lambda record: combine(part(record) for part in parts)


def _sorted(records: list[Record], sort_by: str, descending: bool) -> list[Record]:
    """Records without the property go last either way; ties in group and version (or name) order."""

    def tie(record: Record) -> tuple[str, int]:
        if "EndpointName" in record:
            return record["EndpointName"], 0
        return record["ModelPackageGroupName"], record["ModelPackageVersion"]

    present = [r for r in records if _lookup(r, sort_by) is not None]
    missing = [r for r in records if _lookup(r, sort_by) is None]
    present.sort(key=lambda r: (_lookup(r, sort_by), tie(r)), reverse=descending)
    missing.sort(key=tie, reverse=descending)
    return present + missing


def _search_record(package: ModelPackage) -> Record:
    # DescribeModelPackage's object, plus the Tags that only the search record carries.
    return {**package.gen_response_object(), "Tags": package.tags or []}


def _page_token(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"offset": offset}).encode()).decode()


def _page_offset(token: str | None) -> int:
    if not token:
        return 0
    try:
        offset = json.loads(base64.urlsafe_b64decode(token.encode()))["offset"]
    except (ValueError, TypeError, KeyError):
        offset = None
    if not isinstance(offset, int) or offset < 0:
        raise ValidationError("Invalid pagination token.")
    return offset


def _model_card(card: Any) -> dict[str, Any]:
    """A ModelPackageModelCard as AWS validates it: a status, and content that is a JSON object."""
    _check_enum(card.get("ModelCardStatus"), "modelCard.modelCardStatus", "ModelCardStatus")
    content = card.get("ModelCardContent")
    if content is not None:
        try:
            parsed = json.loads(content)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            raise ValidationError("Invalid ModelCardContent: the content must be a JSON object.")
    return {k: v for k, v in card.items() if k in ("ModelCardContent", "ModelCardStatus")}


# --- ModelLifeCycle ---------------------------------------------------------------
#
# moto 5.2.5 drops ModelLifeCycle on CreateModelPackage and UpdateModelPackage and
# never returns it. It is kept here on the package and returned wherever AWS returns
# it: DescribeModelPackage, ListModelPackages summaries and Search records (all three
# built from ModelPackage.gen_response_object).

LIFECYCLE_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")
LIFECYCLE_DESCRIPTION_MAX = 1024


def _model_life_cycle(value: Any) -> dict[str, str]:
    """Validates a ModelLifeCycle as AWS does, with AWS's wording."""
    value = value or {}
    for field, where in (("Stage", "modelLifeCycle.stage"), ("StageStatus", "modelLifeCycle.stageStatus")):
        text = value.get(field)
        if text is None:
            raise ValidationError(
                f"1 validation error detected: Value null at '{where}' failed to satisfy constraint: "
                "Member must not be null"
            )
        if not LIFECYCLE_NAME.match(text):
            raise ValidationError(
                f"1 validation error detected: Value '{text}' at '{where}' failed to satisfy constraint: "
                "Member must satisfy regular expression pattern: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"
            )
    description = value.get("StageDescription")
    if description is not None and len(description) > LIFECYCLE_DESCRIPTION_MAX:
        raise ValidationError(
            "1 validation error detected: Value at 'modelLifeCycle.stageDescription' failed to satisfy "
            f"constraint: Member must have length less than or equal to {LIFECYCLE_DESCRIPTION_MAX}"
        )
    return {k: value[k] for k in ("Stage", "StageStatus", "StageDescription") if value.get(k) is not None}


# --- the package record --------------------------------------------------------------

_orig_package_response_object = ModelPackage.gen_response_object


def package_response_object(self: ModelPackage) -> dict[str, Any]:
    """DescribeModelPackage's (and ListModelPackages' and Search's) record, with the
    ModelCard and ModelLifeCycle that moto drops."""
    response = _orig_package_response_object(self)
    card = getattr(self, "model_card", None)
    if card:
        response["ModelCard"] = card
    life_cycle = getattr(self, "model_life_cycle", None)
    if life_cycle:
        response["ModelLifeCycle"] = life_cycle
    return response


# --- response methods (one per API action) -----------------------------------------

_orig_create_model_package_response = SageMakerResponse.create_model_package


def r_create_model_package(self: SageMakerResponse) -> ActionResult:
    group = self._get_param("ModelPackageGroupName")
    if group:
        self.params["ModelPackageGroupName"] = _group_name(self.sagemaker_backend, group)
        if self._get_param("ModelApprovalStatus") is None:
            # AWS's default for a versioned package; moto left it unset.
            self.params["ModelApprovalStatus"] = "PendingManualApproval"
    card = self._get_param("ModelCard")
    model_card = _model_card(card) if card is not None else None
    life_cycle = self._get_param("ModelLifeCycle")
    life_cycle = _model_life_cycle(life_cycle) if life_cycle is not None else None
    result = _orig_create_model_package_response(self)
    arn = result.result["ModelPackageArn"]  # type: ignore[index]
    package = self.sagemaker_backend.model_packages[arn]
    package.created_by = _caller_identity(self)
    package.model_card = model_card
    package.model_life_cycle = life_cycle  # type: ignore[attr-defined]
    if package.model_package_group_name is not None:
        backend = self.sagemaker_backend
        events.model_package_state_change(
            backend.account_id, backend.region_name, package_response_object(package)
        )
    return result


def r_update_model_package(self: SageMakerResponse) -> ActionResult:
    """Change only what the request carries; moto reset every field left out."""
    backend = self.sagemaker_backend
    arn = self._get_param("ModelPackageArn")
    package = backend.model_packages.get(backend.model_package_name_mapping.get(arn, arn))
    if package is None:
        raise ValidationError(f"Model package {arn} not found")

    before = {k: copy.deepcopy(v) for k, v in _updatable_fields(package).items()}
    # Validated before anything changes: a refused request changes nothing.
    card = self._get_param("ModelCard")
    model_card = _model_card(card) if card is not None else None
    life_cycle = self._get_param("ModelLifeCycle")
    life_cycle = _model_life_cycle(life_cycle) if life_cycle is not None else None
    status = self._get_param("ModelApprovalStatus")
    validate_model_approval_status(status)
    to_set = self._get_param("CustomerMetadataProperties")
    to_remove = self._get_param("CustomerMetadataPropertiesToRemove") or []
    overlap = set(to_set or {}) & set(to_remove)
    if overlap:
        raise ValidationError(f"Keys {sorted(overlap)} cannot be both added and removed in the same request.")

    if life_cycle is not None:
        package.model_life_cycle = life_cycle  # type: ignore[attr-defined]
    if status is not None:
        package.set_model_approval_status(status)
    description = self._get_param("ApprovalDescription")
    if description is not None:
        package.approval_description = description
    if to_set or to_remove:
        merged = dict(package.customer_metadata_properties or {})
        merged.update(to_set or {})
        for key in to_remove:
            merged.pop(key, None)
        package.customer_metadata_properties = merged
    inference = self._get_param("InferenceSpecification")
    if inference is not None:
        package.inference_specification = inference
    to_add = self._get_param("AdditionalInferenceSpecificationsToAdd")
    if to_add:
        package.add_additional_inference_specifications(to_add)
    if model_card is not None:
        package.model_card = model_card

    package.last_modified_time = utcnow()
    package.last_modified_by = _caller_identity(self)
    after = _updatable_fields(package)
    changed = [k for k in events.UPDATABLE_FIELDS if before[k] != after[k]]
    # SageMaker emits a state change when the approval status or the stage changes.
    if package.model_package_group_name is not None and (
        "ModelApprovalStatus" in changed or "ModelLifeCycle" in changed
    ):
        events.model_package_state_change(
            backend.account_id, backend.region_name, package_response_object(package), changed
        )
    return ActionResult({"ModelPackageArn": package.arn})


def _updatable_fields(package: ModelPackage) -> dict[str, Any]:
    return {
        "ModelApprovalStatus": package.model_approval_status,
        "ApprovalDescription": package.approval_description,
        "CustomerMetadataProperties": package.customer_metadata_properties,
        "InferenceSpecification": package.inference_specification,
        "ModelLifeCycle": getattr(package, "model_life_cycle", None),
    }


def r_batch_describe_model_package(self: SageMakerResponse) -> ActionResult:
    arns = self._get_param("ModelPackageArnList") or []
    if not 1 <= len(arns) <= 100:
        raise ValidationError(
            "1 validation error detected: Value at 'modelPackageArnList' failed to "
            "satisfy constraint: Member must have length less than or equal to 100 "
            "and greater than or equal to 1"
        )
    backend = self.sagemaker_backend
    summaries: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for arn in arns:
        package = backend.model_packages.get(arn)
        if package is None or package.model_package_group_name is None:
            errors[arn] = {
                "ErrorCode": "ValidationException",
                "ErrorResponse": f"Model package {arn} not found",
            }
        else:
            summaries[arn] = _versioned_summary(package)
    return ActionResult({"ModelPackageSummaries": summaries, "BatchDescribeModelPackageErrorMap": errors})


_orig_search_response = SageMakerResponse.search


def _search_records(backend: SageMakerModelBackend, resource: str) -> list[Record]:
    if resource == "Endpoint":
        settle(backend)
        return [
            {**_orig_describe_endpoint(backend, name), "Tags": endpoint.tags or []}
            for name, endpoint in list(backend.endpoints.items())
        ]
    return [
        _search_record(package)
        for package in list(backend.model_packages.values())
        if package.model_package_group_name is not None  # versioned packages only
    ]


def r_search(self: SageMakerResponse) -> ActionResult:
    resource = self._get_param("Resource")
    if resource not in ("ModelPackage", "Endpoint"):
        return _orig_search_response(self)  # moto's own Search, unknown resources included
    max_results = self._get_param("MaxResults", 10)
    if not isinstance(max_results, int) or not 1 <= max_results <= 100:
        raise ValidationError(
            f"1 validation error detected: Value '{max_results}' at 'maxResults' failed to satisfy "
            "constraint: Member must have value less than or equal to 100 and greater than or equal to 1"
        )
    sort_order = self._get_param("SortOrder", "Descending")
    _check_enum(sort_order, "sortOrder", "SearchSortOrder")
    sort_by = self._get_param("SortBy", "LastModifiedTime")  # AWS's default
    if _property(sort_by, resource).type_name in ("structure", "list", "map"):
        raise ValidationError(f"Cannot sort by {sort_by}: it is not a single value.")
    expression = self._get_param("SearchExpression")
    matches = _compile(expression, resource) if expression is not None else (lambda record: True)
    offset = _page_offset(self._get_param("NextToken"))

    records = _search_records(self.sagemaker_backend, resource)
    found = _sorted([r for r in records if matches(r)], sort_by, sort_order == "Descending")
    page = found[offset : offset + max_results]
    result: dict[str, Any] = {"Results": [{resource: record} for record in page]}
    if offset + max_results < len(found):
        result["NextToken"] = _page_token(offset + max_results)
    return ActionResult(result)


_orig_list_model_package_groups_response = SageMakerResponse.list_model_package_groups


def r_list_model_package_groups(self: SageMakerResponse) -> ActionResult:
    option = self._get_param("CrossAccountFilterOption")
    if option is None or option == "SameAccount":
        return _orig_list_model_package_groups_response(self)
    _check_enum(option, "crossAccountFilterOption", "CrossAccountFilterOption")
    max_results = self._get_param("MaxResults") or 100
    name_contains = self._get_param("NameContains")
    groups = [
        g
        for g in _shared_groups(self.current_account, self.region)
        if name_contains is None or name_contains in g.model_package_group_name
    ]
    offset = _page_offset(self._get_param("NextToken"))
    result: dict[str, Any] = {
        "ModelPackageGroupSummaryList": [g.gen_response_object() for g in groups[offset : offset + max_results]]
    }
    if offset + max_results < len(groups):
        result["NextToken"] = _page_token(offset + max_results)
    return ActionResult(result)


def r_delete_model_package_group(self: SageMakerResponse) -> EmptyResult:
    self.sagemaker_backend.delete_model_package_group(self._get_param("ModelPackageGroupName"))
    return EmptyResult()


def r_update_endpoint(self: SageMakerResponse) -> ActionResult:
    arn = self.sagemaker_backend.update_endpoint(
        self._get_param("EndpointName"),
        self._get_param("EndpointConfigName"),
        self._get_param("DeploymentConfig"),
    )
    return ActionResult({"EndpointArn": arn})


def r_put_model_package_group_policy(self: SageMakerResponse) -> ActionResult:
    group = self.sagemaker_backend.describe_model_package_group(self._get_param("ModelPackageGroupName"))
    policy = self._get_param("ResourcePolicy")
    try:
        json.loads(policy)
    except (TypeError, ValueError):
        raise ValidationError("The resource policy is not valid JSON.") from None
    group.resource_policy = policy
    return ActionResult({"ModelPackageGroupArn": group.arn})


def r_get_model_package_group_policy(self: SageMakerResponse) -> ActionResult:
    group = self.sagemaker_backend.describe_model_package_group(self._get_param("ModelPackageGroupName"))
    policy = getattr(group, "resource_policy", None)
    if policy is None:
        raise ValidationError(f"Cannot find resource policy for {group.arn}.")
    return ActionResult({"ResourcePolicy": policy})


def r_delete_model_package_group_policy(self: SageMakerResponse) -> EmptyResult:
    group = self.sagemaker_backend.describe_model_package_group(self._get_param("ModelPackageGroupName"))
    if getattr(group, "resource_policy", None) is None:
        raise ValidationError(f"Cannot find resource policy for {group.arn}.")
    group.resource_policy = None
    return EmptyResult()


# --- KMS: GetKeyPolicy/PutKeyPolicy without PolicyName ----------------------------------
# AWS made PolicyName optional (it defaults to "default", the only name there is; see
# botocore's kms model); moto 5.2.5 still wants it and answers NotFoundException without it.

_orig_assert_default_policy = kms_responses._assert_default_policy


def _assert_default_policy(policy_name: str | None) -> None:
    _orig_assert_default_policy(policy_name or "default")


_installed = False


def install() -> None:
    """Patch moto's SageMaker backend and response classes (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    backend_patches = {
        "create_endpoint": create_endpoint,
        "describe_endpoint": describe_endpoint,
        "list_endpoints": list_endpoints,
        "delete_endpoint": delete_endpoint,
        "update_endpoint": update_endpoint,
        "create_model_package_group": create_model_package_group,
        "describe_model_package_group": describe_model_package_group,
        "delete_model_package_group": delete_model_package_group,
    }
    for name, fn in backend_patches.items():
        setattr(SageMakerModelBackend, name, fn)
    FakeEndpointConfig.validate_instance_type = validate_instance_type  # type: ignore[method-assign]
    ModelPackage.gen_response_object = package_response_object  # type: ignore[method-assign]
    response_patches = {
        "create_model_package": r_create_model_package,
        "update_model_package": r_update_model_package,
        "batch_describe_model_package": r_batch_describe_model_package,
        "update_endpoint": r_update_endpoint,
        "put_model_package_group_policy": r_put_model_package_group_policy,
        "get_model_package_group_policy": r_get_model_package_group_policy,
        "delete_model_package_group_policy": r_delete_model_package_group_policy,
        "search": r_search,
        "list_model_package_groups": r_list_model_package_groups,
        "delete_model_package_group": r_delete_model_package_group,
    }
    for name, fn in response_patches.items():
        setattr(SageMakerResponse, name, fn)
    kms_responses._assert_default_policy = _assert_default_policy
    if "model-package-group" not in ResourceShare.SHAREABLE_RESOURCES:
        ResourceShare.SHAREABLE_RESOURCES.append("model-package-group")
    access.install(enforce=settings.enforce_access)
    custom_ids.install()
    events.install()
