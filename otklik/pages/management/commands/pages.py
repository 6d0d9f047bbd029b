"""`otklik pages add …` / `otklik pages check ID` / `otklik pages list`: official pages and their access.

add   — registers a page (or renews the token of the page with the same network id); the
        token is read from standard input, never from the command line (it would stay in the
        shell history and the process list); prints the page's id.
check — asks the network whether the token works and which rights it lacks; exit 1 if not.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management import BaseCommand, CommandError, CommandParser

from otklik.channels.networks import Network
from otklik.core.vault import VaultError
from otklik.pages.models import OfficialPage
from otklik.pages.services import PageError, check_text, page_check, page_register


class Command(BaseCommand):
    help = "Официальные страницы: регистрация с ключом доступа (add), проверка ключа (check), список (list)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="зарегистрировать страницу; ключ — со стандартного входа")
        add.add_argument("--municipality", required=True, help="код МО")
        add.add_argument("--network", required=True, choices=Network.values)
        add.add_argument("--url", required=True, help="адрес страницы")
        add.add_argument("--external-id", required=True, help="идентификатор страницы в сети")
        add.add_argument("--discussion-chat-id", default="", help="Telegram: группа обсуждения канала")
        add.add_argument("--unit", default="", help="учреждение (по названию); пусто — администрация")
        add.add_argument("--name", default="", help="название страницы")
        add.add_argument("--token-stdin", action="store_true", required=True,
                         help="прочитать ключ доступа со стандартного входа")
        add.add_argument("--callback-secret", default="",
                         help="секрет вебхука: VK Callback API «секретный ключ», Telegram secret_token, MAX secret")
        add.add_argument("--callback-confirmation", default="", help="VK: строка, которую должен вернуть сервер")
        moderation = sub.add_parser("moderation", help="правила автоматической модерации страницы")
        moderation.add_argument("id", type=int)
        moderation.add_argument("--delete", default="", help="удалять сразу: obscenity,insult,threat,spam,law")
        moderation.add_argument("--ban", default="", help="и вносить в чёрный список: подмножество --delete")
        moderation.add_argument("--ban-days", type=int, default=None, help="срок чёрного списка (0 — навсегда)")
        moderation.add_argument("--auto-publication", choices=["yes", "no"], default=None,
                                help="вопросы и жалобы — сразу в работу")
        check = sub.add_parser("check", help="проверить ключ доступа страницы")
        check.add_argument("id", type=int)
        sub.add_parser("list", help="страницы и состояние их ключей")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "add":
            token = sys.stdin.readline()
            try:
                done = page_register(municipality_slug=options["municipality"], network=options["network"],
                                     url=options["url"], external_id=options["external_id"], token=token,
                                     discussion_chat_id=options["discussion_chat_id"], unit_name=options["unit"],
                                     name=options["name"])
            except (PageError, VaultError) as exc:
                raise CommandError(str(exc)) from exc
            if options["callback_secret"] or options["callback_confirmation"]:
                from otklik.moderation.services import callback_set

                callback_set(page=done.page, secret=options["callback_secret"].strip(),
                             confirmation=options["callback_confirmation"].strip())
            self.stdout.write(str(done.page.pk))
            self.stderr.write("страница зарегистрирована" if done.created else "ключ и данные страницы обновлены")
        elif action == "moderation":
            self._moderation(options)
        elif action == "check":
            page = OfficialPage.objects.filter(pk=options["id"]).first()
            if page is None:
                raise CommandError(f"Страницы № {options['id']} нет.")
            try:
                result = page_check(page)
            except VaultError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"{page.name} ({page.get_network_display()}): {check_text(result)}")
            if not result.ok or result.missing:
                sys.exit(1)
        else:
            for page in OfficialPage.objects.select_related("municipality"):
                key = "ключ задан" if page.has_token else "ключа нет"
                state = page.check_message or "не проверялась"
                self.stdout.write(f"{page.pk}\t{page.municipality.slug}\t{page.network}\t{page.url}\t{key}\t{state}")

    def _moderation(self, options: dict[str, Any]) -> None:
        from otklik.incidents.transitions import Invalid
        from otklik.moderation.models import CODE_LABELS
        from otklik.moderation.services import rule_set

        page = OfficialPage.objects.filter(pk=options["id"]).first()
        if page is None:
            raise CommandError(f"Страницы № {options['id']} нет.")

        def codes(value: str) -> list[str]:
            return [c.strip() for c in value.split(",") if c.strip()]

        auto = None if options["auto_publication"] is None else options["auto_publication"] == "yes"
        try:
            rule = rule_set(page=page, delete=codes(options["delete"]), ban=codes(options["ban"]),
                            ban_days=options["ban_days"], auto_publication=auto)
        except Invalid as exc:
            raise CommandError(str(exc)) from exc
        names = ", ".join(CODE_LABELS[c] for c in rule.delete_codes) or "ничего"
        banned = ", ".join(CODE_LABELS[c] for c in rule.ban_codes) or "никого"
        self.stdout.write(f"{page.name}: удалять сразу — {names}; в чёрный список — {banned} "
                          f"({'навсегда' if not rule.ban_days else f'{rule.ban_days} дн.'}); вопросы и жалобы — "
                          f"{'сразу в работу' if rule.auto_publication else 'модератору'}.")
