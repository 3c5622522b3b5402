"""Deployment guardrails: an UpdateEndpoint with a DeploymentConfig, phase by phase.

AWS provisions the new fleet, then shifts traffic to it in steps (all at once, a
canary then the rest, or linear steps; a rolling update in batches), baking for
WaitIntervalInSeconds after each shift while it watches the auto-rollback alarms.
An alarm in ALARM during a bake rolls the update back: the endpoint is RollingBack,
then InService on its old configuration with a FailureReason.

The plan is computed once, at UpdateEndpoint, as timestamps; ``progress`` reads
where the update is at a given time, like the rest of the extension (no threads).
Bakes last WaitIntervalInSeconds times SAGEMAKER_LOCAL_GUARDRAIL_TIME_SCALE.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from moto.cloudwatch.models import cloudwatch_backends


@dataclass
class Phase:
    status: str  # a VariantStatus: Creating | ActivatingTraffic | Baking
    share: float  # percent of traffic on the new fleet during the phase
    start: datetime
    end: datetime


@dataclass
class GuardedUpdate:
    deployment_config: dict[str, Any]
    old_config_name: str
    phases: list[Phase]
    alarms: list[str] = field(default_factory=list)
    rolling_back_until: datetime | None = None
    failure_reason: str | None = None

    @property
    def end(self) -> datetime:
        return self.phases[-1].end


def _share(size: dict[str, Any] | None, instances: int) -> float:
    if not size:
        return 100.0
    value = float(size.get("Value", 0))
    if size.get("Type") == "INSTANCE_COUNT":
        return min(100.0, 100.0 * value / max(instances, 1))
    return min(100.0, value)


def traffic_steps(deployment_config: dict[str, Any], instances: int) -> list[float]:
    """The cumulative share of traffic on the new fleet after each shift."""
    blue_green = deployment_config.get("BlueGreenUpdatePolicy")
    if blue_green:
        routing = blue_green.get("TrafficRoutingConfiguration", {})
        kind = routing.get("Type", "ALL_AT_ONCE")
        if kind == "CANARY":
            return [_share(routing.get("CanarySize"), instances), 100.0]
        if kind == "LINEAR":
            step = _share(routing.get("LinearStepSize"), instances)
            return [min(100.0, step * (i + 1)) for i in range(math.ceil(100.0 / step))]
        return [100.0]
    rolling = deployment_config.get("RollingUpdatePolicy") or {}
    step = _share(rolling.get("MaximumBatchSize"), instances)
    return [min(100.0, step * (i + 1)) for i in range(math.ceil(100.0 / step))]


def _wait_seconds(deployment_config: dict[str, Any]) -> float:
    blue_green = deployment_config.get("BlueGreenUpdatePolicy")
    if blue_green:
        return float(blue_green.get("TrafficRoutingConfiguration", {}).get("WaitIntervalInSeconds", 0))
    return float((deployment_config.get("RollingUpdatePolicy") or {}).get("WaitIntervalInSeconds", 0))


def plan(
    deployment_config: dict[str, Any],
    old_config_name: str,
    instances: int,
    start: datetime,
    step: timedelta,
    time_scale: float,
) -> GuardedUpdate:
    """The phases of a guarded update starting at ``start``; each shift takes ``step``."""
    bake = timedelta(seconds=_wait_seconds(deployment_config) * time_scale)
    phases = [Phase("Creating", 0.0, start, start + step)]
    for share in traffic_steps(deployment_config, instances):
        at = phases[-1].end
        phases.append(Phase("ActivatingTraffic", share, at, at + step))
        phases.append(Phase("Baking", share, at + step, at + step + bake))
    alarms = [
        a["AlarmName"]
        for a in (deployment_config.get("AutoRollbackConfiguration") or {}).get("Alarms", [])
        if a.get("AlarmName")
    ]
    return GuardedUpdate(deployment_config, old_config_name, phases, alarms)


def phase_at(update: GuardedUpdate, now: datetime) -> Phase | None:
    for phase in update.phases:
        if phase.start <= now < phase.end:
            return phase
    return None


def alarms_in_alarm(account_id: str, region: str, names: list[str]) -> list[str]:
    """The named CloudWatch alarms of the account that are in ALARM now."""
    try:
        alarms = cloudwatch_backends[account_id][region].alarms
    except KeyError:
        return []
    return [name for name in names if name in alarms and alarms[name].state_value == "ALARM"]


def rollback_reason(alarms: list[str]) -> str:
    return (
        f"Rolled back to the previous endpoint configuration because CloudWatch alarm(s) "
        f"[{', '.join(alarms)}] went into ALARM state during the deployment."
    )


def pending_summary(
    update: GuardedUpdate, config_name: str, start: datetime, phase: Phase, variant: dict[str, Any]
) -> dict[str, Any]:
    """DescribeEndpoint's PendingDeploymentSummary while ``phase`` runs."""
    message = (
        "Provisioning the new fleet"
        if phase.status == "Creating"
        else f"{phase.status}: {phase.share:g}% of traffic on the new fleet"
    )
    return {
        "EndpointConfigName": config_name,
        "StartTime": start,
        "ProductionVariants": [
            {
                "VariantName": variant.get("VariantName", "AllTraffic"),
                "DesiredInstanceCount": variant.get("InitialInstanceCount"),
                "InstanceType": variant.get("InstanceType"),
                "VariantStatus": [
                    {"Status": phase.status, "StatusMessage": message, "StartTime": phase.start}
                ],
            }
        ],
    }
