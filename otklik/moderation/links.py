"""The public link of a comment on a page, in its network's own form (for the workflow)."""

from __future__ import annotations

from typing import Any

from otklik.pages.models import OfficialPage


def comment_link(page: OfficialPage, comment: Any) -> str:
    post, cid = str(comment.post_id or ""), str(comment.network_id)
    if page.network == "vk" and post:
        from otklik.channels.vk.client import comment_url

        return comment_url(page.external_id.lstrip("-"), post, cid, str(comment.reply_to or ""))
    if page.network == "ok" and post:
        from otklik.channels.ok.client import topic_url

        return topic_url(page.external_id, post)
    if page.network == "telegram" and post:
        name = page.external_id.lstrip("@")
        if page.external_id.startswith("@"):
            return f"https://t.me/{name}/{post}?comment={cid}"
    return page.url  # MAX comments have no link of their own; nor a comment whose post is unknown
