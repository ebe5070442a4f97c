"""Only practices published with standing consent reach participants."""

import pytest
from django.urls import reverse

from guide import services
from guide.models import Submission
from surveys.models import Practice
from tests.guide.setup import draft_entry, published_entry, shared_practice

SECRET = "Zanzibar-quokka practice"


def participant_pages(client, entry=None):
    """Return the text of every page a participant could find a practice on."""
    urls = [
        reverse("guide:home"),
        reverse("guide:search") + "?q=Zanzibar",
        reverse("guide:search"),
        reverse("guide:print"),
        reverse("guide:stage", args=["planning-and-governance"]),
        reverse("guide:print_stage", args=["planning-and-governance"]),
    ]
    text = ""
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text += response.content.decode()
    return text


@pytest.fixture
def practice(organization):
    return shared_practice(organization, text=f"{SECRET}: we ask residents first.")


def test_published_practice_appears_in_every_participant_page(member_client, practice):
    entry = published_entry(practice, title=SECRET)

    text = participant_pages(member_client)

    assert text.count(SECRET) >= 6
    assert member_client.get(entry.get_absolute_url()).status_code == 200


def test_practice_waiting_for_review_never_appears(member_client, practice):
    services.sync_submissions()

    assert SECRET not in participant_pages(member_client)


def test_declined_practice_never_appears(member_client, practice, staff):
    services.sync_submissions()
    submission = Submission.objects.get(practice=practice)
    services.decline_submission(submission, "Too close to another entry.", staff)

    assert SECRET not in participant_pages(member_client)


def test_private_practice_is_never_queued_nor_shown(member_client, organization):
    shared_practice(organization, text=SECRET, consent=Practice.Consent.PRIVATE)

    services.sync_submissions()

    assert not Submission.objects.exists()
    assert SECRET not in participant_pages(member_client)


def test_practice_of_a_draft_response_is_not_queued(organization):
    practice = shared_practice(organization, text=SECRET)
    practice.response.status = "draft"
    practice.response.submitted_at = None
    practice.response.save()

    services.sync_submissions()

    assert not Submission.objects.exists()


def test_withdrawn_consent_removes_the_entry_everywhere(
    member_client, outsider_client, practice
):
    entry = published_entry(practice, title=SECRET)
    practice.consent = Practice.Consent.PRIVATE
    practice.save()

    assert SECRET not in participant_pages(member_client)
    assert SECRET not in participant_pages(outsider_client)
    assert member_client.get(entry.get_absolute_url()).status_code == 404


def test_deleted_practice_removes_the_entry(member_client, practice):
    entry = published_entry(practice, title=SECRET)
    practice.delete()

    assert SECRET not in participant_pages(member_client)
    assert member_client.get(entry.get_absolute_url()).status_code == 404


def test_merged_entry_stays_while_one_source_still_consents(
    member_client, practice, other_organization, staff
):
    entry = published_entry(practice, title=SECRET)
    other = shared_practice(other_organization, text="Same idea, other words.")
    services.sync_submissions()
    services.merge_submission(Submission.objects.get(practice=other), entry, staff)

    practice.consent = Practice.Consent.PRIVATE
    practice.save()

    assert SECRET in participant_pages(member_client)
    page = member_client.get(entry.get_absolute_url()).content.decode()
    assert other_organization.name in page
    assert practice.response.organization.name not in page


def test_unnamed_consent_hides_the_organization_name(member_client, other_organization):
    practice = shared_practice(
        other_organization, text=SECRET, consent=Practice.Consent.UNNAMED
    )
    entry = published_entry(practice, title=SECRET)

    page = member_client.get(entry.get_absolute_url()).content.decode()

    assert other_organization.name not in page
    assert "1 organization that asked not to be named" in page


def test_unpublished_entry_is_for_staff_only(member_client, staff_client):
    entry = draft_entry(title=SECRET)

    assert member_client.get(entry.get_absolute_url()).status_code == 404
    assert SECRET not in participant_pages(member_client)
    assert staff_client.get(entry.get_absolute_url()).status_code == 200


def test_withdrawn_entry_cannot_be_marked(member_client, practice, organization):
    entry = published_entry(practice, title=SECRET)
    practice.consent = Practice.Consent.PRIVATE
    practice.save()

    response = member_client.post(
        reverse("guide:mark", args=[entry.pk]),
        {"organization": organization.pk, "kind": "use"},
    )

    assert response.status_code == 404
