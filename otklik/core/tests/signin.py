"""Signing in for tests: in a real browser, and with Django's test client."""

from __future__ import annotations

from typing import Any

from django.test import Client

from otklik.org.demo import DEMO_PASSWORD


def browser_sign_in(page: Any, base: str, login: str) -> None:
    """Sign in as a demo login in Playwright's page (a fresh session each time)."""
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.fill("#id_username", login)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")  # the header has a logout button too


def client_for(demo: dict[str, Any], login: str) -> Client:
    client = Client()
    client.force_login(demo[login].user)
    return client
