"""Consistent snapshots of the database and their restore, for SQLite and PostgreSQL.

SQLite: the online backup API copies the whole file in one step, i.e. in one read transaction;
with WAL the web server and the worker keep writing meanwhile and the copy is the database as
of one moment. PostgreSQL: a REPEATABLE READ transaction exports its snapshot and `pg_dump
--snapshot` dumps exactly it, while the same transaction counts the rows — so the counts in
the manifest are the counts of the dump, not of a moment nearby.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

from otklik.backups.archive import BackupError

SQLITE_MEMBER = "database/otklik.sqlite3"
PG_MEMBER = "database/otklik.pgdump"
# Tables whose rows mean the database is in use: restoring over them would replace real work.
DATA_TABLES = {
    "org_municipality": "муниципальных образований",
    "org_person": "сотрудников",
    "auth_user": "учётных записей",
    "incidents_incident": "сообщений",
    "pages_officialpage": "официальных страниц",
}


@dataclass(frozen=True)
class Snapshot:
    member: str
    file: Path
    vendor: str
    server_version: str
    counts: dict[str, int]
    migrations: list[str]  # "app.name" of every applied migration


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def vendor() -> str:
    return str(connection.vendor)


# --- SQLite -----------------------------------------------------------------------------------

def _sqlite_path() -> Path:
    return Path(str(connection.settings_dict["NAME"]))


def _sqlite_facts(db: sqlite3.Connection) -> tuple[dict[str, int], list[str]]:
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    counts = {t: int(db.execute(f"SELECT COUNT(*) FROM {_quote(t)}").fetchone()[0]) for t in tables}  # noqa: S608  # quoted names from the catalogue
    migrations = ([f"{a}.{n}" for a, n in db.execute("SELECT app, name FROM django_migrations ORDER BY id")]
                  if "django_migrations" in counts else [])
    return counts, migrations


def _sqlite_snapshot(into: Path) -> Snapshot:
    source_path = _sqlite_path()
    if not source_path.exists():
        raise BackupError(f"Файла базы {source_path} нет: копировать нечего.")
    target = into / "otklik.sqlite3"
    source = sqlite3.connect(source_path, timeout=60)
    copy = sqlite3.connect(target)
    try:
        # pages=-1: one step, one read transaction — a snapshot of one moment; writers go on (WAL).
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        if (check := copy.execute("PRAGMA integrity_check").fetchone()[0]) != "ok":
            raise BackupError(f"Проверка снятой копии базы SQLite не прошла: {check}.")
        counts, migrations = _sqlite_facts(copy)
        version = str(copy.execute("SELECT sqlite_version()").fetchone()[0])
    finally:
        copy.close()
        source.close()
    os.chmod(target, 0o600)
    return Snapshot(SQLITE_MEMBER, target, "sqlite", version, counts, migrations)


def _sqlite_restore(file: Path) -> None:
    db = sqlite3.connect(file)
    try:
        if (check := db.execute("PRAGMA integrity_check").fetchone()[0]) != "ok":
            raise BackupError(f"База в копии не проходит проверку SQLite: {check}.")
    finally:
        db.close()
    target = _sqlite_path()
    connection.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.restoring")
    shutil.copyfile(file, staged)
    os.chmod(staged, 0o600)
    # The empty database's journal files belong to the file being replaced.
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(staged, target)


# --- PostgreSQL -------------------------------------------------------------------------------

def pg_tool(name: str) -> str:
    """The path of pg_dump / pg_restore: OTKLIK_PG_BIN first, then PATH."""
    directory = os.environ.get("OTKLIK_PG_BIN", "")
    found = shutil.which(name, path=directory) if directory else shutil.which(name)
    if not found:
        raise BackupError(f"Не найдена программа {name}. Установите клиент PostgreSQL той же или более новой "
                          "версии, чем сервер (Debian, Astra: apt-get install postgresql-client), или укажите "
                          "её каталог в OTKLIK_PG_BIN, например OTKLIK_PG_BIN=/usr/lib/postgresql/16/bin.")
    return found


def _pg_params() -> dict[str, str]:
    db = connection.settings_dict
    params = {"dbname": db.get("NAME"), "user": db.get("USER"), "host": db.get("HOST"), "port": db.get("PORT")}
    options = db.get("OPTIONS") or {}
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey", "passfile", "service"):
        if options.get(key):
            params[key] = options[key]
    return {k: str(v) for k, v in params.items() if v}


def _pg_env() -> dict[str, str]:
    # The password goes by the environment, never the command line (ps shows that to everyone).
    env = dict(os.environ)
    if password := connection.settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(password)
    return env


def _pg_conninfo(*, with_password: bool = False) -> str:
    from psycopg.conninfo import make_conninfo

    params = _pg_params()
    if with_password and (password := connection.settings_dict.get("PASSWORD")):
        params["password"] = str(password)
    return make_conninfo(**params)


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise BackupError(f"{what} завершилась с ошибкой (код {done.returncode}): " + " / ".join(tail))


def _pg_snapshot(into: Path) -> Snapshot:
    import psycopg

    pg_dump = pg_tool("pg_dump")
    target = into / "otklik.pgdump"
    with psycopg.connect(_pg_conninfo(with_password=True)) as db:
        db.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        db.read_only = True
        with db.cursor() as cur:
            cur.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            row = cur.fetchone()
            assert row is not None  # noqa: S101  # a SELECT without FROM returns one row
            snapshot, version = str(row[0]), str(row[1])
            _run([pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                  f"--file={target}", f"--dbname={_pg_conninfo()}"], "Программа pg_dump")
            cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
            tables = [str(r[0]) for r in cur.fetchall()]
            counts: dict[str, int] = {}
            for table in tables:
                cur.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608  # quoted names from the catalogue
                counts[table] = int(cur.fetchone()[0])  # type: ignore[index]  # COUNT(*) always returns a row
            migrations: list[str] = []
            if "django_migrations" in counts:
                cur.execute("SELECT app, name FROM django_migrations ORDER BY id")
                migrations = [f"{a}.{n}" for a, n in cur.fetchall()]
        db.rollback()
    os.chmod(target, 0o600)
    return Snapshot(PG_MEMBER, target, "postgresql", version, counts, migrations)


def _pg_restore(file: Path) -> None:
    pg_restore = pg_tool("pg_restore")
    # The database is empty (checked before): tables a `migrate` made go, so that the dump's
    # schema is the whole schema; --clean drops what else the dump brings (functions).
    with connection.cursor() as cur:
        for table in connection.introspection.table_names(cur):
            cur.execute(f"DROP TABLE IF EXISTS {_quote(table)} CASCADE")
    connection.close()
    _run([pg_restore, "--no-owner", "--no-privileges", "--clean", "--if-exists", "--single-transaction",
          "--exit-on-error", f"--dbname={_pg_conninfo()}", str(file)], "Программа pg_restore")


# --- both -------------------------------------------------------------------------------------

def snapshot_take(*, into: Path) -> Snapshot:
    kind = vendor()
    if kind == "sqlite":
        return _sqlite_snapshot(into)
    if kind == "postgresql":
        return _pg_snapshot(into)
    raise BackupError(f"Резервное копирование базы {kind} не поддерживается (только SQLite и PostgreSQL).")


def snapshot_restore(*, file: Path, kind: str) -> None:
    if kind == "sqlite":
        _sqlite_restore(file)
    else:
        _pg_restore(file)


def database_describe() -> str:
    if vendor() == "sqlite":
        return f"SQLite {_sqlite_path()}"
    params = _pg_params()
    return f"PostgreSQL {params.get('dbname', '')} на {params.get('host', 'localhost')}:{params.get('port', '5432')}"


def database_rows() -> dict[str, int]:
    """Rows of the data tables that exist (an unmigrated database has none)."""
    with connection.cursor() as cur:
        tables = set(connection.introspection.table_names(cur))
        found: dict[str, int] = {}
        for table in DATA_TABLES:
            if table in tables:
                cur.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608  # fixed names
                found[table] = int(cur.fetchone()[0])
    return found


def database_refuse_unless_empty() -> None:
    used = {t: n for t, n in database_rows().items() if n}
    if used:
        what = ", ".join(f"{n} {DATA_TABLES[t]}" for t, n in used.items())
        raise BackupError(f"База {database_describe()} не пустая ({what}). Восстановление делается только в "
                          "пустую базу, чтобы не затереть работу: создайте новую базу (PostgreSQL: createdb …; "
                          "SQLite: другой файл) и укажите её в DATABASE_URL.")


def table_counts(tables: list[str]) -> dict[str, int | None]:
    """Rows of each named table now; None for a table that is not there."""
    with connection.cursor() as cur:
        present = set(connection.introspection.table_names(cur))
        result: dict[str, int | None] = {}
        for table in tables:
            if table not in present:
                result[table] = None
                continue
            cur.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608  # names from the manifest, checked above
            result[table] = int(cur.fetchone()[0])
    return result
