"""`otklik sandbox [ADDR:PORT]`: the local stand-in of VK, OK, Telegram and MAX, with a web view.

Starts with the demo municipality's pages, posts and citizens' comments; point Otklik at it
with the OTKLIK_*_API_URL variables it prints (`otklik run --sandbox` does that itself).
"""

from __future__ import annotations

from typing import Any

from django.core.management import BaseCommand, CommandError, CommandParser

from otklik.channels.sandbox.demo_world import demo_world
from otklik.channels.sandbox.server import api_urls, serve


class Command(BaseCommand):
    help = "Песочница соцсетей: местная замена API ВКонтакте, Одноклассников, Telegram и MAX с просмотром страниц."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8001")
        parser.add_argument("--empty", action="store_true", help="без демонстрационных страниц")

    def handle(self, *args: Any, **options: Any) -> None:
        host, _, port = str(options["addrport"]).rpartition(":")
        if not port.isdigit():
            raise CommandError("Адрес: ХОСТ:ПОРТ, например 127.0.0.1:8001.")
        from otklik.channels.sandbox.world import World

        world = World() if options["empty"] else demo_world()
        server = serve(world, host or "127.0.0.1", int(port))
        base = f"http://{host or '127.0.0.1'}:{server.server_address[1]}"
        self.stdout.write(f"Песочница соцсетей: {base}/  (Ctrl-C — остановить)")
        for name, value in api_urls(base).items():
            self.stdout.write(f"  {name}={value}")
        self.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
