"""Structured logging (structlog) with secrets scrubbed before anything is written."""

from __future__ import annotations

import logging
import re
from typing import Any

import structlog

from qdeck.config import Settings

_SECRET_KEYS = re.compile(r"pass(word)?|secret|token|authori[sz]ation|cookie|api[_-]?key", re.I)


def _scrub(_logger: Any, _name: str, event: dict[str, Any]) -> dict[str, Any]:
    for key in list(event):
        if _SECRET_KEYS.search(key):
            event[key] = "[redacted]"
    return event


def configure_logging(settings: Settings) -> None:
    level = logging.getLevelNamesMapping().get(settings.log_level.upper(), logging.INFO)
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if settings.log_json
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            _scrub,
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        cache_logger_on_first_use=False,
    )
    logging.basicConfig(level=level, format="%(message)s")
    # Uvicorn's own access log would duplicate ours and include query strings.
    logging.getLogger("uvicorn.access").disabled = True
