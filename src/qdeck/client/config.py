"""Where the SDK and the CLI find the server and the token.

Kept apart from :class:`qdeck.config.Settings`, which configures a *server*: a person can
run both on one machine, and a client must never read or need the server's secrets.

Order: ``QDECK_URL`` / ``QDECK_TOKEN`` from the environment, then the login stored by
``qdeck login`` in ``<user config dir>/qdeck/login.json`` (``QDECK_CONFIG_DIR`` moves it).
The file holds a bearer token, so it is written with mode 0600 in a 0700 directory.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from platformdirs import user_config_dir

LOGIN_FILE = "login.json"


@dataclass(frozen=True)
class StoredLogin:
    url: str
    token: str
    email: str = ""
    # Set only when `qdeck login` created the token from a password, so `qdeck logout`
    # revokes what it made and leaves a token the user pasted in alone.
    token_id: str | None = None


@dataclass(frozen=True)
class ClientConfig:
    url: str | None
    token: str | None
    url_from: str  # "QDECK_URL", "stored login" or "" when unset
    token_from: str


def config_dir() -> Path:
    override = os.environ.get("QDECK_CONFIG_DIR")
    return Path(override) if override else Path(user_config_dir("qdeck", appauthor=False))


def login_path() -> Path:
    return config_dir() / LOGIN_FILE


def read_login() -> StoredLogin | None:
    path = login_path()
    try:
        data = json.loads(path.read_text())
        return StoredLogin(**{k: data[k] for k in StoredLogin.__dataclass_fields__ if k in data})
    except (OSError, ValueError, TypeError, KeyError):
        return None


def save_login(login: StoredLogin) -> Path:
    path = login_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_suffix(".tmp")
    # Created 0600 from the start: the token is never readable by others, not even briefly.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(asdict(login), handle, indent=2)
    os.chmod(temporary, 0o600)
    temporary.replace(path)
    return path


def forget_login() -> StoredLogin | None:
    login = read_login()
    login_path().unlink(missing_ok=True)
    return login


def load() -> ClientConfig:
    stored = read_login()
    env_url = os.environ.get("QDECK_URL") or None
    env_token = os.environ.get("QDECK_TOKEN") or None
    url = env_url or (stored.url if stored else None)
    token = env_token or (stored.token if stored else None)
    return ClientConfig(
        url=url.rstrip("/") if url else None,
        token=token,
        url_from="QDECK_URL" if env_url else ("stored login" if stored else ""),
        token_from="QDECK_TOKEN" if env_token else ("stored login" if stored else ""),
    )
