from django.db import migrations, models
from django.utils import timezone


def carry_over_sessions(apps, schema_editor):
    """Move the unexpired sessions out of Django's own table, with the user
    each is signed in as, so the change of session engine signs no one out
    and leaves no session data behind in the old table."""
    # Signed with a salt named after the store class: Django's, like ours,
    # is called SessionStore, so the data reads the same in the new table.
    from django.contrib.sessions.backends.db import SessionStore

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
                user_id=user_id(decoder.decode(old.session_data)),
            )
            for old in sessions
        ),
        batch_size=1000,
    )
    Old.objects.all().delete()


def user_id(data):
    try:
        return int(data.get("_auth_user_id"))
    except (TypeError, ValueError):
        return None


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
