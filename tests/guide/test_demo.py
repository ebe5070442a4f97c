"""The demo: published entries in every stage, reflections, a digest."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from guide.models import Digest, Entry, Event, Reflection, Stage, Submission
from surveys.demo import STAFF_EMAIL
from surveys.models import Practice
from tests.factories import UserFactory


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Load the demo once for this module and roll it back afterwards."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        override_settings(PASSWORD_HASHERS=hashers),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=io.StringIO())
        try:
            yield
        finally:
            transaction.set_rollback(True)


@pytest.fixture
def demo(loaded, db):
    return None


def test_every_stage_has_published_entries_drawn_from_demo_answers(demo):
    for stage in Stage.objects.all():
        assert Entry.objects.for_participants().filter(stage=stage).count() >= 3


def test_demo_entries_have_consent_and_some_practices_wait_for_review(demo):
    published = Submission.objects.exclude(state="pending").exclude(state="declined")

    assert not published.filter(practice__consent=Practice.Consent.PRIVATE).exists()
    assert Submission.objects.filter(state="pending").exists()
    assert Submission.objects.filter(state="declined").exclude(note="").exists()
    assert Submission.objects.filter(state="merged").exists()


def test_demo_exchange_has_reflections_replies_and_events(demo):
    assert Reflection.objects.count() >= 5
    assert Reflection.objects.filter(replies__isnull=False).exists()
    assert Reflection.objects.filter(is_pinned=True).exists()
    assert Event.objects.count() >= 3


def test_closed_rounds_digest_renders(demo, client):
    client.force_login(UserFactory(email=STAFF_EMAIL))
    digest = Digest.objects.get(round__slug="2025")

    page = client.get(reverse("guide:digest", args=["2025"])).content.decode()

    assert "What round 2025 changed" in page
    assert len(digest.entry_ids) >= 10
    assert Entry.objects.get(pk=digest.entry_ids[0]).title in page
