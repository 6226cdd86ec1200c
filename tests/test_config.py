"""Settings: defaults that need nothing, environment and .env overrides, a private secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from qdeck.config import Settings


def test_secret_is_generated_once_private_and_kept(tmp_path: Path) -> None:
    first = Settings(data_dir=tmp_path).instance_secret
    key_file = tmp_path / "secret_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert len(first) >= 40
    assert Settings(data_dir=tmp_path).instance_secret == first
    assert Settings(data_dir=tmp_path / "other").instance_secret != first


def test_secret_from_the_environment_wins(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("QDECK_SECRET_KEY", "from-env")
    assert Settings(data_dir=tmp_path).instance_secret == b"from-env"
    assert not (tmp_path / "secret_key").exists()


def test_defaults_are_embedded_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.resolved_database_url == f"sqlite+aiosqlite:///{tmp_path}/qdeck.db"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.cors_origins == []
    assert not settings.cookies_secure


def test_dotenv_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(
        "QDECK_PORT=9001\nQDECK_CORS_ORIGINS=https://a.example, https://b.example\n"
    )
    settings = Settings()
    assert settings.port == 9001
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
