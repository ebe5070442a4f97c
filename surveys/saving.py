"""Save answers to a response, refusing stale saves and closed rounds.

Every save names the version of the response it was made from. The save
raises the version only if it is still the same (an UPDATE ... WHERE
version = N), so a second tab cannot silently overwrite the first; the
change itself runs in the same transaction and is undone if it fails.
"""

import logging
from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from surveys.models import Aspiration, Nomination, Practice, Response, Round
from surveys.partner_search import candidates_for, fold
from surveys.practices import PRACTICES_BY_KEY

logger = logging.getLogger(__name__)


class AnswerError(Exception):
    """An answer that cannot be stored; the message is shown to the person."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleVersion(AnswerError):
    def __init__(self):
        super().__init__(
            _(
                "These answers were changed elsewhere, perhaps in another tab "
                "or on another device. Reload the page to see the latest "
                "answers; nothing was overwritten."
            )
        )


class RoundClosed(AnswerError):
    def __init__(self):
        super().__init__(
            _("This survey round is closed, so answers can no longer change.")
        )


def parse_version(raw):
    """Return the posted version as an int, or raise AnswerError."""
    try:
        version = int(raw)
    except (TypeError, ValueError):
        version = 0
    if version < 1:
        raise AnswerError(
            _("The form was sent without a valid version. Reload the page."),
            field="version",
        )
    return version


@contextmanager
def answering(response, version):
    """Run a change to the response if `version` is still its current version.

    Raise StaleVersion or RoundClosed and change nothing otherwise; on
    success `response.version` holds the new version.
    """
    with transaction.atomic():
        bumped = Response.objects.filter(
            pk=response.pk, version=version, round__status=Round.Status.OPEN
        ).update(version=F("version") + 1, updated_at=timezone.now())
        if not bumped:
            status = Round.objects.filter(pk=response.round_id).values_list(
                "status", flat=True
            )
            if status.first() != Round.Status.OPEN:
                raise RoundClosed()
            raise StaleVersion()
        yield
    response.version = version + 1
    logger.info("response %s saved at version %s", response.pk, response.version)


def _candidate(response, organization_id):
    try:
        organization_id = int(organization_id)
    except (TypeError, ValueError):
        organization_id = None
    if organization_id == response.organization_id:
        raise AnswerError(
            _("You cannot name your own organization."), field="organization"
        )
    organization = candidates_for(response).filter(pk=organization_id).first()
    if organization is None:
        raise AnswerError(
            _("That organization is not on this round's list."), field="organization"
        )
    return organization


def add_partner(response, organization_id):
    """Name a roster organization as a partner; return the nomination."""
    organization = _candidate(response, organization_id)
    if response.nominations.filter(partner=organization).exists():
        raise AnswerError(
            _("%(name)s is already in your list of partners.")
            % {"name": organization.name},
            field="organization",
        )
    return Nomination.objects.create(response=response, partner=organization)


def add_write_in(response, name):
    """Name an organization that is not on the roster; return the nomination."""
    own_names = {fold(n) for n in response.organization.known_names()}
    if fold(name) in own_names:
        raise AnswerError(_("You cannot name your own organization."), field="name")
    nomination = Nomination(response=response, write_in_name=" ".join(name.split()))
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError:
        raise AnswerError(
            _("%(name)s is already in your list of partners.") % {"name": name},
            field="name",
        ) from None
    return nomination


def remove_partner(response, nomination_id):
    deleted, _count = response.nominations.filter(pk=_int(nomination_id)).delete()
    if not deleted:
        raise AnswerError(_("That partner is no longer in your list."))


def add_aspiration(response, organization_id):
    """Record an organization the respondent would like to work with."""
    organization = _candidate(response, organization_id)
    if response.aspirations.filter(organization=organization).exists():
        raise AnswerError(
            _("%(name)s is already in this list.") % {"name": organization.name},
            field="organization",
        )
    if response.nominations.filter(partner=organization).exists():
        raise AnswerError(
            _(
                "%(name)s is already one of your partners. To work more "
                "closely with them, tick “we would like to deepen this” in "
                "step 3."
            )
            % {"name": organization.name},
            field="organization",
        )
    return Aspiration.objects.create(response=response, organization=organization)


def remove_aspiration(response, aspiration_id):
    deleted, _count = response.aspirations.filter(pk=_int(aspiration_id)).delete()
    if not deleted:
        raise AnswerError(_("That organization is no longer in this list."))


def save_practices(response, cleaned):
    """Store the checked practices and the story as Practice rows."""
    consent = cleaned["consent"]
    chosen = set(cleaned["practices"])
    response.practices.exclude(suggestion="").exclude(suggestion__in=chosen).delete()
    existing = set(response.practices.values_list("suggestion", flat=True))
    # The stored text stays in English, whatever language the page was in.
    with translation.override("en"):
        Practice.objects.bulk_create(
            Practice(
                response=response,
                stage=PRACTICES_BY_KEY[key].stage,
                suggestion=key,
                text=str(PRACTICES_BY_KEY[key].label),
                consent=consent,
            )
            for key in sorted(chosen - existing)
        )
    response.practices.update(consent=consent)

    story = cleaned["story"].strip()
    stories = response.practices.filter(suggestion="")
    if not story:
        stories.delete()
    elif not stories.update(text=story, stage=cleaned["story_stage"]):
        Practice.objects.create(
            response=response,
            stage=cleaned["story_stage"],
            text=story,
            consent=consent,
        )


def _int(raw):
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def previous_response(response):
    """Return the organization's submitted response in the latest earlier round."""
    earlier = Response.objects.filter(
        organization_id=response.organization_id, status=Response.Status.SUBMITTED
    ).exclude(round_id=response.round_id)
    if response.round.opens_at:
        earlier = earlier.filter(round__opens_at__lt=response.round.opens_at)
    else:
        earlier = earlier.filter(round__created_at__lt=response.round.created_at)
    return earlier.order_by("-round__opens_at", "-round__created_at").first()


def last_round_partners(response):
    """Return roster organizations named last round and not named yet."""
    previous = previous_response(response)
    if previous is None:
        return []
    named_before = previous.nominations.filter(partner__isnull=False).values(
        "partner_id"
    )
    return list(
        candidates_for(response)
        .filter(pk__in=named_before)
        .exclude(pk__in=response.nominations.values("partner_id"))
        .order_by("name")
    )


def start_response(response):
    """Note the first opening and prefill the organization's description.

    The description comes from the last round's response when there is
    one, otherwise from the organization record. It runs once, so a
    respondent who clears a prefilled answer keeps it cleared.
    """
    with transaction.atomic():
        claimed = Response.objects.filter(
            pk=response.pk, started_at__isnull=True
        ).update(started_at=timezone.now())
        if not claimed:
            return False
        source = previous_response(response) or response.organization
        Response.objects.filter(pk=response.pk).update(
            sector_id=source.sector_id,
            service_area=source.service_area,
            size_band=source.size_band,
        )
        response.services.set(source.services.all())
    response.refresh_from_db()
    logger.info("response %s started and prefilled", response.pk)
    return True
