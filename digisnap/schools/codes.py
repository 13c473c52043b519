"""Digisnap codes: random, from an unambiguous alphabet, and tolerant when typed back in.

Codes are mixed-case (like ``Digisnap_88Xf2y``) but unique regardless of case, so a typed code
is matched case-insensitively and can still only mean one digisnap.
"""

from __future__ import annotations

import re
import secrets

PREFIX = "Digisnap_"
# No 0/O/o, 1/I/i/L/l, 2/Z/z, 5/S/s, 8/B/b: codes are read off a projector and typed on phones.
# Matching ignores case, so each letter must be unambiguous in both cases.
ALPHABET = "34679ACDEFGHJKMNPQRTUVWXYacdefghjkmnpqrtuvwxy"
LENGTH = 6
_ALPHABET_ANY_CASE = set(ALPHABET.lower())


def generate_code() -> str:
    return PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize_code(typed: str) -> str | None:
    """The code as stored (up to case), or None when the input cannot be a code at all.

    Spaces, dashes and a missing, lower-case or glued-on prefix are tolerated.
    """
    cleaned = re.sub(r"[\s\-]+", "", typed or "")
    if cleaned.lower().startswith(PREFIX.lower()):
        cleaned = cleaned[len(PREFIX) :]
    elif cleaned.lower().startswith("digisnap"):
        cleaned = cleaned[len("digisnap") :]
    if len(cleaned) != LENGTH or not set(cleaned.lower()) <= _ALPHABET_ANY_CASE:
        return None
    return PREFIX + cleaned
