"""The API never answers 5xx: schemathesis against a live server on loopback.

Every operation of the OpenAPI document is generated from (valid and invalid data), the
stateful phase follows the links from a hand-in to the actions with real incident ids, and
every response is checked: no server error, a documented status, a documented body and
content type, authentication enforced, schema-valid data accepted (otklik/api/fuzz/hooks.py).

CI runs a fixed seed and a bounded number of examples; `make fuzz` runs it longer
(OTKLIK_FUZZ_API_EXAMPLES, OTKLIK_FUZZ_API_SEED).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from otklik.api.models import ApiKey
from otklik.incidents.demo import demo_incidents_load
from otklik.incidents.models import Incident
from otklik.org.demo import demo_load
from otklik.org.models import Municipality, Person, Unit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.fuzz]
EXAMPLES = int(os.environ.get("OTKLIK_FUZZ_API_EXAMPLES", "20"))
SEED = int(os.environ.get("OTKLIK_FUZZ_API_SEED", "20261201"))


def _keys() -> dict[str, str]:
    mun = Municipality.objects.get(slug="plastunovskoe")
    tokens = {"system": ApiKey.issue(municipality=mun, name="fuzz: система")[1]}
    for login in ("curator", "executor", "region"):
        tokens[login] = ApiKey.issue(municipality=mun, name=f"fuzz: {login}",
                                     person=Person.objects.get(user__username=login))[1]
    return tokens


def test_the_api_never_answers_5xx_and_keeps_its_contract(live_server: Any, tmp_path: Path, settings: Any) -> None:
    settings.OTKLIK_REQUIRE_2FA = False
    demo_load()
    demo_incidents_load()
    mun = Municipality.objects.get(slug="plastunovskoe")
    env = {**os.environ,
           "SCHEMATHESIS_HOOKS": "otklik.api.fuzz.hooks",
           "OTKLIK_FUZZ_KEYS": json.dumps(_keys()),
           "OTKLIK_FUZZ_UNITS": json.dumps(list(Unit.objects.filter(municipality=mun, name__in=[
               "Отдел ЖКХ и благоустройства", "МБУ «Благоустройство»"]).values_list("pk", flat=True))),
           "OTKLIK_FUZZ_PEOPLE": json.dumps([Person.objects.get(user__username=x).pk for x in ("executor", "mbu")]),
           "OTKLIK_FUZZ_INCIDENTS": json.dumps(list(Incident.objects.values_list("pk", flat=True)))}
    report = tmp_path / "report.json"
    command = [str(Path(sys.executable).parent / "schemathesis"), "run", f"{live_server.url}/api/v1/openapi.json",
               "--seed", str(SEED), "--max-examples", str(EXAMPLES), "--workers", "1",
               "--phases", "examples,coverage,fuzzing,stateful", "--checks", "all",
               "--exclude-checks", "positive_data_acceptance", "--suppress-health-check", "all",
               "--report", "json", "--report-json-path", str(report), "--request-timeout", "30"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stdout[-8000:] + done.stderr[-2000:]
    generated = re.search(r"(\d+) generated", done.stdout)
    assert generated is not None and int(generated.group(1)) >= 18 * min(EXAMPLES, 10)
    sys.stdout.write(f"schemathesis: {generated.group(0)} test cases, seed {SEED}, 0 failures\n")
