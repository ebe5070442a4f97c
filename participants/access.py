"""Decide which organization and round a participant's page is about."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from network.models import NetworkSnapshot
from organizations.models import Organization
from participants.visibility import Viewer
from surveys.models import Round


def own_organization(request, organization_id):
    """Return the organization if the user is its member or staff; else 404.

    A guessed id of someone else's organization looks exactly like one that
    does not exist.
    """
    viewer = Viewer.of(request.user)
    if not (viewer.is_staff or organization_id in viewer.organization_ids):
        raise Http404
    return get_object_or_404(Organization, pk=organization_id)


def rounds_of(organization):
    """Return the rounds the organization took part in, newest first."""
    return (
        Round.objects.filter(
            Q(roster_entries__organization=organization)
            | Q(responses__organization=organization)
        )
        .exclude(status=Round.Status.DRAFT)
        .distinct()
        .order_by("-opens_at", "-created_at")
    )


def chosen_round(request, organization):
    """Return the round asked for, else the newest one with a network map."""
    rounds = rounds_of(organization)
    slug = request.GET.get("round")
    if slug:
        return get_object_or_404(rounds, slug=slug)
    mapped = rounds.filter(snapshots__status=NetworkSnapshot.Status.READY)
    return mapped.first() or rounds.first()


def explorable_round(request, slug):
    """Return the round if the user is staff or a participant of it; else 404."""
    round = get_object_or_404(
        Round.objects.exclude(status=Round.Status.DRAFT), slug=slug
    )
    viewer = Viewer.of(request.user)
    if viewer.is_staff:
        return round
    takes_part = Round.objects.filter(pk=round.pk).filter(
        Q(roster_entries__organization__in=viewer.organization_ids)
        | Q(responses__organization__in=viewer.organization_ids)
    )
    if not takes_part.exists():
        raise Http404
    return round
