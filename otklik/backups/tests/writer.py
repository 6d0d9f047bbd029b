"""A writer for the backup-under-load test: attaches photos to incidents through the service.

Run as `python -m otklik.backups.tests.writer STOP_FILE` under the installation's environment;
it writes until STOP_FILE exists, then prints how many photos it stored. A process of its own,
so its writes race the web server's and the worker's, as a second web process would.
"""

from __future__ import annotations

import io
import os
import random
import sys
import time
from pathlib import Path


def _photo(rng: random.Random) -> bytes:
    from PIL import Image

    image = Image.new("RGB", (64, 48), (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    out = io.BytesIO()
    image.save(out, format="JPEG")
    return out.getvalue()


def main(stop_file: Path) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from otklik.incidents.attachments import attachments_store
    from otklik.incidents.models import Incident
    from otklik.org.models import Person

    rng = random.Random(18)  # test data, not a secret
    person = Person.objects.get(user__username="executor")
    stored = 0
    while not stop_file.exists():
        ids = list(Incident.objects.values_list("pk", flat=True))
        with transaction.atomic():
            incident = Incident.objects.select_for_update().get(pk=rng.choice(ids))
            upload = SimpleUploadedFile(f"фото-{stored}.jpg", _photo(rng), content_type="image/jpeg")
            attachments_store(incident=incident, draft=None, files=[upload], by=person)
        stored += 1
        time.sleep(0.02)
    sys.stdout.write(f"{stored}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
