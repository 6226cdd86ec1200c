"""The UI fixtures (NiceGUI's simulated user on the real app) for page tests here."""

from tests.ui.conftest import api, browser, log_in, new_user, ui_app, user  # noqa: F401
