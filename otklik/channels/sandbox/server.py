"""The sandbox's HTTP server: `/vk/…`, `/ok/…`, `/telegram/…`, `/max/…`, the view and controls.

Standard library only (ThreadingHTTPServer): it is a test and demo stand-in, not a product
server. Each network's `standin.handle(world, request)` answers in that network's shapes.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from otklik.channels.sandbox.world import Failure, SbRequest, SbResponse, World

NETWORKS = ("vk", "ok", "telegram", "max")
Handler = Callable[[World, SbRequest], SbResponse]


def _standins() -> dict[str, Handler]:
    found: dict[str, Handler] = {}
    for network in NETWORKS:
        try:
            module = importlib.import_module(f"otklik.channels.{network}.standin")
        except ModuleNotFoundError:
            continue
        found[network] = module.handle
    return found


def controls(world: World, req: SbRequest) -> SbResponse:
    """`/_sandbox/…`: inject failures, write as a citizen, read the state (tests and the view)."""
    if req.path == "state":
        return SbResponse.of(world.snapshot())
    if req.path.startswith("bot/") and req.method == "POST":  # a person talks to a staff bot
        from otklik.channels.sandbox.bots import controls as bot_controls

        return bot_controls(world, req, req.path.removeprefix("bot/"))
    if req.path == "fail" and req.method == "POST":
        data = req.json() or {}
        world.fail(Failure(**{k: v for k, v in data.items() if k in Failure.__dataclass_fields__}))
        return SbResponse.of({"ok": True})
    if req.path == "comment" and req.method == "POST":
        data = req.json() or {}
        comment = world.citizen_comment(str(data["network"]), str(data["page"]), int(data["post_id"]),
                                        str(data["text"]), author_id=str(data.get("author_id", "7001")),
                                        author_name=str(data.get("author_name", "Житель")),
                                        reply_to=int(data.get("reply_to", 0)))
        return SbResponse.of({"id": comment.id})
    return SbResponse.of({"error": "not found"}, status=404)


def make_handler(world: World) -> type[BaseHTTPRequestHandler]:
    standins = _standins()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet by design
            return

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            head, _, rest = parts.path.lstrip("/").partition("/")
            host = self.headers.get("Host") or "127.0.0.1"
            req = SbRequest(method=self.command, path=rest, query=parse_qs(parts.query, keep_blank_values=True),
                            headers={k.lower(): v for k, v in self.headers.items()}, body=body,
                            base=f"http://{host}")
            try:
                if head in standins:
                    resp = standins[head](world, req)
                elif head == "_sandbox":
                    resp = controls(world, req)
                else:
                    from otklik.channels.sandbox.view import render

                    req.path = parts.path.lstrip("/")
                    resp = render(world, req)
            except Exception as exc:  # a stand-in bug answers 500, like a network would
                resp = SbResponse.of({"error": f"sandbox: {type(exc).__name__}: {exc}"}, status=500)
            if resp.delay:
                time.sleep(resp.delay)
            try:
                self.send_response(resp.status)
                self.send_header("Content-Type", resp.content_type)
                self.send_header("Content-Length", str(len(resp.body)))
                for name, value in resp.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(resp.body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (its timeout)
                pass

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

    return Handler


def serve(world: World, host: str = "127.0.0.1", port: int = 8001) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), make_handler(world))
    server.daemon_threads = True
    return server


@contextlib.contextmanager
def running(world: World | None = None) -> Iterator[tuple[World, str]]:
    """A sandbox on a free loopback port for one test: yields (world, "http://127.0.0.1:PORT")."""
    world = world or World()
    server = serve(world, port=0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield world, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def api_urls(base: str) -> dict[str, str]:
    """The OTKLIK_*_API_URL values that point the clients at a sandbox on `base`."""
    return {
        "OTKLIK_VK_API_URL": f"{base}/vk/method",
        "OTKLIK_OK_API_URL": f"{base}/ok/fb.do",
        "OTKLIK_TELEGRAM_API_URL": f"{base}/telegram",
        "OTKLIK_MAX_API_URL": f"{base}/max",
    }


def dumps(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()
