"""The sandbox's web view: each page with its posts, comments and replies, as a visitor sees it.

Everything shown is escaped (comments are text from "citizens"). The page refreshes itself
every few seconds, so a reply published from Otklik appears under the comment on its own.
"""

from __future__ import annotations

import html
from urllib.parse import parse_qs, quote

from otklik.channels.sandbox.world import SbComment, SbPage, SbRequest, SbResponse, World

NETWORK_NAMES = {"vk": "ВКонтакте", "ok": "Одноклассники", "telegram": "Telegram", "max": "MAX"}

STYLE = """
body{font:16px/1.45 system-ui,sans-serif;margin:0;background:#eef1f5;color:#1b1f24}
header{background:#1b2a41;color:#fff;padding:.8rem 1rem}header a{color:#fff}
main{max-width:760px;margin:0 auto;padding:1rem}
.card{background:#fff;border-radius:10px;padding:1rem;margin:0 0 1rem;box-shadow:0 1px 2px #0002}
.c{border-left:3px solid #d0d7e2;padding:.4rem .7rem;margin:.5rem 0}
.c .c{margin-left:1rem}.page{border-left-color:#2a7ae2;background:#f3f8ff}
.who{font-weight:600}.muted{color:#667}.del{opacity:.55;text-decoration:line-through}
.ban{color:#b00020;font-weight:600}textarea{width:100%;box-sizing:border-box}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _frame(title: str, body: str, refresh: bool = True) -> SbResponse:
    meta = '<meta http-equiv="refresh" content="4">' if refresh else ""
    page = (f'<!doctype html><html lang="ru"><head><meta charset="utf-8">{meta}'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{_e(title)}</title>'
            f"<style>{STYLE}</style></head><body><header><a href=\"/\">Песочница соцсетей</a> · {_e(title)}"
            f"</header><main>{body}</main></body></html>")
    return SbResponse(body=page.encode(), content_type="text/html; charset=utf-8")


def _comment(page: SbPage, c: SbComment, children: dict[int, list[SbComment]]) -> str:
    mine = c.author_id == "page"
    who = page.name if mine else (c.author_name or f"id{c.author_id}")
    marks = ""
    if c.deleted:
        marks += ' <span class="muted">[удалён]</span>'
    if c.author_id in page.banned:
        marks += ' <span class="ban">[автор в чёрном списке]</span>'
    inner = "".join(_comment(page, x, children) for x in children.get(c.id, []))
    return (f'<div class="c{" page" if mine else ""}{" del" if c.deleted else ""}" id="c{c.id}">'
            f'<span class="who">{_e(who)}</span> <span class="muted">№ {c.id}</span>{marks}'
            f'<div>{_e(c.text).replace(chr(10), "<br>")}</div>{inner}</div>')


def _page(world: World, page: SbPage) -> SbResponse:
    parts = [f'<div class="card"><h1>{_e(page.name)}</h1><p class="muted">{_e(NETWORK_NAMES.get(page.network, page.network))}'
             f" · id {_e(page.external_id)}</p></div>"]
    for post in sorted(page.posts.values(), key=lambda p: -p.id):
        thread = page.thread(post.id)
        children: dict[int, list[SbComment]] = {}
        for c in thread:
            children.setdefault(c.reply_to if c.reply_to in page.comments else 0, []).append(c)
        comments = "".join(_comment(page, c, children) for c in children.get(0, []))
        media = "".join(f'<div class="muted">[{_e(a)}]</div>' for a in post.attachments)
        form = (f'<form method="post" action="/page/{quote(page.network)}/{quote(page.external_id)}/comment">'
                f'<input type="hidden" name="post_id" value="{post.id}"><textarea name="text" rows="2" '
                'placeholder="Написать комментарий как житель"></textarea><button>Отправить</button></form>')
        parts.append(f'<div class="card{" del" if post.deleted else ""}" id="p{post.id}"><div class="who">'
                     f'{_e(page.name)} <span class="muted">запись № {post.id}</span></div>'
                     f'<p>{_e(post.text).replace(chr(10), "<br>")}</p>{media}'
                     f'<h3>Комментарии ({len(thread)})</h3>{comments or "<p class=muted>Нет комментариев</p>"}'
                     f"{form}</div>")
    return _frame(page.name, "".join(parts))


def _bot_links(world: World) -> str:
    from otklik.channels.sandbox.bots import bots_of

    links = "".join(f'<li><a href="/bot/{quote(b.network)}">Бот для сотрудников — '
                    f"{_e(NETWORK_NAMES.get(b.network, b.network))}</a></li>" for b in bots_of(world))
    return f"<h2>Чат сотрудника с ботом «Отклика»</h2><ul>{links}</ul>" if links else ""


def render(world: World, req: SbRequest) -> SbResponse:
    path = req.path.strip("/")
    if not path:
        items = "".join(
            f'<li><a href="/page/{quote(p.network)}/{quote(p.external_id)}">{_e(p.name)}</a> '
            f'<span class="muted">{_e(NETWORK_NAMES.get(p.network, p.network))}, записей: {len(p.posts)}, '
            f"комментариев: {len(p.comments)}</span></li>"
            for _, p in sorted(world.pages.items()))
        return _frame("страницы", f'<div class="card"><p>Местная замена ВКонтакте, Одноклассников, Telegram и MAX: '
                                  f"сюда Отклик публикует ответы в демонстрации.</p><ul>{items}</ul>"
                                  f"{_bot_links(world)}</div>")
    bits = path.split("/")
    if bits[0] == "bot":  # a staff member's chat with the staff bot (sandbox/bots.py)
        from otklik.channels.sandbox.bots import chat_view

        return chat_view(world, req, bits)
    if len(bits) >= 3 and bits[0] == "page":
        page = world.page(bits[1], bits[2])
        if page is None:
            return _frame("нет страницы", "<p>Такой страницы нет.</p>", refresh=False)
        if len(bits) == 4 and bits[3] == "comment" and req.method == "POST":
            form = {k: v[0] for k, v in parse_qs(req.body.decode("utf-8", "replace")).items()}
            text = form.get("text", "").strip()[:4000]
            post_id = int(form.get("post_id", "0") or 0) if form.get("post_id", "").isdigit() else 0
            if text and post_id in page.posts:
                world.citizen_comment(page.network, page.external_id, post_id, text)
            return SbResponse(status=303, content_type="text/plain",
                              headers={"Location": f"/page/{quote(page.network)}/{quote(page.external_id)}"})
        return _page(world, page)
    return _frame("нет страницы", "<p>Такой страницы нет.</p>", refresh=False)
