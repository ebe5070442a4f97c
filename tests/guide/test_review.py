"""Staff review: publish with edits, merge duplicates, tag, decline with a note."""

import pytest
from django.urls import reverse

from guide import services
from guide.models import Entry, Submission, Topic
from surveys.models import Practice
from tests.guide.setup import published_entry, shared_practice


@pytest.fixture
def submission(organization):
    shared_practice(organization, text="we ask  residents, first, what to ask")
    services.sync_submissions()
    return Submission.objects.get()


def review(client, submission, action, **fields):
    data = {"action": action}
    data.update({f"{action}-{name}": value for name, value in fields.items()})
    return client.post(reverse("guide:review_submission", args=[submission.pk]), data)


def test_staff_see_the_waiting_practice_in_the_queue(staff_client, organization):
    shared_practice(organization, text="Residents choose the questions.")

    response = staff_client.get(reverse("guide:review_queue"))

    assert response.status_code == 200
    assert "Residents choose the questions." in response.content.decode()
    assert organization.name in response.content.decode()


@pytest.mark.parametrize("persona", ["member_client", "outsider_client"])
def test_participants_cannot_open_the_review_pages(request, persona, submission):
    client = request.getfixturevalue(persona)

    assert client.get(reverse("guide:review_queue")).status_code == 403
    assert review(client, submission, "decline", note="no").status_code == 403
    assert Submission.objects.get().state == Submission.State.PENDING


def test_anonymous_visitor_is_sent_to_sign_in_for_review(anonymous_client):
    response = anonymous_client.get(reverse("guide:review_queue"))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_publishing_edits_the_entry_and_keeps_the_original(staff_client, submission):
    stage = services.stage_for_practice(submission.practice)
    topic = Topic.objects.get(slug="community-voice")

    response = review(
        staff_client,
        submission,
        "publish",
        title="Ask residents first",
        text="We ask residents, first, which questions matter.",
        stage=stage.pk,
        collaboration_level="coordination",
        topics=[topic.pk],
    )

    assert response.status_code == 302
    entry = Entry.objects.get()
    assert entry.is_published and entry.published_at
    assert entry.text == "We ask residents, first, which questions matter."
    assert entry.collaboration_level == "coordination"
    assert list(entry.topics.all()) == [topic]
    submission.refresh_from_db()
    assert submission.state == Submission.State.PUBLISHED
    assert submission.entry == entry
    assert submission.practice.text == "we ask  residents, first, what to ask"


def test_publishing_without_a_title_changes_nothing(staff_client, submission):
    stage = services.stage_for_practice(submission.practice)

    response = review(
        staff_client, submission, "publish", title="", text="x", stage=stage.pk
    )

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Entry.objects.exists()


def test_merging_counts_a_duplicate_under_an_existing_entry(
    staff_client, submission, other_organization
):
    entry = published_entry(shared_practice(other_organization), title="Ask first")

    response = review(staff_client, submission, "merge", entry=entry.pk)

    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == Submission.State.MERGED
    assert submission.entry == entry
    assert Entry.objects.count() == 1


def test_declining_needs_a_note_and_the_organization_reads_it(
    staff_client, member_client, submission
):
    assert review(staff_client, submission, "decline", note="").status_code == 200
    assert Submission.objects.get().state == Submission.State.PENDING

    review(staff_client, submission, "decline", note="Too close to an entry.")

    assert Submission.objects.get().state == Submission.State.DECLINED
    page = member_client.get(reverse("guide:our_practices")).content.decode()
    assert "Too close to an entry." in page


def test_practice_made_private_leaves_the_queue(staff_client, submission):
    Practice.objects.update(consent=Practice.Consent.PRIVATE)

    page = staff_client.get(reverse("guide:review_queue")).content.decode()
    response = staff_client.get(
        reverse("guide:review_submission", args=[submission.pk])
    )

    assert "what to ask" not in page
    assert response.status_code == 302


def test_staff_unpublish_and_republish_an_entry(staff_client, organization):
    entry = published_entry(shared_practice(organization))
    url = reverse("guide:edit_entry", args=[entry.pk])
    fields = {"title": "Clearer", "text": "Clearer text.", "stage": entry.stage_id}

    staff_client.post(url, {**fields, "action": "unpublish"})
    entry.refresh_from_db()
    assert not entry.is_published
    assert not Entry.objects.for_participants().exists()

    staff_client.post(url, {**fields, "action": "publish"})
    entry.refresh_from_db()
    assert entry.is_published and entry.title == "Clearer"


def test_staff_edit_a_stage_and_its_questions(staff_client, member_client):
    url = reverse("guide:edit_stage", args=["collection"])

    staff_client.post(
        url,
        {
            "title": "Collection",
            "summary": "Ask well.",
            "introduction": "Ask *only* what you need.",
            "questions": "Who is counted?\nWho is left out?",
        },
    )

    page = member_client.get(reverse("guide:stage", args=["collection"])).content
    assert b"<em>only</em>" in page
    assert b"Who is left out?" in page
    assert member_client.post(url, {"title": "Mine"}).status_code == 403


def test_deleting_an_entry_returns_its_practices_to_the_queue(
    staff_client, organization
):
    entry = published_entry(shared_practice(organization, text="Ask residents."))

    entry.delete()

    page = staff_client.get(reverse("guide:review_queue")).content.decode()
    assert Submission.objects.get().state == Submission.State.PENDING
    assert "Ask residents." in page
