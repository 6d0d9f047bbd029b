"""The backup file, and every refusal of `otklik restore` before it writes anything.

The full round trip under load is test_backup_under_load.py; here the file's contents and
permissions, the Russian refusals (foreign, corrupt, newer, other vendor, database or media
not empty, wrong keys, diverging anchors), the nightly claim and the rotation.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from otklik.backups.archive import FORMAT, HEADER, MANIFEST, ArchiveWriter, BackupError
from otklik.backups.databases import pg_tool, vendor
from otklik.backups.services import backup_create, backup_nightly, backups_rotate, key_id
from otklik.backups.tasks import backup_due_claim
from otklik.core.periodic import REGISTRY

pytestmark = pytest.mark.django_db(transaction=True)
MSK = ZoneInfo("Europe/Moscow")


@pytest.fixture
def site(settings: Any, tmp_path: Path) -> Path:
    """A var directory of the test's own: media, anchors, keys, backups."""
    var = tmp_path / "var"
    (var / "media" / "attachments").mkdir(parents=True)
    settings.VAR_DIR = var
    settings.MEDIA_ROOT = var / "media"
    settings.OTKLIK_HISTORY_ANCHORS = str(var / "history-anchors.jsonl")
    settings.OTKLIK_BACKUP_DIR = str(var / "backups")
    settings.OTKLIK_HISTORY_KEY = "the-history-key"
    settings.OTKLIK_SECRETS_KEYS = [Fernet.generate_key().decode()]
    return var


def _members(path: Path) -> list[str]:
    with tarfile.open(path) as tar:
        return tar.getnames()


def _manifest(path: Path) -> dict[str, Any]:
    with tarfile.open(path) as tar:
        handle = tar.extractfile(MANIFEST)
        assert handle is not None
        return dict(json.loads(handle.read()))


def _backup(site: Path, **kwargs: Any) -> Path:
    path = site.parent / "copy.tar.gz"
    backup_create(path=path, **kwargs)
    return path


def _refused(path: Path, *args: str) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("restore", str(path), *args)
    return str(caught.value)


def _forged(site: Path, manifest: dict[str, Any], members: dict[str, bytes] | None = None) -> Path:
    """A well-formed file with the given manifest, as a foreign or later tool could write it."""
    path = site.parent / "forged.tar.gz"
    with ArchiveWriter(path) as writer:
        for name, data in (members or {}).items():
            writer.add_bytes(name, data)
        writer.finish(manifest)
    return path


def _valid_manifest(site: Path) -> dict[str, Any]:
    good = _manifest(_backup(site))
    return {k: v for k, v in good.items() if k != "files"}


def test_the_file_is_private_and_says_what_it_holds(site: Path, settings: Any) -> None:
    (site / "media" / "attachments" / "photo.jpg").write_bytes(b"\xff\xd8\xff photo")
    (site / "history-anchors.jsonl").write_text('{"incident": 1, "seq": 1, "hash": "ab", "municipality": 1}\n')
    path = _backup(site)
    assert oct(path.stat().st_mode & 0o777) == "0o600"  # personal data
    names = _members(path)
    assert names[0] == HEADER and names[-1] == MANIFEST
    database = "database/otklik.sqlite3" if vendor() == "sqlite" else "database/otklik.pgdump"
    assert set(names[1:-1]) == {database, "anchors/history-anchors.jsonl", "media/attachments/photo.jpg"}
    manifest = _manifest(path)
    assert manifest["format"] == FORMAT and manifest["format_version"] == 1
    assert manifest["app_version"] and manifest["database"]["vendor"] == vendor()
    assert manifest["counts"]["incidents_incident"] == 0
    assert "incidents.0001_initial" in manifest["database"]["migrations"]
    assert manifest["media"] == {"files": 1, "bytes": 9}
    # The keys stay out; only their fingerprints are kept, to refuse a restore with others.
    assert manifest["keys"] == {"history": key_id(b"the-history-key"), "included": False,
                                "secrets": [key_id(settings.OTKLIK_SECRETS_KEYS[0].encode())]}
    assert not any(n.startswith("keys/") for n in names)
    assert set(manifest["files"]) == set(names[1:-1])


def test_anchors_are_copied_before_the_database(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An anchor written while the snapshot is taken may name entries the snapshot lacks:
    such a line must not be in the backup, or `history verify` fails after the restore."""
    from otklik.backups import databases, services

    anchors = site / "history-anchors.jsonl"
    anchors.write_text('{"incident": 1, "seq": 1, "hash": "old", "municipality": 1}\n')
    real = databases.snapshot_take

    def snapshot_while_the_worker_anchors(*, into: Path) -> Any:
        with anchors.open("a") as handle:
            handle.write('{"incident": 1, "seq": 2, "hash": "newer-than-the-snapshot", "municipality": 1}\n')
        return real(into=into)

    monkeypatch.setattr(services, "snapshot_take", snapshot_while_the_worker_anchors)
    with tarfile.open(_backup(site)) as tar:
        handle = tar.extractfile("anchors/history-anchors.jsonl")
        assert handle is not None
        assert handle.read().decode() == '{"incident": 1, "seq": 1, "hash": "old", "municipality": 1}\n'


def test_with_keys_the_keys_go_in(site: Path, settings: Any) -> None:
    path = _backup(site, with_keys=True)
    with tarfile.open(path) as tar:
        history = tar.extractfile("keys/history_key")
        secrets = tar.extractfile("keys/secrets_key")
        assert history is not None and secrets is not None
        assert history.read() == b"the-history-key"
        assert secrets.read() == settings.OTKLIK_SECRETS_KEYS[0].encode()
    assert _manifest(path)["keys"]["included"] is True


def test_an_existing_file_is_never_overwritten(site: Path) -> None:
    path = site.parent / "copy.tar.gz"
    path.write_bytes(b"keep me")
    with pytest.raises(BackupError, match="уже есть"):
        backup_create(path=path)
    assert path.read_bytes() == b"keep me"


def test_restore_refuses_a_foreign_file(site: Path, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("не копия")
    plain = tmp_path / "other.tar.gz"
    with tarfile.open(plain, "w:gz") as tar:
        info = tarfile.TarInfo("db.sqlite3")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"abc"))
    zipped = tmp_path / "copy.zip"
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("manifest.json", "{}")
    for path in (text, plain, zipped):
        assert "не резервная копия Отклика" in _refused(path)
    assert "не найден" in _refused(tmp_path / "missing.tar.gz")


def test_restore_refuses_a_corrupt_file(site: Path) -> None:
    (site / "media" / "attachments" / "big.bin").write_bytes(os.urandom(200_000))
    good = _backup(site)
    data = good.read_bytes()
    truncated = site.parent / "truncated.tar.gz"
    truncated.write_bytes(data[: len(data) // 2])
    flipped = site.parent / "flipped.tar.gz"
    middle = len(data) // 2
    flipped.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:])
    for path in (truncated, flipped):
        message = _refused(path)
        assert "повреждена" in message and "база не тронута" in message


def test_restore_refuses_a_member_that_does_not_match_its_checksum(site: Path) -> None:
    path = site.parent / "lying.tar.gz"
    with ArchiveWriter(path) as writer:
        writer.add_bytes("media/a.jpg", b"photo")
        writer.files["media/a.jpg"]["sha256"] = "0" * 64
        writer.finish(_valid_manifest(site))
    assert "«media/a.jpg» не совпадает с контрольной суммой" in _refused(path)


def test_restore_refuses_a_path_outside_its_folder(site: Path) -> None:
    path = _forged(site, _valid_manifest(site), {"../../escape.txt": b"x"})
    assert "недопустимый элемент «../../escape.txt»" in _refused(path)
    assert not (site.parent.parent / "escape.txt").exists()


def test_restore_refuses_a_newer_format(site: Path) -> None:
    path = site.parent / "future.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        data = json.dumps({"format": FORMAT, "format_version": 99}).encode()
        info = tarfile.TarInfo(HEADER)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    assert "более новой версией Отклика (формат 99" in _refused(path)


def test_restore_refuses_a_newer_schema_and_another_vendor(site: Path) -> None:
    manifest = _valid_manifest(site)
    manifest["database"] = dict(manifest["database"], migrations=["incidents.9999_from_the_future"])
    assert "неизвестны изменения базы incidents.9999_from_the_future" in _refused(_forged(site, manifest))
    other = "postgresql" if vendor() == "sqlite" else "sqlite"
    manifest["database"] = dict(manifest["database"], vendor=other)
    assert "указывает на" in _refused(_forged(site, manifest))


def test_restore_refuses_a_database_in_use_and_leaves_it_as_it_was(site: Path) -> None:
    from otklik.org.models import Municipality, Region

    path = _backup(site)
    region = Region.objects.create(name="Краснодарский край", slug="kk")
    Municipality.objects.create(region=region, name="Пластуновское СП", slug="plast")
    message = _refused(path)
    assert "не пустая (1 муниципальных образований)" in message and "создайте новую базу" in message
    assert Municipality.objects.filter(slug="plast").exists()


def test_restore_refuses_files_already_in_the_media_folder(site: Path) -> None:
    path = _backup(site)
    (site / "media" / "attachments" / "someone.jpg").write_bytes(b"x")
    assert "уже есть файлы (1, например attachments/someone.jpg)" in _refused(path)


def test_restore_refuses_other_keys_unless_told_they_are_lost(site: Path, settings: Any) -> None:
    path = _backup(site)
    settings.OTKLIK_HISTORY_KEY = "another-key"
    message = _refused(path)
    assert "Ключ подписи истории здесь не тот" in message and "--other-keys" in message
    settings.OTKLIK_HISTORY_KEY = "the-history-key"
    settings.OTKLIK_SECRETS_KEYS = [Fernet.generate_key().decode()]
    assert "Ключа шифрования доступов к страницам" in _refused(path)


def test_restore_refuses_anchors_that_vouch_for_more_than_the_backup(site: Path) -> None:
    anchors = site / "history-anchors.jsonl"
    anchors.write_text('{"incident": 1, "seq": 1, "hash": "aa", "municipality": 1}\n')
    path = _backup(site)
    anchors.write_text('{"incident": 7, "seq": 3, "hash": "bb", "municipality": 1}\n')
    assert "--replace-anchors" in _refused(path)
    assert anchors.read_text().startswith('{"incident": 7')  # untouched


def test_the_command_fails_in_russian_without_a_traceback(site: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"\x1f\x8b not really gzip")
    env = {**os.environ, "OTKLIK_VAR_DIR": str(tmp_path / "cli-var"), "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run([sys.executable, "-m", "otklik.core.cli", "restore", "--skip-checks", str(junk)],
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1
    assert "повреждена" in done.stderr and "Traceback" not in done.stderr


def test_a_missing_pg_dump_is_named_with_the_way_to_install_it(monkeypatch: pytest.MonkeyPatch,
                                                                tmp_path: Path) -> None:
    monkeypatch.setenv("OTKLIK_PG_BIN", str(tmp_path))
    with pytest.raises(BackupError, match=r"Не найдена программа pg_dump.*postgresql-client"):
        pg_tool("pg_dump")


def test_nightly_backup_is_claimed_once_a_night_after_the_hour(settings: Any) -> None:
    settings.OTKLIK_BACKUP_HOUR = 3
    assert "backup-nightly" in REGISTRY
    assert not backup_due_claim(now=datetime(2026, 12, 2, 2, 59, tzinfo=MSK))
    assert backup_due_claim(now=datetime(2026, 12, 2, 3, 0, tzinfo=MSK))
    assert not backup_due_claim(now=datetime(2026, 12, 2, 3, 5, tzinfo=MSK))
    assert not backup_due_claim(now=datetime(2026, 12, 2, 23, 0, tzinfo=MSK))
    assert backup_due_claim(now=datetime(2026, 12, 3, 3, 1, tzinfo=MSK))


def test_nightly_backups_keep_the_last_n_and_nothing_else_is_touched(site: Path, settings: Any) -> None:
    settings.OTKLIK_BACKUP_KEEP = 2
    folder = Path(settings.OTKLIK_BACKUP_DIR)
    folder.mkdir()
    (folder / "before-upgrade.tar.gz").write_bytes(b"manual copy")
    start = datetime(2026, 12, 1, 3, 0, tzinfo=MSK)
    for day in range(4):
        with time_machine.travel(start + timedelta(days=day), tick=False):
            result = backup_nightly()
        assert oct(result.path.stat().st_mode & 0o777) == "0o600"
    assert sorted(p.name for p in folder.iterdir()) == [
        "before-upgrade.tar.gz", "otklik-2026-12-03-030000.tar.gz", "otklik-2026-12-04-030000.tar.gz"]


def test_rotation_keeps_at_least_one(tmp_path: Path) -> None:
    for name in ("otklik-2026-12-01-030000.tar.gz", "otklik-2026-12-02-030000.tar.gz"):
        (tmp_path / name).write_bytes(b"x")
    removed = backups_rotate(directory=tmp_path, keep=0)
    assert [p.name for p in removed] == ["otklik-2026-12-01-030000.tar.gz"]


def test_the_worker_tick_enqueues_tonights_backup_once_and_the_task_makes_it(site: Path, settings: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    from otklik.backups.tasks import backup_nightly_run

    settings.OTKLIK_BACKUP_HOUR = 0  # whatever the hour now, the night's copy is due
    REGISTRY["backup-nightly"].run()
    REGISTRY["backup-nightly"].run()  # a second tick, or a second worker: no second copy
    assert DBTaskResult.objects.filter(task_path__endswith="backup_nightly_run").count() == 1
    made = Path(backup_nightly_run.call())
    assert made.parent == Path(settings.OTKLIK_BACKUP_DIR) and made.stat().st_size > 0
