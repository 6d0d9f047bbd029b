"""The privacy app's refusal: a Russian message for the person who typed the input."""

from __future__ import annotations


class PrivacyError(ValueError):
    """Refused input (a bad link, no reason, a date in the future, a term out of range)."""
