"""Ties others reported, My data, withdrawal requests and the shared explorer."""

import json
import logging

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from participants import shared_map
from participants.access import (
    chosen_round,
    explorable_round,
    own_organization,
    rounds_of,
)
from participants.explorer import sector_summary, table_nodes, table_rows
from participants.models import TieReview, WithdrawalRequest
from participants.records import labelled, organization_record, record_csv
from participants.reviews import reported_about, review_tie
from participants.visibility import Viewer
from surveys.models import CollaborationLevel, Round

logger = logging.getLogger(__name__)


class TieReviewForm(forms.Form):
    reporter = forms.CharField(widget=forms.HiddenInput)
    verdict = forms.ChoiceField(choices=TieReview.Verdict.choices)
    level = forms.ChoiceField(
        label=gettext_lazy("Level, as we see it"),
        choices=CollaborationLevel.choices,
        required=False,
    )
    note = forms.CharField(
        label=gettext_lazy("Note for the coordinating team"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "We understand that our answers in every round will be removed."
        )
    )


@login_required
def ties_reported(request, organization_id):
    """List ties others reported about the organization; record its view."""
    organization = own_organization(request, organization_id)
    round = chosen_round(request, organization)
    viewer = Viewer.of(request.user)
    reports, view = (
        reported_about(organization.pk, round, viewer) if round else ([], None)
    )

    form = TieReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reporter = view.resolve(form.cleaned_data["reporter"]) if view else None
        if reporter not in {r["reporter"] for r in reports}:
            form.add_error(None, _("That tie is not one reported about you."))
        else:
            level = form.cleaned_data["level"] or next(
                r["level"] for r in reports if r["reporter"] == reporter
            )
            _review, counted = review_tie(
                organization,
                round,
                reporter,
                form.cleaned_data["verdict"],
                level,
                form.cleaned_data["note"],
                request.user,
            )
            messages.success(request, _review_message(form, counted, round))
            url = reverse("participants:ties_reported", args=[organization.pk])
            return redirect(f"{url}?round={round.slug}")
    elif request.method == "POST":
        messages.error(request, _("Choose whether you work with them."))

    return render(
        request,
        "participants/ties_reported.html",
        {
            "organization": organization,
            "round": round,
            "rounds": rounds_of(organization),
            "reports": reports,
            "levels": CollaborationLevel.choices,
            "form": form,
        },
    )


def _review_message(form, counted, round):
    if form.cleaned_data["verdict"] == TieReview.Verdict.DISPUTED:
        return _("Noted: you do not work with them. The coordinating team will see it.")
    if counted:
        return _(
            "Confirmed. The map will show this tie as confirmed once it is rebuilt."
        )
    if not round.is_open:
        return _("Noted. This round is closed, so your answers stay as they were.")
    return _(
        "Confirmed and saved in your draft survey response; "
        "it counts once your organization submits."
    )


@login_required
def my_data(request, organization_id):
    """Show everything EDN holds about the organization."""
    organization = own_organization(request, organization_id)
    record = organization_record(organization, Viewer.of(request.user))
    pending = organization.withdrawal_requests.filter(
        status=WithdrawalRequest.Status.PENDING
    ).first()

    return render(
        request,
        "participants/my_data.html",
        {
            "organization": organization,
            "record": labelled(record),
            "pending": pending,
            "form": WithdrawalForm(),
        },
    )


@login_required
def my_data_download(request, organization_id, kind):
    """Send the organization's record as JSON or CSV."""
    organization = own_organization(request, organization_id)
    if kind not in ("json", "csv"):
        raise Http404
    record = organization_record(organization, Viewer.of(request.user))

    name = slugify(organization.name) or "organization"
    if kind == "json":
        body = json.dumps(record, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json")
    else:
        response = HttpResponse(record_csv(record), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}-edn.{kind}"'
    logger.info("organization %s downloaded its data as %s", organization.pk, kind)
    return response


@login_required
@require_POST
def request_withdrawal(request, organization_id):
    """Ask staff to withdraw the organization and remove its answers."""
    organization = own_organization(request, organization_id)
    form = WithdrawalForm(request.POST)

    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm that you understand."))
    elif organization.withdrawal_requests.filter(
        status=WithdrawalRequest.Status.PENDING
    ).exists():
        messages.info(request, _("Your request is already waiting for staff."))
    else:
        WithdrawalRequest.objects.create(
            organization=organization,
            requested_by=request.user,
            reason=form.cleaned_data["reason"],
        )
        logger.info("organization %s asked to withdraw", organization.pk)
        messages.success(
            request, _("Your request was sent. Staff will confirm it by e-mail.")
        )

    return redirect("participants:my_data", organization.pk)


EXPLORER_CONTROLS = (
    "colour",
    "size",
    "layer",
    "confirmed",
    "sector",
    "service",
    "community",
    "round",
    "search",
    "ego",
    "table",
)


@login_required
def explorer(request, slug):
    """Show the round's shared map and table, as far as each one allowed."""
    round = explorable_round(request, slug)
    viewer = Viewer.of(request.user)

    served = shared_map.map_for(round, viewer)
    nodes, ties = shared_map.decoded(served[0]) if served else ([], [])
    nodes = table_nodes(nodes, viewer.organization_ids)
    sort = request.GET.get("sort", "label")
    rows = table_rows(
        nodes,
        query=request.GET.get("q", ""),
        sector=request.GET.get("sector", ""),
        sort=sort,
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    summary, min_group = sector_summary(nodes)
    context = {
        "round": round,
        "nodes": nodes,
        "ties_count": len(ties),
        "rows": page,
        "matching": len(rows),
        "sort": sort,
        "sectors": sorted({n["sector"] for n in nodes if n["sector"]}),
        "summary": summary,
        "min_group": min_group,
        "columns": [
            ("label", _("Organization")),
            ("sector", _("Sector")),
            ("partners", _("Partners")),
            ("betweenness", _("Betweenness")),
            ("closeness", _("Closeness")),
            ("pagerank", _("PageRank")),
        ],
        **shared_map.explorer_mount(
            reverse("participants:explorer_json", args=[round.slug]),
            controls=EXPLORER_CONTROLS,
            rounds=explorer_rounds(viewer, round),
        ),
    }
    return render(request, "participants/explorer.html", context)


def explorer_rounds(viewer, current):
    """Return the round picker's choices: the rounds the viewer may explore."""
    rounds = Round.objects.exclude(status=Round.Status.DRAFT)
    if not viewer.is_staff:
        rounds = rounds.filter(
            Q(roster_entries__organization__in=viewer.organization_ids)
            | Q(responses__organization__in=viewer.organization_ids)
        ).distinct()
    return [
        {
            "name": r.name,
            "url": reverse("participants:explorer", args=[r.slug]),
            "current": r.pk == current.pk,
        }
        for r in rounds.only("pk", "name", "slug")
    ]


@login_required
def explorer_json(request, slug):
    """Return the round's map payload for a participant, visibility applied."""
    round = explorable_round(request, slug)

    return shared_map.map_json(request, round, Viewer.of(request.user))
