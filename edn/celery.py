import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edn.settings")

# edn is not an installed app, so its tasks are named here.
app = Celery("edn", include=["edn.tasks"])
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
