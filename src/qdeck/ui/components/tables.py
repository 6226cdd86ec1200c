"""What every qdeck table needs beyond Quasar's defaults."""

from __future__ import annotations

import json

from nicegui import ui


def keyboard_scrollable(table: ui.table, label: str) -> ui.table:
    """Let a keyboard reach the table's sideways scroll (on a phone a wide table scrolls
    inside its box; WCAG 2.1.1, axe's scrollable-region-focusable). Quasar renders that
    box itself and takes no attributes for it, so they are set once it exists."""
    script = (
        f"const box = getHtmlElement({table.id})?.querySelector('.q-table__middle');"
        "if (box) { box.tabIndex = 0; box.setAttribute('role', 'region');"
        f" box.setAttribute('aria-label', {json.dumps(label)}); }}"
    )
    ui.timer(0.05, lambda: ui.run_javascript(script), once=True)
    return table
