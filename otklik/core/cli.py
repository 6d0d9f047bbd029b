"""`otklik`: Django's management commands under the project's settings, plus the project's own."""

from __future__ import annotations

import os
import sys

# Commands whose contract names use a hyphen; Django's modules use underscores.
ALIASES = {"check-answer": "check_answer", "check-post": "check_post"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    args = list(sys.argv if argv is None else argv)
    args[0] = "otklik"
    if len(args) > 1 and args[1] in ALIASES:
        args[1] = ALIASES[args[1]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
