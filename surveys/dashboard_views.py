"""Members' list of their organizations' surveys in open rounds."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from surveys.models import Response, RosterEntry, Round


@login_required
@require_GET
def my_surveys(request):
    """List the responses the signed-in person may answer in open rounds."""
    organization_ids = list(
        request.user.memberships.values_list("organization_id", flat=True)
    )

    # A roster entry without a response yet gets one, so every line links
    # to a survey that can be opened.
    entries = RosterEntry.objects.filter(
        organization_id__in=organization_ids, round__status=Round.Status.OPEN
    ).values_list("round_id", "organization_id")
    for round_id, organization_id in entries:
        Response.objects.get_or_create(
            round_id=round_id, organization_id=organization_id
        )
    responses = (
        Response.objects.filter(
            organization_id__in=organization_ids, round__status=Round.Status.OPEN
        )
        .select_related("round", "organization")
        .order_by("round__closes_at", "organization__name")
    )

    return render(request, "surveys/survey/my_surveys.html", {"responses": responses})
