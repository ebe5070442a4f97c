"""The learning exchange: reflections and replies, moderation, events."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from edn.permissions import staff_required
from guide.access import organizations_of, participant_required, poster_names
from guide.forms import EventForm, ReflectionForm, ReplyForm
from guide.models import Digest, Event, Reflection, Reply, Stage
from surveys.models import Round

logger = logging.getLogger(__name__)

PAGE_SIZE = 15


def _visible_reflections(user):
    reflections = (
        Reflection.objects.select_related("organization__sector", "round", "stage")
        .annotate(reply_count=Count("replies", filter=Q(replies__is_hidden=False)))
        .order_by("-is_pinned", "-created_at")
    )
    if user.is_staff:
        return reflections
    return reflections.filter(is_hidden=False)


def _name_posters(posts, viewer):
    names = poster_names({p.organization for p in posts}, viewer)
    team = _("Coordinating team")
    for post in posts:
        post.poster = names.get(post.organization_id, team)
        post.is_own = post.author_id == viewer.pk
    return posts


@participant_required
def exchange(request):
    reflections = _visible_reflections(request.user)
    stage = Stage.objects.filter(slug=request.GET.get("stage")).first()
    round_ = Round.objects.filter(slug=request.GET.get("round")).first()
    if stage:
        reflections = reflections.filter(stage=stage)
    if round_:
        reflections = reflections.filter(round=round_)

    page = Paginator(reflections, PAGE_SIZE).get_page(request.GET.get("page"))
    _name_posters(page.object_list, request.user)
    closed = Round.objects.filter(status=Round.Status.CLOSED)
    context = {
        "page": page,
        "stages": Stage.objects.all(),
        "rounds": Round.objects.exclude(status=Round.Status.DRAFT),
        "stage": stage,
        "round": round_,
        "events": Event.objects.filter(
            Q(starts_at__gte=timezone.now()) | Q(ends_at__gte=timezone.now())
        ).prefetch_related("stages")[:5],
        "digests": Digest.objects.select_related("round"),
        "undigested": closed.filter(digest__isnull=True),
        "may_post": organizations_of(request.user).exists(),
    }
    return render(request, "guide/exchange.html", context)


@participant_required
@require_http_methods(["GET", "POST"])
def reflection(request, pk):
    reflection = get_object_or_404(_visible_reflections(request.user), pk=pk)
    organizations = organizations_of(request.user)

    form = ReplyForm(request.POST or None)
    # Staff reply as the coordinating team; members for their organization.
    may_reply = (organizations.exists() or request.user.is_staff) and (
        not reflection.is_locked or request.user.is_staff
    )

    if request.method == "POST":
        if not may_reply:
            raise PermissionDenied
        if form.is_valid():
            reply = form.save(commit=False)
            reply.reflection = reflection
            reply.author = request.user
            reply.organization = _acting_organization(request, organizations)
            reply.save()
            messages.success(request, _("Your reply is posted."))
            return redirect(f"{reflection.get_absolute_url()}#reply-{reply.pk}")

    replies = reflection.replies.select_related("organization__sector")
    if not request.user.is_staff:
        replies = replies.filter(is_hidden=False)
    replies = list(replies)
    _name_posters([reflection, *replies], request.user)
    context = {
        "reflection": reflection,
        "replies": replies,
        "form": form,
        "may_reply": may_reply,
        "organizations": organizations,
    }
    return render(request, "guide/reflection.html", context)


def _acting_organization(request, organizations):
    chosen = organizations.filter(pk=request.POST.get("organization")).first()
    return chosen or organizations.first()


@participant_required
@require_http_methods(["GET", "POST"])
def new_reflection(request):
    organizations = organizations_of(request.user)
    if not organizations.exists():
        raise PermissionDenied

    initial = {
        "stage": Stage.objects.filter(slug=request.GET.get("stage")).first(),
        "round": Round.objects.filter(slug=request.GET.get("round")).first(),
    }
    form = ReflectionForm(
        request.POST or None, organizations=organizations, initial=initial
    )

    if request.method == "POST" and form.is_valid():
        reflection = form.save(commit=False)
        reflection.author = request.user
        reflection.save()
        logger.info("reflection %s posted by user %s", reflection.pk, request.user.pk)
        messages.success(request, _("Your reflection is posted."))
        return redirect(reflection)

    return render(request, "guide/reflection_form.html", {"form": form})


def _own(request, post):
    if post.author_id != request.user.pk:
        raise PermissionDenied


@participant_required
@require_http_methods(["GET", "POST"])
def edit_reflection(request, pk):
    reflection = get_object_or_404(Reflection, pk=pk)
    _own(request, reflection)

    form = ReflectionForm(
        request.POST or None,
        instance=reflection,
        organizations=organizations_of(request.user),
    )

    if request.method == "POST" and form.is_valid():
        reflection = form.save(commit=False)
        reflection.edited_at = timezone.now()
        reflection.save()
        messages.success(request, _("Your changes are saved."))
        return redirect(reflection)

    return render(
        request,
        "guide/reflection_form.html",
        {"form": form, "reflection": reflection},
    )


@participant_required
@require_http_methods(["GET", "POST"])
def delete_reflection(request, pk):
    reflection = get_object_or_404(Reflection, pk=pk)
    _own(request, reflection)

    if request.method == "POST":
        reflection.delete()
        logger.info("reflection %s deleted by its author", pk)
        messages.success(request, _("Your reflection is deleted."))
        return redirect("guide:exchange")

    return render(request, "guide/confirm_delete.html", {"post": reflection})


@participant_required
@require_http_methods(["GET", "POST"])
def edit_reply(request, pk):
    reply = get_object_or_404(Reply, pk=pk)
    _own(request, reply)

    form = ReplyForm(request.POST or None, instance=reply)

    if request.method == "POST" and "delete" in request.POST:
        reply.delete()
        messages.success(request, _("Your reply is deleted."))
        return redirect(reply.reflection)
    if request.method == "POST" and form.is_valid():
        reply = form.save(commit=False)
        reply.edited_at = timezone.now()
        reply.save()
        messages.success(request, _("Your changes are saved."))
        return redirect(f"{reply.reflection.get_absolute_url()}#reply-{reply.pk}")

    return render(request, "guide/reply_form.html", {"form": form, "reply": reply})


MODERATION = {"pin": "is_pinned", "hide": "is_hidden", "lock": "is_locked"}


@staff_required
@require_POST
def moderate_reflection(request, pk):
    reflection = get_object_or_404(Reflection, pk=pk)
    field = MODERATION.get(request.POST.get("action"))
    if field is None:
        raise PermissionDenied

    setattr(reflection, field, not getattr(reflection, field))
    reflection.save(update_fields=[field])
    logger.info(
        "staff %s set %s=%s on reflection %s",
        request.user.pk,
        field,
        getattr(reflection, field),
        pk,
    )

    messages.success(request, _("Moderation saved."))
    return redirect(reflection)


@staff_required
@require_POST
def moderate_reply(request, pk):
    reply = get_object_or_404(Reply, pk=pk)

    reply.is_hidden = not reply.is_hidden
    reply.save(update_fields=["is_hidden"])
    logger.info(
        "staff %s set hidden=%s on reply %s", request.user.pk, reply.is_hidden, pk
    )

    messages.success(request, _("Moderation saved."))
    return redirect(f"{reply.reflection.get_absolute_url()}#reply-{reply.pk}")


@staff_required
@require_http_methods(["GET", "POST"])
def edit_event(request, pk=None):
    event = get_object_or_404(Event, pk=pk) if pk else None

    form = EventForm(request.POST or None, instance=event)

    if request.method == "POST" and "delete" in request.POST and event:
        event.delete()
        messages.success(request, _("Event removed."))
        return redirect("guide:exchange")
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Event saved."))
        return redirect("guide:exchange")

    return render(request, "guide/event_form.html", {"form": form, "event": event})
