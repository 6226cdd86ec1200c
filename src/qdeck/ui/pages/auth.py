"""Sign up, log in, log out."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui
from pydantic import ValidationError

from qdeck.auth.schemas import PASSWORD_MIN, SignupRequest
from qdeck.errors import QdeckError
from qdeck.ui.components.password_strength import PasswordStrength
from qdeck.ui.context import Qdeck, qdeck_for
from qdeck.ui.layout import brand
from qdeck.ui.session import current_viewer, log_in, log_out, safe_next, sign_up
from qdeck.ui.theme import apply_theme

EMAIL_RULES = {
    "Enter your e-mail address": lambda v: bool(v and v.strip()),
    "That does not look like an e-mail address": lambda v: not v or "@" in v,
}


def register() -> None:
    @ui.page("/login", title="Log in · qdeck")
    async def login_page(request: Request, next: str = "") -> RedirectResponse | None:
        if await current_viewer(request) is not None:
            return RedirectResponse(safe_next(next), status_code=303)
        _login_form(qdeck_for(request), safe_next(next))
        return None

    @ui.page("/signup", title="Sign up · qdeck")
    async def signup_page(request: Request, next: str = "") -> RedirectResponse | None:
        if await current_viewer(request) is not None:
            return RedirectResponse("/dashboard", status_code=303)
        _signup_form(qdeck_for(request), safe_next(next))
        return None

    @ui.page("/logout")
    async def logout_page(request: Request) -> RedirectResponse:
        viewer = await current_viewer(request)
        if viewer is not None:
            await log_out(viewer)
        return RedirectResponse("/login", status_code=303)


def _shell(title: str, subtitle: str) -> ui.card:
    apply_theme()
    ui.query(".nicegui-content").classes("p-0")
    with ui.column().classes("qd-hero w-full min-h-screen items-center justify-center p-4"):
        brand("/")
        card = ui.card().classes("qd-card w-full max-w-md p-6 md:p-8 gap-4 mt-6")
        with card:
            ui.label(title).classes("text-2xl font-bold").props('role="heading" aria-level="1"')
            ui.label(subtitle).classes("qd-muted -mt-3")
    return card


def _error_banner() -> ui.label:
    banner = (
        ui.label()
        .classes("w-full rounded-lg px-3 py-2 text-sm bg-red-50 text-red-800 border border-red-200")
        .props('role="alert"')
    )
    banner.set_visibility(False)
    return banner


def _form() -> ui.element:
    """A real <form>, so browsers and password managers recognise log-in and sign-up
    (and offer to save). It is never sent as a request: the button and Enter act over
    NiceGUI's socket, and a submit event (implicit submission) is cancelled in the
    browser (a JS handler, not an inline attribute, which the page's CSP would block)."""
    form = ui.element("form").props('autocomplete="on"').classes("w-full flex flex-col gap-4")
    form.on("submit.prevent", js_handler="() => {}")
    return form


def _login_form(qdeck: Qdeck, next_path: str) -> None:
    with _shell("Welcome back", "Log in to see your jobs."), _form():
        banner = _error_banner()
        email = (
            ui.input("E-mail", validation=EMAIL_RULES)
            .props('outlined type=email name=email autocomplete="username" autofocus')
            .classes("w-full")
            .mark("email")
        )
        password = (
            ui.input(
                "Password",
                password=True,
                password_toggle_button=True,
                validation={"Enter your password": bool},
            )
            .props('outlined name=password autocomplete="current-password"')
            .classes("w-full")
            .mark("password")
        )

        async def submit() -> None:
            banner.set_visibility(False)
            if not (email.validate() & password.validate()):
                return
            await _attempt(
                button, banner, next_path, log_in(qdeck, email.value.strip(), password.value)
            )

        button = (
            ui.button("Log in", on_click=submit)
            .props("unelevated size=lg no-caps")
            .classes("w-full")
            .mark("log-in")
        )
        password.on("keydown.enter", submit)
        with ui.row().classes("gap-1 text-sm justify-center w-full"):
            ui.label("New to qdeck?").classes("qd-muted")
            ui.link("Create an account", f"/signup?next={quote(next_path, safe='')}").classes(
                "qd-link"
            )


def _signup_form(qdeck: Qdeck, next_path: str) -> None:
    subtitle = "It takes a few seconds; your workspace is ready at once."
    with _shell("Create your account", subtitle), _form():
        banner = _error_banner()
        name = ui.input(
            "Your name", validation={"Enter your name": lambda v: bool(v and v.strip())}
        )
        name.props('outlined name=name autocomplete="name" autofocus').classes("w-full").mark(
            "name"
        )
        email = (
            ui.input("E-mail", validation=EMAIL_RULES)
            .props('outlined type=email name=email autocomplete="username"')
            .classes("w-full")
            .mark("email")
        )
        password = (
            ui.input(
                "Password",
                password=True,
                password_toggle_button=True,
                validation={
                    f"Use at least {PASSWORD_MIN} characters": lambda v: (
                        len(v or "") >= PASSWORD_MIN
                    )
                },
            )
            .props('outlined name=password autocomplete="new-password"')
            .classes("w-full")
            .mark("password")
        )
        PasswordStrength(password, email=lambda: email.value, name=lambda: name.value)
        fields = {"display_name": name, "email": email, "password": password}

        async def submit() -> None:
            banner.set_visibility(False)
            if not (name.validate() & email.validate() & password.validate()):
                return
            try:
                body = SignupRequest(
                    email=email.value.strip(),
                    password=password.value,
                    display_name=name.value.strip(),
                )
            except ValidationError as exc:
                for error in exc.errors():
                    field = fields.get(str(error["loc"][0]) if error["loc"] else "")
                    if field is not None:
                        field.error = _clean(error["msg"])
                return
            await _attempt(
                button,
                banner,
                next_path,
                sign_up(qdeck, body.display_name, str(body.email), body.password),
                fields=fields,
            )

        button = (
            ui.button("Create account", on_click=submit)
            .props("unelevated size=lg no-caps")
            .classes("w-full")
            .mark("sign-up")
        )
        password.on("keydown.enter", submit)
        with ui.row().classes("gap-1 text-sm justify-center w-full"):
            ui.label("Already have an account?").classes("qd-muted")
            ui.link("Log in", f"/login?next={quote(next_path, safe='')}").classes("qd-link")


def _clean(message: str) -> str:
    return message.removeprefix("value is not a valid email address: ")


async def _attempt(
    button: Any,
    banner: Any,
    next_path: str,
    action: Awaitable[Any],
    *,
    fields: dict[str, Any] | None = None,
) -> None:
    """Run a log-in or sign-up: spinner on the button, the service's message on failure
    (under the field it names, e.g. a refused password, else above the form), on to
    where the person was going on success."""
    button.props("loading")
    try:
        await action
    except QdeckError as exc:
        named = [e.get("field") for e in exc.errors or [] if isinstance(e, dict)]
        field = next((fields[n] for n in named if fields and n in fields), None)
        if field is not None:
            field.error = exc.detail
            return
        banner.set_text(exc.detail)
        banner.set_visibility(True)
        return
    finally:
        button.props(remove="loading")
    ui.navigate.to(next_path)
