"""Channels (web chat, LINE, Telegram) and the conversation flow."""
