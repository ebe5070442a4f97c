"""The guide as readers see it: stages, entries, search, print, marks."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from edn.ratelimits import is_search, per_address, rate_limited
from guide import services
from guide.access import guide_reader_required, organizations_of
from guide.forms import SearchForm
from guide.models import Adoption, Entry, Event, Stage, Submission, Topic

logger = logging.getLogger(__name__)

PAGE_SIZE = 20


def _with_usage(entries):
    usage = services.entry_usage(entries)
    for entry in entries:
        entry.usage = usage[entry.pk]
    return entries


def _stages_with_counts(user):
    visible = services.visible_entries(user).values("pk")
    return Stage.objects.annotate(
        entry_count=Count("entries", filter=Q(entries__in=visible), distinct=True)
    ).order_by("position", "title")


@require_GET
@guide_reader_required
def home(request):
    recent = list(services.visible_entries(request.user).order_by("-published_at")[:4])
    context = {
        "stages": _stages_with_counts(request.user),
        "recent": _with_usage(recent),
        "topics": Topic.objects.filter(entries__isnull=False).distinct(),
        "events": Event.objects.filter(starts_at__gte=timezone.now())[:3],
        "form": SearchForm(),
    }
    return render(request, "guide/home.html", context)


@require_GET
@guide_reader_required
@rate_limited("guide-search", "RATE_LIMIT_GUIDE_SEARCH", per_address, is_search)
def search(request):
    form = SearchForm(request.GET)
    entries = services.visible_entries(request.user)
    if form.is_valid():
        if form.cleaned_data["q"]:
            entries = entries.search(form.cleaned_data["q"])
        if form.cleaned_data["stage"]:
            entries = entries.filter(stage=form.cleaned_data["stage"])
        if form.cleaned_data["topic"]:
            entries = entries.filter(topics=form.cleaned_data["topic"])
        if form.cleaned_data["level"]:
            entries = entries.filter(collaboration_level=form.cleaned_data["level"])

    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    _with_usage(page.object_list)
    return render(request, "guide/search.html", {"form": form, "page": page})


@require_GET
@guide_reader_required
def stage(request, slug):
    stage = get_object_or_404(Stage, slug=slug)
    entries = list(services.visible_entries(request.user).filter(stage=stage))
    context = {
        "stage": stage,
        "entries": _with_usage(entries),
        "stages": Stage.objects.all(),
        "reflections": stage.reflections.filter(is_hidden=False)[:3],
        "events": stage.events.filter(starts_at__gte=timezone.now())[:3],
    }
    return render(request, "guide/stage.html", context)


@require_GET
@guide_reader_required
def entry(request, pk):
    entry = get_object_or_404(services.visible_entries(request.user), pk=pk)

    sources = services.credited_sources(entry)
    organizations = list(organizations_of(request.user))
    marks = set(
        Adoption.objects.filter(
            entry=entry, organization__in=organizations
        ).values_list("organization_id", "kind")
    )
    context = {
        "entry": _with_usage([entry])[0],
        "sources": sources,
        "named": [s.organization.name for s in sources if s.is_named],
        "unnamed_count": sum(1 for s in sources if not s.is_named),
        "related": _with_usage(services.related_entries(entry, request.user)),
        "mark_rows": [
            (o, (o.pk, "use") in marks, (o.pk, "try") in marks) for o in organizations
        ],
    }
    return render(request, "guide/entry.html", context)


@require_POST
@login_required
def mark(request, pk):
    entry = get_object_or_404(Entry.objects.for_participants(), pk=pk)
    organization = get_object_or_404(
        organizations_of(request.user), pk=request.POST.get("organization")
    )
    kind = request.POST.get("kind")
    if kind not in Adoption.Kind.values:
        raise Http404

    existing = Adoption.objects.filter(
        entry=entry, organization=organization, kind=kind
    )
    if existing.exists():
        existing.delete()
        messages.success(request, _("Mark removed."))
    else:
        Adoption.objects.create(
            entry=entry, organization=organization, kind=kind, marked_by=request.user
        )
        messages.success(
            request,
            _("Marked for %(organization)s: %(mark)s.")
            % {"organization": organization.name, "mark": Adoption.Kind(kind).label},
        )
    logger.info("organization %s toggled %s on entry %s", organization.pk, kind, pk)

    return redirect(entry)


@require_GET
@guide_reader_required
def print_guide(request, slug=None):
    stages = Stage.objects.all()
    if slug is not None:
        stages = stages.filter(slug=slug)
        if not stages:
            raise Http404
    entries = list(
        services.visible_entries(request.user)
        .filter(stage__in=stages)
        .order_by("stage__position", "title")
    )
    _with_usage(entries)
    sections = [(s, [e for e in entries if e.stage_id == s.pk]) for s in stages]
    context = {
        "sections": sections,
        "single": slug is not None,
        "printed_at": timezone.now(),
    }
    return render(request, "guide/print.html", context)


@require_GET
@login_required
def our_practices(request):
    organizations = list(organizations_of(request.user))
    if not organizations:
        raise PermissionDenied

    marks = (
        Adoption.objects.filter(
            organization__in=organizations, entry__in=Entry.objects.for_participants()
        )
        .select_related("entry__stage", "organization")
        .order_by("organization__name", "kind", "entry__title")
    )
    submissions = Submission.objects.filter(
        practice__response__organization__in=organizations
    ).select_related("practice__response__round", "entry")
    return render(
        request,
        "guide/our_practices.html",
        {"marks": marks, "submissions": submissions, "organizations": organizations},
    )
