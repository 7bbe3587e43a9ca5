"""Configuration from environment variables (and a `.env` file), validated at start-up.

A missing or invalid setting stops start-up with a message that names it.
"""

from __future__ import annotations

import functools
from pathlib import Path

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MUNICIPALITY = "nomi"  # the demo municipality (能美市)


class ConfigError(RuntimeError):
    """Start-up stops: the message names the setting."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field("", alias="TSUNAGU_DATABASE_URL")
    municipality: str = Field(DEFAULT_MUNICIPALITY, alias="TSUNAGU_MUNICIPALITY")
    secret_key: str = Field(..., alias="TSUNAGU_SECRET_KEY", min_length=32)
    var_dir: Path = Field(Path("var"), alias="TSUNAGU_VAR_DIR")
    public_url: str = Field("http://127.0.0.1:8000", alias="TSUNAGU_PUBLIC_URL")
    demo: bool = Field(False, alias="TSUNAGU_DEMO")

    line_channel_secret: str = Field("", alias="LINE_CHANNEL_SECRET")
    line_channel_access_token: str = Field("", alias="LINE_CHANNEL_ACCESS_TOKEN")
    line_api_base_url: str = Field("https://api.line.me", alias="LINE_API_BASE_URL")

    telegram_bot_token: str = Field("", alias="TELEGRAM_BOT_TOKEN")
    telegram_webhook_secret: str = Field("", alias="TELEGRAM_WEBHOOK_SECRET")
    telegram_api_base_url: str = Field("https://api.telegram.org", alias="TELEGRAM_API_BASE_URL")

    @field_validator("database_url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        if value and not value.startswith(("sqlite", "postgresql")):
            raise ValueError("must start with sqlite:// or postgresql+psycopg://")
        return value

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _check_tg_secret(cls, value: str) -> str:
        # Telegram allows 1-256 characters A-Z, a-z, 0-9, _ and -.
        if value and not all(c.isascii() and (c.isalnum() or c in "_-") for c in value):
            raise ValueError("may contain only A-Z, a-z, 0-9, _ and -")
        return value

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.var_dir / 'tsunagu.db').as_posix()}"

    @property
    def is_sqlite(self) -> bool:
        return self.sqlalchemy_url.startswith("sqlite")


def load_settings(**overrides: object) -> Settings:
    """Read and validate the settings; raise ConfigError naming each bad one."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else "?"
            if err["type"] == "missing":
                lines.append(f"{name} is not set")
            else:
                lines.append(f"{name}: {err['msg']}")
        raise ConfigError("Invalid configuration:\n  " + "\n  ".join(lines)) from None


@functools.cache
def get_settings() -> Settings:
    return load_settings()
