"""`otklik history verify` / `otklik history anchor`: the integrity of the incidents' history.

verify — recompute every chain with the history key and check every head anchored in the
file outside the database; prints each problem and exits 1 when there is one.
anchor — append today's heads to the anchor file now (the worker does it daily).
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management import BaseCommand, CommandParser

from otklik.incidents.anchors import anchor_path, anchors_for, anchors_write
from otklik.incidents.history import history_verify
from otklik.pages.audit import page_history_verify


class Command(BaseCommand):
    help = "Проверка целостности истории сообщений (подписанная цепочка и заверенные копии) и заверение."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "anchor"])
        parser.add_argument("--incident", type=int, action="append")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "anchor":
            run = anchors_write()
            self.stdout.write(f"заверено сообщений: {run.written} (файл {anchor_path()})")
            return
        ids = options["incident"]
        anchors = anchors_for()
        if ids is not None:
            anchors = {pk: v for pk, v in anchors.items() if pk in ids}
        checked, problems = history_verify(ids, anchors=anchors)
        for p in problems:
            self.stdout.write(f"инцидент № {p.incident_id}, запись {p.seq}: {p.problem}")
        self.stdout.write(f"проверено записей: {checked}, заверенных сообщений: {len(anchors)}, "
                          f"нарушений: {len(problems)}")
        # The access history of the official pages: the same key, the same kind of chain.
        page_checked, page_problems = page_history_verify() if ids is None else (0, [])
        for pp in page_problems:
            self.stdout.write(f"страница № {pp.page_id}, запись {pp.seq}: {pp.problem}")
        self.stdout.write(f"история доступа к страницам: проверено записей: {page_checked}, "
                          f"нарушений: {len(page_problems)}")
        if problems or page_problems:
            sys.exit(1)
