"""The sandbox as other tools see it: the command, the controls over HTTP, the demo world."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest

from otklik.channels.base import ErrorKind, NetworkError, PageAccess, Target
from otklik.channels.sandbox.demo_world import (
    MESSAGE_COUNT,
    PAGES,
    comment_id,
    demo_world,
    message_url,
    page_of,
)
from otklik.channels.sandbox.server import running
from otklik.channels.vk.client import Client as VkClient


def test_every_demo_message_is_a_comment_its_networks_client_can_find() -> None:
    from otklik.channels import clients

    world = demo_world()
    for i in range(MESSAGE_COUNT):
        spec = page_of(i)
        page = world.pages[(spec.network, spec.external_id)]
        assert comment_id(i) in page.comments
        parsed = clients.target_from_url(spec.network, message_url(i))
        if spec.network == "max":  # a MAX link is resolved by the network (see max/client.py)
            assert parsed is None
            continue
        assert parsed is not None and parsed[0] == clients.page_key(spec.network, spec.external_id)
    assert {p.network for p in PAGES} == {"vk", "ok", "telegram", "max"}


def test_failures_can_be_ordered_over_http_and_comments_written_as_a_citizen(monkeypatch: pytest.MonkeyPatch) -> None:
    with running(demo_world()) as (world, base):
        spec = page_of(0)
        client = VkClient(PageAccess(external_id=spec.external_id, token=spec.token), base_url=f"{base}/vk/method")
        httpx.post(f"{base}/_sandbox/fail", json={"network": "vk", "method": "wall.createComment",
                                                   "kind": "rate_limit"}).raise_for_status()
        with pytest.raises(NetworkError) as caught:
            client.reply(Target("1000", str(comment_id(0))), "Ответ")
        assert caught.value.kind == ErrorKind.RATE_LIMITED
        made = httpx.post(f"{base}/_sandbox/comment", json={"network": "vk", "page": spec.external_id,
                                                            "post_id": 1000, "text": "Ещё вопрос"}).json()
        assert world.pages[("vk", spec.external_id)].comments[made["id"]].text == "Ещё вопрос"
        state = httpx.get(f"{base}/_sandbox/state").json()
        assert "token" not in str(state["pages"][0].keys())
        # The view: a citizen writes through the form; the text is kept as text.
        answer = httpx.post(f"{base}/page/vk/{spec.external_id}/comment", data={"post_id": "1000",
                                                                               "text": "<b>привет</b>"})
        assert answer.status_code == 303
        html = httpx.get(f"{base}/page/vk/{spec.external_id}").text
        assert "&lt;b&gt;привет&lt;/b&gt;" in html and "<b>привет</b>" not in html


def test_the_sandbox_command_serves_and_prints_the_variables() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    proc = subprocess.Popen([sys.executable, "-m", "otklik.core.cli", "sandbox", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("Песочница соцсетей: http://127.0.0.1:")
        base = first.split()[2].rstrip("/")
        lines = [proc.stdout.readline().strip() for _ in range(4)]
        assert lines[0] == f"OTKLIK_VK_API_URL={base}/vk/method"
        assert {line.split("=")[0] for line in lines} == {"OTKLIK_VK_API_URL", "OTKLIK_OK_API_URL",
                                                          "OTKLIK_TELEGRAM_API_URL", "OTKLIK_MAX_API_URL"}
        view = httpx.get(f"{base}/", timeout=5).text
        assert all(p.name in view for p in PAGES)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
