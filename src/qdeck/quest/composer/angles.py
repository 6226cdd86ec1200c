"""Angles as people write them: ``pi/4``, ``3π/4``, ``-pi``, ``2*pi/3``, ``0.5``."""

from __future__ import annotations

import math
import re
from fractions import Fraction

# [sign] [number] [*] [pi] [/ number]; at least a number or pi.
_ANGLE = re.compile(
    r"^\s*(?P<sign>[+-])?\s*(?P<num>\d+(?:\.\d*)?(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)?"
    r"\s*(?P<times>\*)?\s*(?P<pi>pi|π)?\s*(?:/\s*(?P<den>\d+(?:\.\d*)?))?\s*$",
    re.IGNORECASE,
)
# Larger angles are surely a typo (and stay exact in floating point well below this).
MAX_ANGLE = 1000.0
HINT = "write a number of radians like 0.5, or a fraction of π like pi/4, 3π/4 or -pi"


class AngleError(ValueError):
    """The text is not an angle; the message says what to write instead."""


def parse_angle(text: str) -> float:
    """Radians from the text, or ``AngleError`` naming the text and what is accepted."""
    match = _ANGLE.match(text or "")
    if not match or not (match["num"] or match["pi"]) or (match["times"] and not match["pi"]):
        raise AngleError(f"{text!r} is not an angle: {HINT}")
    if match["times"] and not match["num"]:
        raise AngleError(f"{text!r} is not an angle: {HINT}")
    value = float(match["num"]) if match["num"] else 1.0
    if match["pi"]:
        value *= math.pi
    if match["den"]:
        denominator = float(match["den"])
        if denominator == 0:
            raise AngleError(f"{text!r} divides by zero: {HINT}")
        value /= denominator
    if match["sign"] == "-":
        value = -value
    if not math.isfinite(value) or abs(value) > MAX_ANGLE:
        raise AngleError(f"{text!r} is too large: angles are at most {MAX_ANGLE:g} radians")
    return value


def angle_text(value: float) -> str:
    """A short way to write the angle: a fraction of π when it is one (denominator up to
    64), otherwise the number of radians."""
    ratio = Fraction(value / math.pi).limit_denominator(64)
    if ratio and abs(float(ratio) * math.pi - value) < 1e-12:
        numerator, denominator = ratio.numerator, ratio.denominator
        sign = "-" if numerator < 0 else ""
        head = "pi" if abs(numerator) == 1 else f"{abs(numerator)}pi"
        return f"{sign}{head}" + (f"/{denominator}" if denominator != 1 else "")
    if value == 0:
        return "0"
    return f"{value:.12g}"
