"""What moto 5.2.5 lacks for the SageMaker plugin, patched into its SageMaker service.

moto answers an action by calling the SageMakerResponse method named after it
(``UpdateEndpoint`` -> ``update_endpoint``); an action without a method comes back
as a 500 HTML page, which the AWS SDKs retry and then report as a parse error.
So each missing action is a method added to SageMakerResponse, and each behaviour
that differs from AWS is a thin wrapper around the SageMakerModelBackend method.
Requests are parsed and responses serialised by moto from botocore's service
model, so the wire shapes are AWS's own: a key that is not in the output shape
is dropped, and timestamps go out as epoch seconds.

Nothing here runs threads. Endpoint status transitions are stored as "due at"
timestamps and applied lazily when an endpoint is described or listed.

Call ``install()`` once, before the server handles its first request.
"""

from __future__ import annotations

import json
import os
import re
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import botocore.session
from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import utcnow
from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import (
    FakeEndpoint,
    FakeEndpointConfig,
    ModelPackage,
    SageMakerModelBackend,
    sagemaker_backends,
)
from moto.sagemaker.responses import SageMakerResponse
from moto.sts.models import sts_backends
from moto.utilities.utils import get_partition

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
        return cls(timedelta(seconds=max(delay, 0.0)), compiled)


@dataclass
class Transition:
    """An endpoint on its way to InService (or Failed) at ``due``."""

    kind: str  # "Creating" | "Updating"
    due: datetime
    config_name: str  # the config the endpoint runs once the transition succeeds


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


def _start_transition(
    backend: SageMakerModelBackend, endpoint: FakeEndpoint, kind: str, config_name: str
) -> None:
    now = utcnow()
    endpoint.endpoint_status = kind
    endpoint.failure_reason = None
    endpoint.last_modified_time = now
    if kind == "Updating":
        # AWS keeps serving (and describing) the old config during an update and
        # shows the incoming one here.
        endpoint.pending_deployment_summary = {
            "EndpointConfigName": config_name,
            "StartTime": now,
        }
    _transitions(backend)[endpoint.endpoint_name] = Transition(
        kind, now + settings.endpoint_delay, config_name
    )


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
            if now < transition.due:
                continue
            del pending[name]
            failure = _armed.pop((backend.account_id, backend.region_name, name), None)
            if failure is None and settings.fail_pattern.search(name):
                failure = ForcedFailure(DEFAULT_FAILURE_REASON)
            endpoint.last_modified_time = transition.due
            endpoint.pending_deployment_summary = None
            if failure is None:
                if transition.kind == "Updating":
                    config = backend.endpoint_configs.get(transition.config_name)
                    if config is not None:
                        endpoint.production_variants = endpoint._process_production_variants(
                            config.production_variants
                        )
                    endpoint.endpoint_config_name = transition.config_name
                endpoint.endpoint_status = "InService"
                endpoint.failure_reason = None
            elif failure.rollback and transition.kind == "Updating":
                endpoint.endpoint_status = "InService"
                endpoint.failure_reason = failure.reason
            else:
                endpoint.endpoint_status = "Failed"
                endpoint.failure_reason = failure.reason


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
        _orig_delete_endpoint(self, endpoint_name)
        _transitions(self).pop(endpoint_name, None)
        _armed.pop((self.account_id, self.region_name, endpoint_name), None)


def update_endpoint(self: SageMakerModelBackend, endpoint_name: str, endpoint_config_name: str) -> str:
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
        if endpoint.endpoint_status in ("Creating", "Updating"):
            raise ValidationError(f'Cannot update in-progress endpoint "{arn}".')
        if endpoint.endpoint_status == "Failed":
            raise ValidationError(f'Cannot update failed endpoint "{arn}".')
        _start_transition(self, endpoint, "Updating", endpoint_config_name)
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


# --- response methods (one per API action) -----------------------------------------

_orig_create_model_package_response = SageMakerResponse.create_model_package


def r_create_model_package(self: SageMakerResponse) -> ActionResult:
    group = self._get_param("ModelPackageGroupName")
    if group:
        self.params["ModelPackageGroupName"] = _group_name(self.sagemaker_backend, group)
        if self._get_param("ModelApprovalStatus") is None:
            # AWS's default for a versioned package; moto left it unset.
            self.params["ModelApprovalStatus"] = "PendingManualApproval"
    result = _orig_create_model_package_response(self)
    arn = result.result["ModelPackageArn"]  # type: ignore[index]
    self.sagemaker_backend.model_packages[arn].created_by = _caller_identity(self)
    return result


def r_update_model_package(self: SageMakerResponse) -> ActionResult:
    """Change only what the request carries; moto reset every field left out."""
    backend = self.sagemaker_backend
    arn = self._get_param("ModelPackageArn")
    package = backend.model_packages.get(backend.model_package_name_mapping.get(arn, arn))
    if package is None:
        raise ValidationError(f"Model package {arn} not found")

    status = self._get_param("ModelApprovalStatus")
    if status is not None:
        package.set_model_approval_status(status)  # validates the enum
    description = self._get_param("ApprovalDescription")
    if description is not None:
        package.approval_description = description
    to_set = self._get_param("CustomerMetadataProperties")
    to_remove = self._get_param("CustomerMetadataPropertiesToRemove") or []
    overlap = set(to_set or {}) & set(to_remove)
    if overlap:
        raise ValidationError(f"Keys {sorted(overlap)} cannot be both added and removed in the same request.")
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

    package.last_modified_time = utcnow()
    package.last_modified_by = _caller_identity(self)
    return ActionResult({"ModelPackageArn": package.arn})


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


def r_update_endpoint(self: SageMakerResponse) -> ActionResult:
    arn = self.sagemaker_backend.update_endpoint(
        self._get_param("EndpointName"), self._get_param("EndpointConfigName")
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
    }
    for name, fn in backend_patches.items():
        setattr(SageMakerModelBackend, name, fn)
    FakeEndpointConfig.validate_instance_type = validate_instance_type  # type: ignore[method-assign]
    response_patches = {
        "create_model_package": r_create_model_package,
        "update_model_package": r_update_model_package,
        "batch_describe_model_package": r_batch_describe_model_package,
        "update_endpoint": r_update_endpoint,
        "put_model_package_group_policy": r_put_model_package_group_policy,
        "get_model_package_group_policy": r_get_model_package_group_policy,
        "delete_model_package_group_policy": r_delete_model_package_group_policy,
    }
    for name, fn in response_patches.items():
        setattr(SageMakerResponse, name, fn)
