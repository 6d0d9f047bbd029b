"""Screenshots for the README, from the real demo in Debian's chromium.

    .venv/bin/python scripts/screenshots.py

Builds a fresh demo database under a temporary directory, serves it on a free loopback port,
and writes docs/queue-desktop.png (the curator's queue at 1280×900), docs/incident-phone.png
and docs/draft-phone.png (an executor's incident page and the draft editor at 412×915), and
docs/sandbox-reply.png (an answer published through the sandbox VK, under the citizen's comment).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _otklik(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "otklik.core.cli", *args], env=env, check=True,  # noqa: S603  (our own CLI)
                   capture_output=True)


def main() -> None:
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="otklik-shots-"))
    port = _free_port()
    env = {**os.environ, "OTKLIK_VAR_DIR": str(tmp), "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
           "OTKLIK_REQUIRE_2FA": "0"}
    _otklik(env, "migrate", "-v0")
    _otklik(env, "demo", "load")
    from otklik.channels.sandbox.demo_world import sandbox_env

    sandbox = f"127.0.0.1:{_free_port()}"
    env.update(sandbox_env(sandbox))
    procs = [subprocess.Popen([sys.executable, "-m", "otklik.core.cli", *args], env=env,  # noqa: S603
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for args in (["runserver", f"127.0.0.1:{port}", "--noreload"], ["worker"], ["sandbox", sandbox])]
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urlopen(f"{base}/login/", timeout=1)  # noqa: S310  (our own loopback server)
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            desktop = browser.new_context(locale="ru-RU", timezone_id="Europe/Moscow",
                                          viewport={"width": 1280, "height": 900})
            page = desktop.new_page()
            _sign_in(page, base, "curator")
            page.goto(f"{base}/incidents/")
            page.screenshot(path=str(DOCS / "queue-desktop.png"), full_page=False)
            phone = browser.new_context(locale="ru-RU", timezone_id="Europe/Moscow",
                                        viewport={"width": 412, "height": 915}, device_scale_factor=2,
                                        is_mobile=True, has_touch=True)
            page = phone.new_page()
            _sign_in(page, base, "executor")
            page.goto(f"{base}/incidents/")
            page.locator("#mine .queue-link").first.click()
            page.wait_for_load_state()
            page.screenshot(path=str(DOCS / "incident-phone.png"), full_page=False)
            area = page.locator("#action-submit_draft textarea[name=text]")
            if area.count():
                area.fill("В целях обеспечения надлежащего содержания территории осуществляется вывоз мусора")
                page.locator("#findings li").first.wait_for(timeout=10_000)
                page.locator("#action-submit_draft").scroll_into_view_if_needed()
                page.locator("#action-submit_draft").screenshot(path=str(DOCS / "draft-phone.png"))
            _published(desktop.new_page(), base, f"http://{sandbox}", env)
            browser.close()
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)
    print(f"written: {', '.join(sorted(p.name for p in DOCS.glob('*-*.png')))}")


def _published(page: Any, base: str, sandbox: str, env: dict[str, str]) -> None:
    """The approved demo answer (its message is on the VK page) published through the sandbox."""
    from otklik.channels.sandbox.demo_world import comment_id, page_of, post_id

    found = subprocess.run([sys.executable, "-m", "otklik.core.cli", "shell", "-c",
                            "from otklik.incidents.models import Incident;"
                            "print(Incident.objects.get(external_id='demo-4').pk)"],
                           env=env, check=True, capture_output=True, text=True)
    pk = found.stdout.strip().splitlines()[-1]
    page.on("dialog", lambda d: d.accept())
    _sign_in(page, base, "curator")
    page.goto(f"{base}/incidents/{pk}/")
    with page.expect_navigation():
        page.click("#publish-network")
    page.locator("#publication a", has_text="ответ в сети").wait_for(timeout=60_000)
    spec = page_of(4)
    page.goto(f"{sandbox}/page/{spec.network}/{spec.external_id}#c{comment_id(4)}")
    page.locator(f"#p{post_id(4)}").screenshot(path=str(DOCS / "sandbox-reply.png"))


def _sign_in(page: Any, base: str, login: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", login)
    page.fill("#id_password", "otklik-demo")
    page.click("main button[type=submit]")
    page.wait_for_load_state()


if __name__ == "__main__":
    main()
