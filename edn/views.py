from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from organizations.models import Organization, Sector
from surveys.models import Response, Round


@require_GET
def home(request):
    rounds = list(Round.objects.exclude(status=Round.Status.DRAFT)[:5])
    current = next((r for r in rounds if r.is_open), rounds[0] if rounds else None)
    memberships = []
    if request.user.is_authenticated:
        memberships = request.user.memberships.select_related("organization")

    context = {
        "current_round": current,
        "rounds": rounds,
        "memberships": memberships,
        "organizations_count": Organization.objects.filter(is_active=True).count(),
    }
    if current:
        context["sectors_count"] = (
            Sector.objects.filter(organizations__roster_entries__round=current)
            .distinct()
            .count()
        )
        context["roster_count"] = current.roster_entries.count()
        context["submitted_count"] = current.responses.filter(
            status=Response.Status.SUBMITTED
        ).count()
    return render(request, "home.html", context)


@require_GET
def healthz(request):
    """Report whether the database answers; used by the container health check."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
