"""DNS name rules shared by the DNS and ingress configs (pure, no Pulumi)."""

from __future__ import annotations

import re

MAX_NAME_LENGTH = 253
"""RFC 1035: a name is at most 253 characters in its text form."""

MAX_LABEL_LENGTH = 63
"""RFC 1035: a label is at most 63 characters."""

_LABEL_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
# Record names may hold service labels (_sip._tcp for SRV records).
_RR_LABEL_RE = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$")


def dns_name_problem(name: str, *, wildcard: bool = False, what: str = "a DNS name") -> str | None:
    """Why ``name`` is not a valid lowercase DNS name, or None when it is.

    Args:
        name: the name, without a trailing dot.
        wildcard: allow ``*.`` as the first label (Ingress hosts may be wildcards).
        what: how the message calls the name ("a host", "a zone name").
    """
    if not name:
        return f"{what} must not be empty"
    if name.endswith("."):
        return f"{name!r} is not {what}: drop the trailing dot"
    if name != name.lower():
        return f"{name!r} is not {what}: use lowercase letters"
    if len(name) > MAX_NAME_LENGTH:
        return f"{name!r} is not {what}: longer than {MAX_NAME_LENGTH} characters"
    labels = name.split(".")
    if wildcard and labels[0] == "*" and len(labels) > 1:
        labels = labels[1:]
    for label in labels:
        if len(label) > MAX_LABEL_LENGTH:
            return f"{name!r} is not {what}: label {label!r} is longer than {MAX_LABEL_LENGTH}"
        if not _LABEL_RE.match(label):
            return (
                f"{name!r} is not {what}: each label takes lowercase letters, digits and '-', "
                "and starts and ends with a letter or digit"
            )
    return None


def record_name_problem(rr: str) -> str | None:
    """Why ``rr`` is not a record name inside a zone (``@``, ``*``, ``www``, ``_sip._tcp``)."""
    if rr in ("@", "*"):
        return None
    labels = rr.split(".")
    if labels[0] == "*" and len(labels) > 1:
        labels = labels[1:]
    for label in labels:
        if len(label) > MAX_LABEL_LENGTH or not _RR_LABEL_RE.match(label):
            return (
                f"{rr!r} is not a record name: use '@' for the zone itself, '*' for a wildcard, "
                "or lowercase labels of letters, digits, '-' and '_'"
            )
    return None


def fqdn(rr: str, zone: str) -> str:
    """The full name of record ``rr`` in ``zone`` (``@`` is the zone itself)."""
    return zone if rr == "@" else f"{rr}.{zone}"
