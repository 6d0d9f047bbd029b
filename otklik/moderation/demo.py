"""The demo's moderation: rules on the VK page and a few comments waiting for the moderator
(the same comments the sandbox shows under the VK page's first post)."""

from __future__ import annotations

from otklik.channels.base import Comment
from otklik.channels.sandbox.demo_world import CALLBACK_SECRET, MODERATION_COMMENTS, MODERATION_POST
from otklik.moderation.models import PageComment
from otklik.moderation.services import callback_set, comments_ingest, rule_set
from otklik.org.demo import DEMO_SLUG
from otklik.pages.models import OfficialPage


def demo_moderation_load() -> int:
    """Idempotent: the comments are stored once (page + network id)."""
    vk = OfficialPage.objects.filter(municipality__slug=DEMO_SLUG, network="vk", unit__isnull=True).first()
    if vk is None or PageComment.objects.filter(page=vk).exists():
        return 0
    # Spam goes at once; insults and the rest wait for the moderator.
    rule_set(page=vk, delete=["spam"], ban=[])
    callback_set(page=vk, secret=CALLBACK_SECRET, confirmation="sandbox-confirm")
    stored = comments_ingest(page=vk, via="poll", comments=[
        Comment(id=str(cid), post_id=str(MODERATION_POST), author_id=author, text=text)
        for cid, author, text in MODERATION_COMMENTS])
    return len(stored)
