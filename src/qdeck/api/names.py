"""One rule for every name a person gives something others will see, and for all text.

A name (workspace, project, job, session, token, display name, tag) is one line of
visible text: trimmed, with no control characters, no bidirectional overrides or isolates
(which can make ``gpj.exe`` look like ``exe.jpg`` in a list or an export) and no other
invisible format characters. Zero-width joiners stay allowed: emoji sequences and several
scripts (Persian, the Indic scripts) need them.

Every other string a client sends (descriptions, notes, search words) may span lines but
never holds NUL, other control characters or lone surrogates: PostgreSQL cannot store
them, and they are never intended.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator

# Format characters that a name may keep (ZWNJ, ZWJ; and variation selectors are Mn).
_ALLOWED_FORMAT = {"\u200c", "\u200d"}
# Letters that render as nothing: used to make blank or look-alike names.
_INVISIBLE_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}
# Layout characters a multi-line text may hold.
_TEXT_LAYOUT = {"\t", "\n", "\r"}


def _describe(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def name_problem(value: str) -> str | None:
    """Why ``value`` cannot be a name, or None when it can."""
    for char in value:
        category = unicodedata.category(char)
        if category in ("Cc", "Cs", "Zl", "Zp"):
            return f"must not contain the control character {_describe(char)}"
        if category == "Cf" and char not in _ALLOWED_FORMAT:
            return f"must not contain the invisible formatting character {_describe(char)}"
        if char in _INVISIBLE_LETTERS:
            return f"must not contain the invisible character {_describe(char)}"
    return None


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as free text, or None when it can."""
    for char in value:
        category = unicodedata.category(char)
        if (category == "Cc" and char not in _TEXT_LAYOUT) or category == "Cs":
            return f"must not contain the control character {_describe(char)}"
    return None


def clean_name(value: str) -> str:
    value = value.strip()
    problem = name_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def check_text(value: Any) -> Any:
    """Every string in ``value``, or in the lists it holds, is storable text. Objects are
    left to the nested input model they become, which checks its own fields (so the
    error names ``filter.q``, not ``filter``)."""
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            raise ValueError(problem)
    elif isinstance(value, list | tuple):
        for item in value:
            check_text(item)
    return value


# A user-visible name; length limits stay on each field (Field(min_length=..., max_length=...)).
Name = Annotated[str, AfterValidator(clean_name)]
# A string query parameter or any other single text value.
Text = Annotated[str, AfterValidator(check_text)]
