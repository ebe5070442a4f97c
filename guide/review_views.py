"""Staff pages: review submitted practices, edit entries and stages."""

import logging

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from edn.permissions import staff_required
from guide import services
from guide.forms import DeclineForm, EntryForm, MergeForm, StageForm
from guide.models import Entry, GuideSettings, Stage, Submission
from guide.models.entries import PUBLISHABLE_CONSENTS
from surveys.models import Practice

logger = logging.getLogger(__name__)


@staff_required
def review_queue(request):
    services.sync_submissions()

    queue = list(services.review_queue())
    decided = Submission.objects.exclude(state=Submission.State.PENDING)
    context = {
        "queue": queue,
        "settings": GuideSettings.current(),
        "counts": {
            "published": decided.filter(state=Submission.State.PUBLISHED).count(),
            "merged": decided.filter(state=Submission.State.MERGED).count(),
            "declined": decided.filter(state=Submission.State.DECLINED).count(),
            "private": Practice.objects.filter(
                consent=Practice.Consent.PRIVATE
            ).count(),
        },
        "hidden_entries": Entry.objects.filter(status=Entry.Status.PUBLISHED)
        .exclude(pk__in=Entry.objects.for_participants())
        .count(),
        "drafts": Entry.objects.filter(status=Entry.Status.DRAFT),
    }
    return render(request, "guide/review_queue.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def review_submission(request, pk):
    submission = get_object_or_404(
        Submission.objects.select_related("practice__response__organization"), pk=pk
    )
    practice = submission.practice
    if practice.consent not in PUBLISHABLE_CONSENTS:
        messages.error(request, _("This practice is no longer offered for the guide."))
        return redirect("guide:review_queue")

    action = request.POST.get("action")
    publish_form = EntryForm(
        request.POST if action == "publish" else None,
        initial={
            "title": services.suggested_title(practice),
            "text": practice.text,
            "stage": services.stage_for_practice(practice),
        },
        prefix="publish",
    )
    merge_form = MergeForm(request.POST if action == "merge" else None, prefix="merge")
    decline_form = DeclineForm(
        request.POST if action == "decline" else None, prefix="decline"
    )

    if action == "publish" and publish_form.is_valid():
        data = publish_form.cleaned_data
        entry = services.publish_submission(
            submission,
            title=data["title"],
            text=data["text"],
            stage=data["stage"],
            level=data["collaboration_level"],
            topics=data["topics"],
            by=request.user,
        )
        messages.success(request, _("Published “%(title)s”.") % {"title": entry.title})
        return redirect("guide:review_queue")
    if action == "merge" and merge_form.is_valid():
        entry = merge_form.cleaned_data["entry"]
        services.merge_submission(submission, entry, request.user)
        messages.success(
            request, _("Merged into “%(title)s”.") % {"title": entry.title}
        )
        return redirect("guide:review_queue")
    if action == "decline" and decline_form.is_valid():
        services.decline_submission(
            submission, decline_form.cleaned_data["note"], request.user
        )
        messages.success(request, _("Declined, with your note."))
        return redirect("guide:review_queue")

    similar = Entry.objects.filter(
        stage=services.stage_for_practice(practice)
    ).order_by("title")
    merge_form.fields["entry"].queryset = Entry.objects.order_by("title")
    return render(
        request,
        "guide/review_submission.html",
        {
            "submission": submission,
            "practice": practice,
            "publish_form": publish_form,
            "merge_form": merge_form,
            "decline_form": decline_form,
            "similar": similar[:8],
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def edit_entry(request, pk):
    entry = get_object_or_404(Entry, pk=pk)

    form = EntryForm(request.POST or None, instance=entry)
    action = request.POST.get("action", "save")

    if request.method == "POST" and form.is_valid():
        entry = form.save()
        if action == "publish":
            services.publish_entry(entry)
        elif action == "unpublish":
            entry.status = Entry.Status.DRAFT
            entry.save(update_fields=["status", "updated_at"])
        logger.info("staff %s saved entry %s (%s)", request.user.pk, entry.pk, action)
        messages.success(request, _("Entry saved."))
        return redirect(entry)

    sources = entry.submissions.select_related("practice__response__organization")
    return render(
        request,
        "guide/edit_entry.html",
        {"entry": entry, "form": form, "sources": sources},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def edit_stage(request, slug):
    stage = get_object_or_404(Stage, slug=slug)

    form = StageForm(request.POST or None, instance=stage)

    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Stage saved."))
        return redirect(stage)

    return render(request, "guide/edit_stage.html", {"stage": stage, "form": form})


@staff_required
@require_POST
def change_settings(request):
    settings = GuideSettings.current()

    settings.is_public = request.POST.get("is_public") == "on"
    settings.save()
    logger.info("staff %s set guide public=%s", request.user.pk, settings.is_public)

    if settings.is_public:
        messages.success(request, _("Anyone can now read the guide."))
    else:
        messages.success(request, _("Only signed-in participants can read the guide."))
    return redirect(reverse("guide:review_queue"))
