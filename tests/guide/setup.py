"""Build practices, entries and ties for the guide's tests."""

from django.utils import timezone

from guide import services
from guide.models import Entry, Stage, Submission
from surveys.models import Practice, Response
from tests.factories import PracticeFactory, ResponseFactory


def submitted_response(organization, round_=None, **fields):
    extra = {"round": round_} if round_ is not None else {}
    return ResponseFactory(
        organization=organization,
        status=Response.Status.SUBMITTED,
        submitted_at=timezone.now(),
        **extra,
        **fields,
    )


def shared_practice(organization, text="We ask residents first.", **fields):
    """Return a practice from a submitted response, offered for publication."""
    fields.setdefault("consent", Practice.Consent.NAMED)
    return PracticeFactory(
        response=submitted_response(organization), text=text, **fields
    )


def published_entry(practice, title="Ask residents first", text=None, by=None):
    """Publish a practice as an entry, as staff would on the review page."""
    services.sync_submissions()
    submission = Submission.objects.get(practice=practice)
    return services.publish_submission(
        submission,
        title=title,
        text=text or practice.text,
        stage=Stage.for_survey_stage(practice.stage),
        level="",
        topics=[],
        by=by,
    )


def draft_entry(title="A draft entry", text="Not ready yet."):
    return Entry.objects.create(stage=Stage.objects.first(), title=title, text=text)
