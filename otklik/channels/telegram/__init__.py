"""Telegram: a channel's posts and the comments in its linked discussion group, via the Bot API."""
