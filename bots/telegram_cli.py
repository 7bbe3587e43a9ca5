"""`tsunagu telegram …`: connect the Telegram bot to this server."""

from __future__ import annotations

import click


@click.group()
def telegram() -> None:
    """Telegram bot setup."""


@telegram.command("set-webhook")
@click.argument("url")
def set_webhook(url: str) -> None:
    """Register URL (https://<host>/webhooks/telegram) as the bot's webhook, with the secret."""
    from telegram.error import TelegramError

    from bots import telegram_loop
    from bots.telegram_send import make_bot
    from tsunagu.config import ConfigError, get_settings

    try:
        settings = get_settings()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    missing = [name for name, value in (("TELEGRAM_BOT_TOKEN", settings.telegram_bot_token),
                                        ("TELEGRAM_WEBHOOK_SECRET",
                                         settings.telegram_webhook_secret)) if not value]
    if missing:
        raise click.ClickException(" and ".join(missing) + " must be set first.")
    if not url.startswith("https://") and "127.0.0.1" not in url and "localhost" not in url:
        raise click.ClickException("Telegram only calls https:// webhook URLs.")
    if not url.rstrip("/").endswith("/webhooks/telegram"):
        click.echo("Note: Tsunagu listens on /webhooks/telegram.", err=True)

    bot = make_bot(settings)
    try:
        telegram_loop.run(bot.set_webhook(
            url, secret_token=settings.telegram_webhook_secret,
            allowed_updates=["message", "callback_query", "my_chat_member"],
            drop_pending_updates=False))
        info = telegram_loop.run(bot.get_webhook_info())
    except TelegramError as exc:
        raise click.ClickException(f"Telegram refused: {exc.message}") from None
    click.echo(f"Webhook set: {info.url or url}")
    if info.pending_update_count:
        click.echo(f"Updates waiting: {info.pending_update_count}")
