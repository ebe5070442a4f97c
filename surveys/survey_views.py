"""The survey's pages: one per step, each saving with a version check.

A step's form posts to its own URL. Sent by the page's script with the
X-EDN-Autosave header, the answer is JSON; sent by the step's button, the
answer is a redirect to the next step or the page again with its errors.
"""

import logging

from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from edn.ratelimits import is_search, per_response, rate_limited
from surveys import saving
from surveys.access import response_for
from surveys.forms import (
    AboutForm,
    PartnerDetailsForm,
    PracticesForm,
    SubmitForm,
    VisibilityForm,
    WriteInForm,
)
from surveys.models import CollaborationLevel, Practice
from surveys.partner_search import candidates_for, near_matches, search
from surveys.practices import practices_by_stage
from surveys.steps import STEPS, STEPS_BY_SLUG, destination
from surveys.submission import submit_response

logger = logging.getLogger(__name__)

LEVEL_DEFINITIONS = [
    (CollaborationLevel.COMMUNICATION, gettext_lazy("Talk about data, meet.")),
    (
        CollaborationLevel.COORDINATION,
        gettext_lazy("Consult, coordinate activities and resources."),
    ),
    (
        CollaborationLevel.COLLABORATION,
        gettext_lazy("Share data or resources under a formal agreement or governance."),
    ),
]


def is_autosave(request):
    return request.headers.get("X-EDN-Autosave") == "1"


def step_context(response, step, **extra):
    return {
        "response": response,
        "step": step,
        "steps": STEPS,
        "round_open": response.round.is_open,
        **extra,
    }


def refused(request, response, step, error, context, forms=()):
    """Answer a save that changed nothing, as JSON or as the page again."""
    field_errors = {}
    for form in forms:
        for name, errors in form.errors.items():
            key = form.add_prefix(name) if name in form.fields else "__all__"
            field_errors.setdefault(key, []).extend(errors)
    if error is not None and error.field:
        field_errors.setdefault(error.field, []).append(error.message)

    if is_autosave(request):
        if isinstance(error, saving.StaleVersion):
            status, kind = 409, "stale"
        elif isinstance(error, saving.RoundClosed):
            status, kind = 403, "closed"
        else:
            status, kind = 422, "invalid"
        message = error.message if error else _("Not saved: check the marked answers.")
        return JsonResponse(
            {"status": kind, "message": message, "errors": field_errors},
            status=status,
        )
    summary = [error.message] if error is not None else []
    context = step_context(
        response, step, error_summary=summary, failed_forms=forms, **context
    )
    context["stale"] = isinstance(error, saving.StaleVersion)
    return render(request, step.template, context)


def saved(request, response, step):
    if is_autosave(request):
        return JsonResponse({"status": "saved", "version": response.version})
    return redirect(destination(step, request.POST.get("go")).url(response))


@require_http_methods(["GET", "POST"])
def survey_start(request, response_id):
    """Open a response: prefill it the first time, then go to the right step."""
    response = response_for(request, response_id)

    if response.round.is_open:
        saving.start_response(response)

    if response.is_submitted or not response.round.is_open:
        return redirect(STEPS_BY_SLUG["review"].url(response))
    return redirect(STEPS[0].url(response))


@require_http_methods(["GET", "POST"])
@rate_limited("autosave", "RATE_LIMIT_AUTOSAVE", per_response)
@rate_limited("search", "RATE_LIMIT_SEARCH", per_response, counts=is_search)
def survey_step(request, response_id, step):
    """Show or save one step of the survey."""
    response = response_for(request, response_id)
    step = STEPS_BY_SLUG.get(step)
    if step is None:
        raise Http404("No such step.")

    if not response.round.is_open and step.slug != "review":
        if is_autosave(request):
            closed = saving.RoundClosed()
            return JsonResponse(
                {"status": "closed", "message": closed.message}, status=403
            )
        return redirect(STEPS_BY_SLUG["review"].url(response))
    if response.started_at is None:
        saving.start_response(response)
    handler = LIST_STEPS.get(step.slug) or form_step
    return handler(request, response, step)


def step_forms(response, step, data=None):
    """Return the bound or unbound forms a form step shows."""
    if step.slug == "organization":
        return [AboutForm(data, instance=response)]
    if step.slug == "partner-details":
        return [
            PartnerDetailsForm(data, instance=n, prefix=f"n{n.pk}")
            for n in response.nominations.select_related("partner").prefetch_related(
                "services"
            )
        ]
    if step.slug == "practices":
        return [PracticesForm(data, initial=PracticesForm.initial_for(response))]
    if step.slug == "visibility":
        return [VisibilityForm(data, instance=response)]
    if step.slug == "review":
        return [SubmitForm(data)]
    raise Http404("No such step.")


def form_context(response, step):
    if step.slug == "practices":
        return {"stages": practices_by_stage()}
    if step.slug == "partner-details":
        return {"level_definitions": LEVEL_DEFINITIONS}
    if step.slug == "review":
        return review_context(response)
    if step.slug == "visibility":
        first = response.nominations.select_related("partner").first()
        return {
            "example_partner": first.partner_name if first else _("a partner of yours")
        }
    return {}


def save_form(form):
    """Store a model form's fields without touching the rest of the row."""
    instance = form.save(commit=False)
    many = {f.name for f in instance._meta.many_to_many}
    fields = [name for name in form.Meta.fields if name not in many]
    instance.save(update_fields=[*fields, "updated_at"])
    # Setting services reads the stored ones first; skip it when they stand.
    if many & set(form.changed_data):
        form.save_m2m()


def form_step(request, response, step):
    """Handle a step made of forms: organization, details, practices, privacy."""
    if step.slug == "review" and request.method == "POST":
        return submit(request, response, step)
    if request.method == "GET":
        forms = step_forms(response, step)
        return render(
            request,
            step.template,
            step_context(response, step, forms=forms, **form_context(response, step)),
        )

    forms = step_forms(response, step, request.POST)

    def page_context():
        # Only a refused save shows the page again; a saved one needs none.
        return {"forms": forms, **form_context(response, step)}

    try:
        version = saving.parse_version(request.POST.get("version"))
    except saving.AnswerError as error:
        return refused(request, response, step, error, page_context())
    # Only forms whose answers differ from the stored ones are checked, so a
    # step of twenty partners does not validate all twenty on every autosave.
    changed = [form for form in forms if form.has_changed()]
    if not all(form.is_valid() for form in changed):
        return refused(request, response, step, None, page_context(), changed)

    if changed:
        try:
            with saving.answering(response, version):
                for form in changed:
                    if step.slug == "practices":
                        saving.save_practices(response, form.cleaned_data)
                    else:
                        save_form(form)
        except saving.AnswerError as error:
            return refused(request, response, step, error, page_context())
    return saved(request, response, step)


def partners_step(request, response, step):
    """Handle the partner list: search, add, write in, remove."""
    query = request.GET.get("q", "")[:200]
    context = {
        "query": query,
        "matches": search(query, candidates_for(response)) if query else [],
        "previous_partners": saving.last_round_partners(response),
        "write_in_form": WriteInForm(),
    }
    if request.method == "GET":
        return render_list_step(request, response, step, context)

    action = request.POST.get("action", "")
    organization_id = request.POST.get("organization")
    if action == "":
        return redirect(destination(step, request.POST.get("go")).url(response))
    write_in = WriteInForm(request.POST) if action == "write_in" else None
    if write_in is not None:
        context["write_in_form"] = write_in
        if not write_in.is_valid():
            return refused(request, response, step, None, context, [write_in])
        name = write_in.cleaned_data["name"]
        matches = near_matches(name, candidates_for(response))
        exact = [m for m in matches if m.score >= 1.0]
        if exact:
            action, organization_id = "add", exact[0].organization_id
        elif matches and request.POST.get("confirm") != "1":
            context["did_you_mean"] = matches
            context["write_in_name"] = name
            return render_list_step(request, response, step, context)

    try:
        version = saving.parse_version(request.POST.get("version"))
        with saving.answering(response, version):
            if action == "add":
                saving.add_partner(response, organization_id)
            elif action == "add_previous":
                for organization in context["previous_partners"]:
                    saving.add_partner(response, organization.pk)
            elif action == "write_in":
                saving.add_write_in(response, name)
            elif action == "remove":
                saving.remove_partner(response, request.POST.get("nomination"))
            else:
                raise saving.AnswerError(_("Unknown action."))
    except saving.AnswerError as error:
        return refused(request, response, step, error, context)
    return redirect(step.url(response) + "#partners")


def aspirations_step(request, response, step):
    """Handle the organizations the respondent would like to work with."""
    query = request.GET.get("q", "")[:200]
    context = {
        "query": query,
        "matches": search(query, candidates_for(response)) if query else [],
    }
    if request.method == "GET":
        return render_list_step(request, response, step, context)

    action = request.POST.get("action", "")
    if action == "":
        return redirect(destination(step, request.POST.get("go")).url(response))

    try:
        version = saving.parse_version(request.POST.get("version"))
        with saving.answering(response, version):
            if action == "add":
                saving.add_aspiration(response, request.POST.get("organization"))
            elif action == "remove":
                saving.remove_aspiration(response, request.POST.get("aspiration"))
            else:
                raise saving.AnswerError(_("Unknown action."))
    except saving.AnswerError as error:
        return refused(request, response, step, error, context)
    return redirect(step.url(response) + "#wishes")


def render_list_step(request, response, step, context):
    return render(request, step.template, step_context(response, step, **context))


LIST_STEPS = {"partners": partners_step, "aspirations": aspirations_step}


def review_context(response):
    nominations = response.nominations.select_related("partner").prefetch_related(
        "services"
    )
    return {
        "nominations": nominations,
        "aspirations": response.aspirations.select_related("organization"),
        "practices": PracticesForm.initial_for(response),
        "stages": practices_by_stage(),
        "services": response.services.all(),
        "consent_choices": Practice.Consent.choices,
    }


def submit(request, response, step):
    """Submit the response; a repeated click stores one submission."""
    forms = step_forms(response, step, request.POST)
    context = review_context(response)
    if not forms[0].is_valid():
        return refused(
            request, response, step, None, {"forms": forms, **context}, forms
        )

    try:
        version = saving.parse_version(request.POST.get("version"))
        submit_response(response, version, request.user)
    except saving.AnswerError as error:
        return refused(request, response, step, error, {"forms": forms, **context})
    return redirect(reverse("surveys:survey_submitted", args=[response.pk]))


def survey_submitted(request, response_id):
    """Thank the respondent and say how to change answers until the close."""
    response = response_for(request, response_id)

    return render(
        request,
        "surveys/survey/submitted.html",
        step_context(response, STEPS_BY_SLUG["review"]),
    )
