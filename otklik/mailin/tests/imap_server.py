"""A small IMAP4rev1 server for the tests (no Debian IMAP server is installed here): one
mailbox, the commands imap-tools uses — CAPABILITY, LOGIN, SELECT, UID SEARCH, UID FETCH,
UID STORE, EXPUNGE, IDLE, NOOP, LOGOUT — over a real socket on loopback.
"""

from __future__ import annotations

import asyncio
import re
import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Stored:
    uid: int
    raw: bytes
    flags: set[str] = field(default_factory=set)


class IMAPServer:
    def __init__(self, user: str, password: str, *, idle: bool = True) -> None:
        self.user, self.password, self.idle_supported = user, password, idle
        self.messages: list[Stored] = []
        self.commands: list[str] = []  # what clients sent, for the tests to read
        self.lock = threading.Lock()
        self.loop = asyncio.new_event_loop()
        self.idlers: list[asyncio.StreamWriter] = []
        self.server: asyncio.Server | None = None
        self.port = 0
        ready = threading.Event()
        self.thread = threading.Thread(target=self._serve, args=(ready,), daemon=True)
        self.thread.start()
        ready.wait(5)

    # -- the test's side

    def append(self, raw: bytes) -> None:
        with self.lock:
            uid = (self.messages[-1].uid + 1) if self.messages else 1
            self.messages.append(Stored(uid, raw))
            count = len(self.messages)
        self.loop.call_soon_threadsafe(self._tell_idlers, count)

    def seen(self) -> list[int]:
        with self.lock:
            return [m.uid for m in self.messages if "\\Seen" in m.flags]

    def stop(self) -> None:
        async def shutdown() -> None:
            if self.server is not None:
                self.server.close()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(shutdown(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()

    # -- the server

    def _serve(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        self.server = self.loop.run_until_complete(asyncio.start_server(self._client, "127.0.0.1", 0))
        self.port = self.server.sockets[0].getsockname()[1]
        ready.set()
        self.loop.run_forever()

    def _tell_idlers(self, count: int) -> None:
        for writer in list(self.idlers):
            writer.write(f"* {count} EXISTS\r\n".encode())

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        caps = "IMAP4rev1" + (" IDLE" if self.idle_supported else "")
        writer.write(f"* OK [CAPABILITY {caps}] test server ready\r\n".encode())
        authed = False
        try:
            while True:
                line = await reader.readline()
                if not line:
                    return
                text = line.decode("utf-8", "replace").rstrip("\r\n")
                tag, _, rest = text.partition(" ")
                command, _, args = rest.partition(" ")
                command = command.upper()
                self.commands.append(f"{command} {args}".strip() if command != "LOGIN" else "LOGIN")
                if command == "UID":
                    sub, _, args = args.partition(" ")
                    command = "UID " + sub.upper()
                reply = await self._command(tag, command, args, authed, reader, writer)
                if command == "LOGIN" and reply.endswith(b"OK LOGIN completed\r\n"):
                    authed = True
                writer.write(reply)
                await writer.drain()
                if command == "LOGOUT":
                    return
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            if writer in self.idlers:
                self.idlers.remove(writer)
            writer.close()

    async def _command(self, tag: str, command: str, args: str, authed: bool, reader: asyncio.StreamReader,
                       writer: asyncio.StreamWriter) -> bytes:
        ok = f"{tag} OK {command} completed\r\n".encode()
        if command == "CAPABILITY":
            caps = "IMAP4rev1" + (" IDLE" if self.idle_supported else "")
            return f"* CAPABILITY {caps}\r\n".encode() + ok
        if command in {"NOOP", "EXPUNGE", "CHECK"}:
            return ok  # imap-tools expunges after every STORE; nothing here is ever \Deleted
        if command == "LOGOUT":
            return b"* BYE logging out\r\n" + ok
        if command == "LOGIN":
            parts = re.findall(r'"((?:[^"\\]|\\.)*)"|(\S+)', args)
            values = [a or b for a, b in parts]
            if values == [self.user, self.password]:
                return f"{tag} OK LOGIN completed\r\n".encode()
            return f"{tag} NO [AUTHENTICATIONFAILED] invalid credentials\r\n".encode()
        if not authed:
            return f"{tag} BAD not authenticated\r\n".encode()
        if command in {"SELECT", "EXAMINE"}:
            with self.lock:
                n = len(self.messages)
                nxt = (self.messages[-1].uid + 1) if self.messages else 1
            return (f"* {n} EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 1]\r\n* OK [UIDNEXT {nxt}]\r\n"
                    f"* FLAGS (\\Seen \\Deleted)\r\n{tag} OK [READ-WRITE] SELECT completed\r\n").encode()
        if command == "UID SEARCH":
            with self.lock:
                found = [m.uid for m in self.messages
                         if "UNSEEN" not in args.upper() or "\\Seen" not in m.flags]
            return f"* SEARCH {' '.join(map(str, found))}\r\n".replace(" \r\n", "\r\n").encode() + ok
        if command == "UID FETCH":
            uids = {int(u) for u in re.split(r"[,\s]", args.split(" ")[0]) if u.isdigit()}
            out = b""
            with self.lock:
                for seq, m in enumerate(self.messages, start=1):
                    if m.uid in uids:
                        out += f"* {seq} FETCH (UID {m.uid} BODY[] {{{len(m.raw)}}}\r\n".encode() + m.raw + b")\r\n"
            return out + ok
        if command == "UID STORE":
            uid_text, _, rest = args.partition(" ")
            uids = {int(u) for u in uid_text.split(",") if u.isdigit()}
            flags = set(re.findall(r"\\\w+", rest))
            out = b""
            with self.lock:
                for seq, m in enumerate(self.messages, start=1):
                    if m.uid in uids:
                        m.flags = (m.flags | flags) if rest.startswith("+") else (m.flags - flags)
                        out += f"* {seq} FETCH (UID {m.uid} FLAGS ({' '.join(sorted(m.flags))}))\r\n".encode()
            return out + ok
        if command == "IDLE" and self.idle_supported:
            writer.write(b"+ idling\r\n")
            await writer.drain()
            self.idlers.append(writer)
            try:
                while True:
                    line = await reader.readline()
                    if not line or line.strip().upper() == b"DONE":
                        break
            finally:
                self.idlers.remove(writer)
            return f"{tag} OK IDLE terminated\r\n".encode()
        return f"{tag} BAD unknown command\r\n".encode()


def serve(user: str, password: str, **kwargs: Any) -> IMAPServer:
    return IMAPServer(user, password, **kwargs)
