"""Build small rounds with submitted responses for the network tests."""

from django.db import transaction
from django.utils import timezone

from network.services import mark_round_dirty
from surveys.models import Nomination, Response
from tests.factories import OrganizationFactory, RosterEntryFactory, RoundFactory


def submit(round, organization, partners=(), write_ins=(), **attributes):
    """Submit the organization's response naming partners, as a survey would."""
    with transaction.atomic():
        response, _ = Response.objects.update_or_create(
            round=round,
            organization=organization,
            defaults={
                "status": Response.Status.SUBMITTED,
                "submitted_at": timezone.now(),
            },
        )
        for partner in partners:
            Nomination.objects.create(response=response, partner=partner, **attributes)
        for name in write_ins:
            Nomination.objects.create(response=response, write_in_name=name)
        mark_round_dirty(round)
    return response


def roster_round(size, **round_fields):
    """Return a round and its roster of `size` new organizations."""
    round = RoundFactory(**round_fields)
    organizations = [
        OrganizationFactory(name=f"{round.name} organization {i}") for i in range(size)
    ]
    for organization in organizations:
        RosterEntryFactory(round=round, organization=organization)
    return round, organizations
