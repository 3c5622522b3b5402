"""Chosen IDs for VPCs, subnets, security groups and KMS keys, through a ``_custom_id_`` tag.

moto 5.2.5 lets a ``_custom_id_`` tag choose the ID of some resources
(moto/utilities/id_generator.py), but not of EC2 VPCs, subnets and security
groups or of KMS keys, whose IDs come from plain random generators. The demo's production
target names fixed IDs (app-config.yaml: subnets, security group, endpoint KMS
key), so the seed creates them with that tag, and this module makes moto honour
it the way moto does elsewhere: the tag's value becomes the ID unless a resource
of that kind already has it in the same account and region (then moto's random
ID is used). The tag stays on the resource, as in moto.

    ec2.create_subnet(..., TagSpecifications=[{"ResourceType": "subnet",
                      "Tags": [{"Key": "_custom_id_", "Value": "subnet-0a1b2c3d4e5f60001"}]}])
    kms.create_key(..., Tags=[{"TagKey": "_custom_id_", "TagValue": "2f9c1d7e-..."}])
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from typing import Any

import moto.ec2.models.security_groups as ec2_security_groups
import moto.ec2.models.subnets as ec2_subnets
import moto.ec2.models.vpcs as ec2_vpcs
import moto.kms.models as kms_models

TAG = "_custom_id_"
# Per thread (one request per thread): the ID each generator hands out next, by generator name.
_next = threading.local()


def _tag_value(tags: Any) -> str | None:
    """The _custom_id_ value in EC2's {type: {key: value}}, {key: value} or [{Key, Value}] tags,
    or in KMS's [{TagKey, TagValue}]."""
    if isinstance(tags, dict):
        if isinstance(tags.get(TAG), str):
            return tags[TAG]
        return next((v[TAG] for v in tags.values() if isinstance(v, dict) and TAG in v), None)
    if isinstance(tags, list):
        for tag in tags:
            if isinstance(tag, dict) and TAG in (tag.get("Key"), tag.get("TagKey")):
                return tag.get("Value", tag.get("TagValue"))
    return None


def _generator(kind: str, original: Callable[..., str]) -> Callable[..., str]:
    def generate(*args: Any, **kwargs: Any) -> str:
        chosen = _chosen().pop(kind, None)
        return chosen or original(*args, **kwargs)

    return generate


def _chosen() -> dict[str, str]:
    if not hasattr(_next, "ids"):
        _next.ids = {}
    return _next.ids  # type: ignore[no-any-return]


def _with_custom_id(
    kind: str, create: Callable[..., Any], exists: Callable[[Any, str], bool]
) -> Callable[..., Any]:
    signature = inspect.signature(create)

    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        chosen = _tag_value(signature.bind(self, *args, **kwargs).arguments.get("tags"))
        if chosen and not exists(self, chosen):
            _chosen()[kind] = chosen
        try:
            return create(self, *args, **kwargs)
        finally:
            _chosen().pop(kind, None)

    return wrapper


def _vpc_exists(backend: Any, vpc_id: str) -> bool:
    return vpc_id in backend.vpcs


def _subnet_exists(backend: Any, subnet_id: str) -> bool:
    return any(subnet_id in per_zone for per_zone in backend.subnets.values())


def _security_group_exists(backend: Any, group_id: str) -> bool:
    return backend.get_security_group_from_id(group_id) is not None


def _key_exists(backend: Any, key_id: str) -> bool:
    return key_id in backend.keys


_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    _installed = True
    patches = (
        (ec2_vpcs, "random_vpc_id", ec2_vpcs.VPCBackend, "create_vpc", _vpc_exists),
        (ec2_subnets, "random_subnet_id", ec2_subnets.SubnetBackend, "create_subnet", _subnet_exists),
        (
            ec2_security_groups,
            "random_security_group_id",
            ec2_security_groups.SecurityGroupBackend,
            "create_security_group",
            _security_group_exists,
        ),
        (kms_models, "generate_key_id", kms_models.KmsBackend, "create_key", _key_exists),
    )
    for module, generator, backend, create, exists in patches:
        setattr(module, generator, _generator(generator, getattr(module, generator)))
        setattr(backend, create, _with_custom_id(generator, getattr(backend, create), exists))
