"""Reading the rights ACM/IDM sends in its role claim (`<prefix>_digisnap_rol_3d`): a string or a
list of `<Right>[-<context>]:<orgcode>`, e.g. `DigisnapBeheerder-ictcoordinator:012345`.

The claim comes from outside, so anything that does not read as a right is logged and ignored:
a sign-in never fails on it."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

logger = logging.getLogger(__name__)

# A director holds a handful of roles; a list far longer than this is a fault upstream, and
# reading all of it would only cost time on every sign-in.
MAX_ROLES = 100
MAX_ROLE_LENGTH = 200
_CONTEXT = re.compile(r"^[A-Za-z0-9_.]{1,50}$")
_ORGCODE = re.compile(r"^[0-9]{1,10}$")


@dataclass(frozen=True)
class ParsedRole:
    right: str
    context: str
    orgcode: str


def orgcode_normalise(raw: str) -> str | None:
    """An orgcode as Digisnap stores an instellingsnummer (six digits with leading zeros), or
    None when it cannot be one."""
    raw = raw.strip()
    if not _ORGCODE.match(raw):
        return None
    number = int(raw)
    if number == 0 or number >= 1_000_000:
        return None
    return f"{number:06d}"


def _entries(value: object) -> list[object]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        if len(value) > MAX_ROLES:
            logger.warning(
                "ACM/IDM role claim has %d entries; only the first %d are read",
                len(value),
                MAX_ROLES,
            )
        return list(value[:MAX_ROLES])
    logger.warning("ACM/IDM role claim ignored: a %s is neither a string nor a list", type(value))
    return []


def _parse_one(
    entry: object, *, right_name: str, contexts: Iterable[str] | None
) -> ParsedRole | None:
    if not isinstance(entry, str):
        logger.warning("ACM/IDM role ignored: not a string (%s)", type(entry).__name__)
        return None
    if len(entry) > MAX_ROLE_LENGTH:
        logger.warning("ACM/IDM role ignored: longer than %d characters", MAX_ROLE_LENGTH)
        return None
    role, colon, raw_orgcode = entry.strip().rpartition(":")
    if not colon or not role:
        logger.warning("ACM/IDM role ignored: %r is not <right>[-<context>]:<orgcode>", entry)
        return None
    orgcode = orgcode_normalise(raw_orgcode)
    if orgcode is None:
        logger.warning("ACM/IDM role ignored: %r has no valid orgcode", entry)
        return None
    right, dash, context = role.partition("-")
    if right != right_name:
        logger.info("ACM/IDM role ignored: %r is not the right %r", entry, right_name)
        return None
    if dash and not _CONTEXT.match(context):
        logger.warning("ACM/IDM role ignored: %r has a context that cannot be read", entry)
        return None
    if dash and contexts is not None and context not in contexts:
        logger.warning("ACM/IDM role ignored: %r has an unknown context", entry)
        return None
    return ParsedRole(right=right, context=context, orgcode=orgcode)


def roles_parse(
    value: object, *, right_name: str, contexts: Iterable[str] | None = None
) -> list[ParsedRole]:
    """The rights named `right_name` in a role claim, each once, in the order sent.

    `contexts`: the contexts accepted after `<right>-`; None accepts any well-formed one."""
    allowed = None if contexts is None else frozenset(contexts)
    parsed: dict[ParsedRole, None] = {}
    for entry in _entries(value):
        role = _parse_one(entry, right_name=right_name, contexts=allowed)
        if role is not None:
            parsed[role] = None
    return list(parsed)
