"""A strength meter under a new-password field (ASVS V2.1.8), using the very rules the
server applies (``qdeck.auth.password_policy``), so what it calls acceptable is accepted."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from qdeck.auth.password_policy import assess_off_loop
from qdeck.auth.schemas import PASSWORD_MIN

# Quasar colours, which both themes define.
COLOURS = ["negative", "negative", "warning", "positive", "positive"]


class PasswordStrength:
    """Follows ``field`` as the person types; ``email`` and ``name`` give the words that
    must not appear in the password."""

    def __init__(
        self,
        field: ui.input,
        *,
        email: Callable[[], str | None] = lambda: None,
        name: Callable[[], str | None] = lambda: None,
    ) -> None:
        self.email = email
        self.name = name
        with ui.column().classes("w-full gap-1 -mt-2").mark("password-strength"):
            self.bar = (
                ui.linear_progress(value=0, show_value=False, size="6px")
                .props('color=negative rounded aria-label="Password strength"')
                .classes("w-full")
            )
            self.text = (
                ui.label(f"At least {PASSWORD_MIN} characters; a few unrelated words work well.")
                .classes("text-xs qd-muted")
                .props('aria-live="polite"')
                .mark("password-strength-text")
            )
        field.on_value_change(lambda event: self.update(event.value))

    async def update(self, password: str | None) -> None:
        password = password or ""
        if len(password) < PASSWORD_MIN:
            self._show(0 if not password else 1, f"Too short: {len(password)} of {PASSWORD_MIN}")
            return
        found = await assess_off_loop(password, email=self.email(), display_name=self.name())
        if found.acceptable:
            text = f"{found.label}"
        else:
            text = f"{found.label}: it " + " and ".join(found.problems)
            if found.suggestions:
                text += f". {found.suggestions[0]}"
        self._show(found.score, text)

    def _show(self, score: int, text: str) -> None:
        self.bar.value = (score + 1) / 5 if score else 0.1
        self.bar.props(f"color={COLOURS[score]}")
        self.text.set_text(text)
