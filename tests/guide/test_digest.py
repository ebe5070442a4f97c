"""Round digests: generated for closed rounds, read by participants, e-mailed."""

import pytest
from django.core import mail
from django.urls import reverse

from guide.digests import generate_digest
from guide.models import Digest, Reflection, Reply
from surveys.models import Practice, Round, SentEmail
from tests.factories import MembershipFactory, RoundFactory
from tests.guide.setup import published_entry, shared_practice


@pytest.fixture
def closed_round(db):
    return RoundFactory(name="2025", slug="2025", status=Round.Status.CLOSED)


@pytest.fixture
def practice(organization):
    return shared_practice(organization, text="Residents choose the questions.")


def test_staff_generate_the_digest_of_a_closed_round(
    staff_client, member_client, closed_round, practice, member, organization
):
    entry = published_entry(practice, title="Residents choose the questions")
    talked = Reflection.objects.create(
        author=member, organization=organization, title="Talked about", body="x"
    )
    Reply.objects.create(reflection=talked, author=member, body="Yes.")

    response = staff_client.post(reverse("guide:generate_digest", args=["2025"]))

    assert response["Location"] == reverse("guide:digest", args=["2025"])
    digest = Digest.objects.get()
    assert digest.entry_ids == [entry.pk]
    page = member_client.get(reverse("guide:digest", args=["2025"])).content.decode()
    assert "Residents choose the questions" in page
    assert "Talked about" in page
    assert "not built yet" in page


def test_open_round_has_no_digest(staff_client, db):
    RoundFactory(slug="2026", status=Round.Status.OPEN)

    staff_client.post(reverse("guide:generate_digest", args=["2026"]))

    assert not Digest.objects.exists()


def test_members_cannot_generate_or_send(member_client, closed_round, staff):
    generate_digest(closed_round, staff)

    assert (
        member_client.post(reverse("guide:generate_digest", args=["2025"])).status_code
        == 403
    )
    assert (
        member_client.post(reverse("guide:send_digest", args=["2025"])).status_code
        == 403
    )
    assert not mail.outbox


def test_withdrawn_practice_leaves_the_digest(member_client, closed_round, practice):
    published_entry(practice, title="Residents choose the questions")
    generate_digest(closed_round, None)
    Practice.objects.update(consent=Practice.Consent.PRIVATE)

    page = member_client.get(reverse("guide:digest", args=["2025"])).content.decode()

    assert "Residents choose the questions" not in page


def test_digest_is_emailed_to_every_contact_and_logged(
    django_capture_on_commit_callbacks,
    staff_client,
    closed_round,
    practice,
    staff,
    member,
):
    published_entry(practice, title="Residents choose the questions")
    generate_digest(closed_round, staff)
    MembershipFactory(user__email="contact@riverbend.example")
    MembershipFactory(user__email="member@riverbend.example", role="member")

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("guide:send_digest", args=["2025"]))

    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["contact@riverbend.example", "member@northside.example"]
    assert "Residents choose the questions" in mail.outbox[0].body
    assert "/exchange/digests/2025/" in mail.outbox[0].body
    logged = SentEmail.objects.filter(kind=SentEmail.Kind.OTHER, round=closed_round)
    assert logged.count() == 2
    assert Digest.objects.get().sent_count == 2


def test_unknown_digest_is_not_found(member_client, db):
    assert member_client.get(reverse("guide:digest", args=["1999"])).status_code == 404
