"""Search with Resource="Endpoint": how the plugin finds the endpoints it tagged with a
model package group, and the untagged ones, a page at a time (moto 5.2.5 stopped at
the first Tags filter, ignored Or, NotExists and paging, and returned no Tags)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from support import REGISTRY, STAGING, unique
from test_endpoints import make_config
from worlds import deploy_basics

GROUP_TAG = "backstage:model-package-group-arn"


@pytest.fixture(scope="module", autouse=True)
def deployable(accounts: Any) -> None:
    for account in (STAGING, REGISTRY):
        deploy_basics(accounts, account)


@pytest.fixture(scope="module")
def world(accounts: Any) -> dict[str, Any]:
    """Three endpoints tagged with group a, one with group b, two untagged."""
    sm = accounts.client("sagemaker", STAGING)
    config = make_config(sm)
    a, b = unique("group-a"), unique("group-b")
    names: dict[str, list[str]] = {"a": [], "b": [], "none": []}
    for key, group, count in (("a", a, 3), ("b", b, 1), ("none", None, 2)):
        for _ in range(count):
            name = unique(f"search-{key}")
            tags = [{"Key": GROUP_TAG, "Value": group}, {"Key": "team", "Value": "x"}] if group else []
            sm.create_endpoint(EndpointName=name, EndpointConfigName=config, Tags=tags)
            names[key].append(name)
    return {"sm": sm, "a": a, "b": b, "names": names, "config": config}


def search(sm: Any, expression: dict[str, Any], **extra: Any) -> list[dict[str, Any]]:
    found = sm.search(Resource="Endpoint", SearchExpression=expression, **extra)["Results"]
    return [r["Endpoint"] for r in found]


def equals(group: str) -> dict[str, str]:
    return {"Name": f"Tags.{GROUP_TAG}", "Operator": "Equals", "Value": group}


def test_a_tag_filter_finds_only_the_tagged_endpoints_with_their_tags(world: dict[str, Any]) -> None:
    found = search(world["sm"], {"Filters": [equals(world["a"])]}, MaxResults=100)
    assert sorted(e["EndpointName"] for e in found) == sorted(world["names"]["a"])
    record = found[0]
    assert record["EndpointConfigName"] == world["config"]
    assert record["EndpointStatus"] in ("Creating", "InService")
    assert {"Key": GROUP_TAG, "Value": world["a"]} in record["Tags"]


def test_or_of_tag_filters_finds_either_group(world: dict[str, Any]) -> None:
    either = {"Operator": "Or", "Filters": [equals(world["a"]), equals(world["b"])]}
    found = search(world["sm"], either, MaxResults=100)
    assert sorted(e["EndpointName"] for e in found) == sorted(world["names"]["a"] + world["names"]["b"])


def test_a_tag_filter_after_another_still_applies(world: dict[str, Any]) -> None:
    team = {"Name": "Tags.team", "Operator": "Equals", "Value": "x"}
    found = search(world["sm"], {"Filters": [team, equals(world["b"])]}, MaxResults=100)
    assert [e["EndpointName"] for e in found] == world["names"]["b"]


def test_not_exists_finds_the_untagged_endpoints(world: dict[str, Any]) -> None:
    untagged = {"Filters": [{"Name": f"Tags.{GROUP_TAG}", "Operator": "NotExists"}]}
    found = search(world["sm"], untagged, MaxResults=100)
    names = {e["EndpointName"] for e in found}
    assert set(world["names"]["none"]) <= names
    assert not names & set(world["names"]["a"] + world["names"]["b"])


def test_pages_of_endpoints_follow_next_token(world: dict[str, Any]) -> None:
    sm = world["sm"]
    first = sm.search(Resource="Endpoint", SearchExpression={"Filters": [equals(world["a"])]}, MaxResults=2)
    assert len(first["Results"]) == 2 and first["NextToken"]
    second = sm.search(
        Resource="Endpoint",
        SearchExpression={"Filters": [equals(world["a"])]},
        MaxResults=2,
        NextToken=first["NextToken"],
    )
    assert "NextToken" not in second
    names = [r["Endpoint"]["EndpointName"] for r in first["Results"] + second["Results"]]
    assert sorted(names) == sorted(world["names"]["a"])


def test_an_unknown_endpoint_property_is_a_validation_error(world: dict[str, Any]) -> None:
    with pytest.raises(ClientError) as e:
        search(world["sm"], {"Filters": [{"Name": "NoSuchField", "Operator": "Equals", "Value": "x"}]})
    assert e.value.response["Error"]["Code"] == "ValidationException"
    assert "Unknown property name: NoSuchField" in e.value.response["Error"]["Message"]
