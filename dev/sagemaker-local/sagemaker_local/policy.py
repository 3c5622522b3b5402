"""A small IAM policy evaluator: pure functions, no moto, no I/O.

Enough of IAM's policy language to decide the deploy-path checks in access.py,
written from the IAM User Guide ("Policy evaluation logic", "IAM JSON policy
elements", "Condition operators", "Cross-account policy evaluation logic") and
the KMS Developer Guide ("Key policies", "Allowing users in other accounts").

A *request* is who (``principal``), what (``action``), on what (``resource``)
and the request context (``context``). ``evaluate`` answers, for a list of
policy documents, ``"Allow"``, ``"ExplicitDeny"`` or ``"ImplicitDeny"``: a
matching Deny statement wins over any Allow; nothing matching is an implicit deny.

Supported:

- ``Statement`` as one object or a list; ``Effect`` ``Allow``/``Deny``.
- ``Action``/``NotAction`` with ``*`` and ``?`` wildcards, case-insensitive.
- ``Resource``/``NotResource`` with ``*`` and ``?``, case-sensitive; a wildcard
  may span ``:`` and ``/``. A statement with neither (trust policies, ECR
  repository policies) applies to the resource the policy is attached to.
- ``Principal``/``NotPrincipal`` (resource policies): ``"*"``, ``{"AWS": "*"}``,
  ``{"AWS": "<12-digit account>"}`` and ``{"AWS": "arn:aws:iam::<acct>:root"}``
  (any principal of that account: a *delegation* to the account, see
  ``authorize``), ``{"AWS": "<role ARN>"}`` (that role; an assumed-role session
  ``arn:aws:sts::<acct>:assumed-role/<role>/<session>`` counts as the role),
  ``{"Service": "<service>.amazonaws.com"}``, and lists of those. ``Federated``
  and ``CanonicalUser`` principals never match. A statement without
  ``Principal`` is an identity-policy statement: it applies to its holder.
- ``Condition`` operators: StringEquals, StringNotEquals, StringEqualsIgnoreCase,
  StringNotEqualsIgnoreCase, StringLike, StringNotLike, ArnEquals, ArnLike,
  ArnNotEquals, ArnNotLike, Bool, each also with the ``IfExists`` suffix. Several
  operators or keys in one block must all hold; several values for one key are
  alternatives (any match). Condition key names are case-insensitive, as in IAM.
  A key missing from the context makes a positive operator false and a negated
  one (``...Not...``) true; ``...IfExists`` makes it true. A multi-valued context
  key (a list) matches a positive operator if any of its values does, and a
  negated one if none does.
- ``aws:PrincipalArn``, ``aws:PrincipalAccount`` (and ``aws:PrincipalServiceName``
  for a service) are filled in from the principal unless the context sets them.

Not supported, and failing *closed* (the statement does not apply, so an Allow
grants nothing and a Deny denies nothing): any other condition operator
(Numeric*, Date*, IpAddress, Null, ForAllValues:/ForAnyValue: prefixes, ...)
makes its condition false; policy variables (``${aws:username}``) are compared
literally; a policy that is not valid JSON grants nothing. Not modelled at all:
SCPs, RCPs, permission boundaries, session policies, KMS grants, ACLs.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Union

Decision = Literal["Allow", "ExplicitDeny", "ImplicitDeny"]
ALLOW: Decision = "Allow"
EXPLICIT_DENY: Decision = "ExplicitDeny"
IMPLICIT_DENY: Decision = "ImplicitDeny"

PolicyDocument = Union[str, Mapping[str, Any]]
ContextValue = Union[str, bool, int, Iterable[str]]

_ACCOUNT = re.compile(r"^\d{12}$")
_ROOT = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):root$")
_ROLE = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):role/(?:.*/)?([^/]+)$")
_ASSUMED_ROLE = re.compile(r"^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role/([^/]+)/[^/]+$")
_ANY_ARN = re.compile(r"^arn:aws[a-z-]*:[^:]*:[^:]*:(\d{12})?:")


@dataclass(frozen=True)
class Request:
    """One authorization question.

    ``principal`` is an IAM ARN (a role ``arn:aws:iam::<acct>:role/<name>``, an
    assumed-role session, which is treated as its role, or an account root
    ``arn:aws:iam::<acct>:root``) or a service principal such as
    ``sagemaker.amazonaws.com``. ``account`` is the principal's account; it is
    read from the ARN when not given (a service has none).
    """

    principal: str
    action: str
    resource: str
    context: Mapping[str, ContextValue] = field(default_factory=dict)
    account: str | None = None

    @property
    def principal_arn(self) -> str:
        """The principal as policies name it: an assumed-role session becomes its role."""
        match = _ASSUMED_ROLE.match(self.principal)
        if match:
            partition, account, role = match.groups()
            return f"arn:{partition}:iam::{account}:role/{role}"
        return self.principal

    @property
    def principal_account(self) -> str | None:
        if self.account:
            return self.account
        return account_of(self.principal)

    @property
    def is_service(self) -> bool:
        return not self.principal.startswith("arn:") and not _ACCOUNT.match(self.principal)

    def full_context(self) -> dict[str, ContextValue]:
        """The context with keys lower-cased and the principal keys filled in."""
        context: dict[str, ContextValue] = {}
        if self.is_service:
            context["aws:principalservicename"] = self.principal
        else:
            context["aws:principalarn"] = self.principal_arn
            if self.principal_account:
                context["aws:principalaccount"] = self.principal_account
        context.update({key.lower(): value for key, value in self.context.items()})
        return context


def account_of(arn: str) -> str | None:
    """The account of an ARN or a 12-digit account id; None for a service or an account-less ARN."""
    if _ACCOUNT.match(arn):
        return arn
    match = _ANY_ARN.match(arn)
    return match.group(1) if match else None


# --- documents and statements ------------------------------------------------------


def parse(document: PolicyDocument | None) -> dict[str, Any] | None:
    """A policy document as a dict; None when absent or not a JSON object (grants nothing)."""
    if document is None:
        return None
    if isinstance(document, (str, bytes)):
        try:
            document = json.loads(document)
        except ValueError:
            return None
    return dict(document) if isinstance(document, Mapping) else None


def statements(document: PolicyDocument | None) -> list[dict[str, Any]]:
    parsed = parse(document)
    if parsed is None:
        return []
    raw = parsed.get("Statement", [])
    if isinstance(raw, Mapping):
        raw = [raw]
    return [dict(s) for s in raw if isinstance(s, Mapping)] if isinstance(raw, list) else []


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


@functools.lru_cache(maxsize=2048)
def _glob(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    """IAM's wildcards: ``*`` any run of characters (``/`` and ``:`` too), ``?`` one character."""
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(f"^{body}$", re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def wildcard_match(pattern: str, value: str, ignore_case: bool = False) -> bool:
    return bool(_glob(str(pattern), ignore_case).match(value))


def _matches_action(statement: Mapping[str, Any], action: str) -> bool:
    if "Action" in statement:
        return any(wildcard_match(p, action, ignore_case=True) for p in _as_list(statement["Action"]))
    if "NotAction" in statement:
        return not any(wildcard_match(p, action, ignore_case=True) for p in _as_list(statement["NotAction"]))
    return False  # a statement must name its actions


def _matches_resource(statement: Mapping[str, Any], resource: str) -> bool:
    if "Resource" in statement:
        return any(wildcard_match(p, resource) for p in _as_list(statement["Resource"]))
    if "NotResource" in statement:
        return not any(wildcard_match(p, resource) for p in _as_list(statement["NotResource"]))
    return True  # trust and repository policies: the resource the policy is attached to


# --- principals ----------------------------------------------------------------------

# How a resource-policy statement's Principal matched the request:
DIRECT = "direct"  # names the principal itself (role ARN, service, or "*")
ACCOUNT = "account"  # names the principal's account: a delegation to that account's IAM


def _principal_match(principal_block: Any, request: Request) -> str | None:
    """DIRECT, ACCOUNT or None (no match) for one Principal element."""
    if principal_block == "*":
        return DIRECT
    if not isinstance(principal_block, Mapping):
        return None
    best: str | None = None
    if request.is_service:
        for name in _as_list(principal_block.get("Service")):
            if str(name).lower() == request.principal.lower():
                return DIRECT
    for entry in _as_list(principal_block.get("AWS")):
        entry = str(entry)
        if entry == "*":
            return DIRECT
        if request.is_service:
            continue
        root = _ROOT.match(entry)
        account = root.group(1) if root else entry if _ACCOUNT.match(entry) else None
        if account is not None:
            if account == request.principal_account:
                if request.principal_arn == f"arn:aws:iam::{account}:root" or _ACCOUNT.match(
                    request.principal
                ):
                    return DIRECT  # the account root itself
                best = ACCOUNT
        elif entry == request.principal_arn:
            return DIRECT
    return best


def _matches_principal(statement: Mapping[str, Any], request: Request) -> str | None:
    """For a statement: DIRECT/ACCOUNT if it applies to the principal, else None.

    A statement without Principal or NotPrincipal belongs to an identity policy and
    applies to whoever holds the policy (DIRECT).
    """
    if "Principal" in statement:
        return _principal_match(statement["Principal"], request)
    if "NotPrincipal" in statement:
        return None if _principal_match(statement["NotPrincipal"], request) else DIRECT
    return DIRECT


# --- conditions ----------------------------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _arn_like(pattern: str, value: str) -> bool:
    """ArnLike/ArnEquals: the six colon-separated parts are compared separately, with wildcards."""
    pattern_parts = pattern.split(":", 5)
    value_parts = value.split(":", 5)
    if len(pattern_parts) != 6 or len(value_parts) != 6:
        return False
    return all(wildcard_match(p, v) for p, v in zip(pattern_parts, value_parts))


# Positive operators: (policy value, context value) -> bool.
_COMPARATORS = {
    "StringEquals": lambda p, v: p == v,
    "StringEqualsIgnoreCase": lambda p, v: p.lower() == v.lower(),
    "StringLike": lambda p, v: wildcard_match(p, v),
    "ArnEquals": _arn_like,  # IAM treats ArnEquals like ArnLike
    "ArnLike": _arn_like,
    "Bool": lambda p, v: p.lower() == v.lower(),
}
# Negated operators and the positive operator they negate.
_NEGATIONS = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
}


def _condition_holds(operator: str, key: str, expected: Any, context: Mapping[str, ContextValue]) -> bool:
    if_exists = operator.endswith("IfExists")
    base = operator[: -len("IfExists")] if if_exists else operator
    negated = base in _NEGATIONS
    comparator = _COMPARATORS.get(_NEGATIONS.get(base, base))
    if comparator is None:
        return False  # unknown operator: fail closed
    present = key.lower() in context
    if not present:
        return if_exists or negated
    actual = context[key.lower()]
    actual_values = [_text(a) for a in (actual if isinstance(actual, (list, tuple, set)) else [actual])]
    expected_values = [_text(e) for e in _as_list(expected)]
    any_match = any(comparator(e, a) for e in expected_values for a in actual_values)
    return not any_match if negated else any_match


def _conditions_hold(statement: Mapping[str, Any], context: Mapping[str, ContextValue]) -> bool:
    block = statement.get("Condition") or {}
    if not isinstance(block, Mapping):
        return False
    for operator, clauses in block.items():
        if not isinstance(clauses, Mapping):
            return False
        for key, expected in clauses.items():
            if not _condition_holds(str(operator), str(key), expected, context):
                return False
    return True


# --- evaluation ----------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """What a set of policies says about a request, before the decision is made."""

    deny: bool = False
    allow_direct: bool = False  # an Allow naming the principal itself (or an identity policy)
    allow_account: bool = False  # an Allow naming only the principal's account (a delegation)

    @property
    def allow(self) -> bool:
        return self.allow_direct or self.allow_account

    @property
    def decision(self) -> Decision:
        if self.deny:
            return EXPLICIT_DENY
        return ALLOW if self.allow else IMPLICIT_DENY


def match(policies: Iterable[PolicyDocument | None], request: Request) -> Match:
    context = request.full_context()
    deny = allow_direct = allow_account = False
    for document in policies:
        for statement in statements(document):
            how = _matches_principal(statement, request)
            if how is None:
                continue
            if not _matches_action(statement, request.action):
                continue
            if not _matches_resource(statement, request.resource):
                continue
            if not _conditions_hold(statement, context):
                continue
            effect = statement.get("Effect")
            if effect == "Deny":
                deny = True
            elif effect == "Allow":
                allow_direct = allow_direct or how == DIRECT
                allow_account = allow_account or how == ACCOUNT
    return Match(deny, allow_direct, allow_account)


def evaluate(policies: Iterable[PolicyDocument | None], request: Request) -> Decision:
    """Allow, ExplicitDeny or ImplicitDeny for the request under these policies alone."""
    return match(policies, request).decision


def authorize(
    identity_policies: Iterable[PolicyDocument | None],
    resource_policies: Iterable[PolicyDocument | None],
    request: Request,
    resource_account: str | None,
) -> Decision:
    """Identity and resource policies combined, the IAM way.

    An explicit Deny in either wins. In the resource's own account either kind
    of policy may allow; but a resource-policy Allow that names only the
    account (``arn:aws:iam::<acct>:root`` or the bare id) delegates to the
    account's identity policies, so on its own it is not enough. Across
    accounts both must allow (the resource policy may name the account or the
    principal). A service principal is judged by the resource policy alone.
    """
    identity = match(identity_policies, request)
    resource = match(resource_policies, request)
    if identity.deny or resource.deny:
        return EXPLICIT_DENY
    if request.is_service:
        return ALLOW if resource.allow else IMPLICIT_DENY
    if request.principal_account == resource_account:
        return ALLOW if identity.allow or resource.allow_direct else IMPLICIT_DENY
    return ALLOW if identity.allow and resource.allow else IMPLICIT_DENY


def authorize_kms(
    identity_policies: Iterable[PolicyDocument | None],
    key_policy: PolicyDocument | None,
    request: Request,
    key_account: str | None,
) -> Decision:
    """KMS: the key policy is the root of all access to a key.

    An explicit Deny in either wins. Without an Allow in the key policy nothing
    is allowed, whatever the identity policies say. In the key's account a
    key-policy Allow naming the principal suffices; one naming the account root
    (the default key policy) delegates to the identity policies, which must
    allow as well. Across accounts the key policy (naming the account or the
    principal) and the principal's identity policies must both allow.
    """
    identity = match(identity_policies, request)
    key = match([key_policy], request)
    if identity.deny or key.deny:
        return EXPLICIT_DENY
    if not key.allow:
        return IMPLICIT_DENY
    if request.principal_account == key_account and key.allow_direct:
        return ALLOW
    return ALLOW if identity.allow else IMPLICIT_DENY
