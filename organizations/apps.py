from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organizations and people")

    def ready(self):
        # Connects the receivers that end a deactivated user's sessions.
        from organizations import sessions  # noqa: F401
