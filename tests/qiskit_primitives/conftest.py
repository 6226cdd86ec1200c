"""The same real server and account fixtures as the SDK tests."""

from tests.client.conftest import ada, qd, server

__all__ = ["ada", "qd", "server"]
