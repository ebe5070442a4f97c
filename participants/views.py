"""My organization: the ego map, its place, suggestions and the team report."""

import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from participants import drawing, shared_map
from participants.access import chosen_round, own_organization, rounds_of
from participants.ego import change_since, ego_network, standing, suggestions
from participants.report_pdf import report_pdf
from participants.visibility import Viewer

logger = logging.getLogger(__name__)


@login_required
def my_home(request):
    """Open the member's organization, or let them choose among several."""
    memberships = request.user.memberships.select_related("organization")
    if len(memberships) == 1:
        return redirect("participants:my_organization", memberships[0].organization_id)

    return render(request, "participants/my_home.html", {"memberships": memberships})


def distance_asked(request):
    return 2 if request.GET.get("distance") == "2" else 1


def organization_context(request, organization_id, distance=1):
    """Gather what a member may see of their organization in one round."""
    organization = own_organization(request, organization_id)
    round = chosen_round(request, organization)
    context = {
        "organization": organization,
        "round": round,
        "rounds": rounds_of(organization),
        "distance": distance,
    }
    if round is None:
        return context

    viewer = Viewer.of(request.user)
    ego, place = standing(organization.pk, round, viewer)
    if distance == 2:
        ego = ego_network(organization.pk, round, viewer, distance=2)
    context.update(
        ego=ego,
        place=place,
        change=change_since(organization.pk, round, viewer, place, ego),
        suggestions=suggestions(organization.pk, round, viewer, ego),
        partners_by_level=ego.partners_by_level(),
        svg=drawing.ego_svg(ego),
        sector_legend=drawing.legend(ego.nodes),
        level_legend=drawing.level_legend(),
    )
    return context


EGO_CONTROLS = ("colour", "layer", "confirmed", "search", "export", "table")


def ego_mount(organization, round, distance):
    """Return the context mounting the explorer on the organization's ego map."""
    url = reverse("participants:ego_map_json", args=[organization.pk])
    query = urlencode({"round": round.slug, "distance": distance})
    return shared_map.explorer_mount(
        f"{url}?{query}",
        controls=EGO_CONTROLS,
        focus=str(organization.pk),
        egoDistance=distance,
        moveToFocus=False,
    )


@login_required
def my_organization(request, organization_id):
    """Show the organization's ego map, partners, place and suggestions."""
    distance = distance_asked(request)
    context = organization_context(request, organization_id, distance)
    if context["round"] is not None:
        context.update(ego_mount(context["organization"], context["round"], distance))

    return render(request, "participants/my_organization.html", context)


@login_required
def ego_map_json(request, organization_id):
    """Return the ego map's payload: the shared map cut to its partners."""
    organization = own_organization(request, organization_id)
    round = chosen_round(request, organization)
    if round is None:
        return JsonResponse({"error": _("No round yet.")}, status=404)

    return shared_map.map_json(
        request,
        round,
        Viewer.of(request.user),
        ego=organization.pk,
        distance=distance_asked(request),
    )


@login_required
def team_report(request, organization_id):
    """Show the one-page team report, ready to print."""
    context = organization_context(request, organization_id)

    return render(request, "participants/report.html", context)


@login_required
def team_report_pdf(request, organization_id):
    """Send the one-page team report as a PDF."""
    context = organization_context(request, organization_id)
    if context["round"] is None:
        return redirect("participants:my_organization", organization_id)

    blob = report_pdf(context)
    logger.info(
        "team report of organization %s, round %s: %d bytes",
        organization_id,
        context["round"].pk,
        len(blob),
    )
    name = slugify(f"{context['organization'].name} {context['round'].name}")
    response = HttpResponse(blob, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}-report.pdf"'
    return response
