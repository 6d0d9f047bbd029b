import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Each web process loads its views and text engines before its first request (core/warmup.py).
from otklik.core.warmup import warm_up  # noqa: E402  (needs the configured application)

warm_up()
