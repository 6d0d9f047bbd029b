"""A read replica for the reports (`DATABASE_REPLICA_URL`): the monthly and regional reports
read there, everything else and every write stays on the primary."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from otklik.core.replica import REPLICA, ReplicaRouter, replica_reads
from otklik.incidents.models import Incident


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_router_reads_the_replica_only_inside_replica_reads_and_only_when_configured() -> None:
    router = ReplicaRouter()
    with override_settings(DATABASES={"default": {}, REPLICA: {}}):
        assert router.db_for_read(Incident) is None
        with replica_reads():
            assert router.db_for_read(Incident) == REPLICA
            assert router.db_for_write(Incident) == "default"  # a write never goes to the replica
        assert router.db_for_read(Incident) is None
        assert router.allow_migrate(REPLICA, "incidents") is False
        assert router.allow_migrate("default", "incidents") is True
    with override_settings(DATABASES={"default": {}}), replica_reads():
        assert router.db_for_read(Incident) is None  # no replica configured: the primary


def _otklik(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "otklik.core.cli", *args], env=env, capture_output=True,
                          text=True, timeout=300)


def _snapshot(source: Path, target: Path) -> None:
    """What a replica holds: the primary as it was at this moment (SQLite's online backup)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="runs its own SQLite instances; once is enough")
def test_the_region_report_reads_the_replica_and_the_rest_the_primary(tmp_path: Path) -> None:
    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATABASE_REPLICA_URL",
                                                             "DJANGO_SETTINGS_MODULE"}}
    env.update({"DATABASE_URL": f"sqlite:///{primary}", "OTKLIK_VAR_DIR": str(tmp_path)})
    assert _otklik(env, "migrate", "-v0").returncode == 0
    assert _otklik(env, "demo", "generate", "--region", "old", "--municipalities", "1", "--incidents", "20").returncode == 0
    _snapshot(primary, replica)  # the replica lags: it has not seen what comes next
    made = _otklik(env, "demo", "generate", "--region", "new", "--municipalities", "2", "--incidents", "20")
    assert made.returncode == 0, made.stderr
    month = _otklik(env, "shell", "-v", "0", "-c", "from django.utils import timezone; print(timezone.localdate().strftime('%Y-%m'))")
    month_text = month.stdout.strip()

    def region_html(extra: dict[str, str], region: str) -> str:
        out = tmp_path / f"{region}-{len(extra)}.html"
        done = _otklik({**env, **extra}, "report", "monthly", "--region", region, "--month", month_text,
                       "--format", "html", "-o", str(out))
        assert done.returncode == 0, done.stderr
        return out.read_text(encoding="utf-8")

    names = _otklik(env, "shell", "-v", "0", "-c", "from otklik.org.models import Municipality as M; "
                    "print('\\n'.join(M.objects.filter(region__slug='new').values_list('name', flat=True)))")
    new_names = names.stdout.split("\n")[:2]
    assert all(new_names)
    # Without a replica the report reads the primary and lists the new region's municipalities.
    direct = region_html({}, "new")
    assert all(n in direct for n in new_names)
    # With one, the region itself is found on the primary (the command's lookup), but the
    # report's rows come from the replica, which has not seen those municipalities yet.
    lagging = region_html({"DATABASE_REPLICA_URL": f"sqlite:///{replica}"}, "new")
    assert not any(n in lagging for n in new_names)
    # What the replica has seen, it reports the same as the primary.
    assert region_html({"DATABASE_REPLICA_URL": f"sqlite:///{replica}"}, "old") == region_html({}, "old")
