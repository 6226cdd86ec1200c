"""The CLI tests run against the same kind of real server and account as the SDK tests."""

from tests.client.conftest import ada, qd, server

__all__ = ["ada", "qd", "server"]
