from django.db import migrations, models
from django.utils import timezone


def carry_over_sessions(apps, schema_editor):
    """Copy the unexpired sessions of Django's own table, so no one is signed
    out by the change of session engine."""
    # Signed with a salt named after the store class: Django's, like ours,
    # is called SessionStore, so the data reads the same in the new table.
    from django.contrib.sessions.backends.db import SessionStore

    from organizations.session_store import signed_in_user

    Old = apps.get_model("sessions", "Session")
    New = apps.get_model("organizations", "Session")
    decoder = SessionStore()
    sessions = Old.objects.filter(expire_date__gt=timezone.now()).iterator()
    New.objects.bulk_create(
        (
            New(
                session_key=old.session_key,
                session_data=old.session_data,
                expire_date=old.expire_date,
                user_id=signed_in_user(decoder.decode(old.session_data)),
            )
            for old in sessions
        ),
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0002_seed_sectors_services"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Session",
            fields=[
                (
                    "session_key",
                    models.CharField(
                        max_length=40,
                        primary_key=True,
                        serialize=False,
                        verbose_name="session key",
                    ),
                ),
                ("session_data", models.TextField(verbose_name="session data")),
                (
                    "expire_date",
                    models.DateTimeField(db_index=True, verbose_name="expire date"),
                ),
                (
                    "user_id",
                    models.BigIntegerField(db_index=True, editable=False, null=True),
                ),
            ],
            options={
                "verbose_name": "session",
                "verbose_name_plural": "sessions",
                "abstract": False,
            },
        ),
        migrations.RunPython(carry_over_sessions, migrations.RunPython.noop),
    ]
