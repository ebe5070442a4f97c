"""Staff pages: rounds at a glance, and who was invited, opened, answered."""

import logging

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from edn.permissions import staff_required
from edn.ratelimits import per_user, rate_limited
from organizations.models import Organization
from surveys import tasks
from surveys.invitations import (
    plan_invitations,
    plan_reminders,
    revoke_invitation,
    uninvited_organization_ids,
)
from surveys.models import Invitation, Round
from surveys.staff_queries import (
    STATUS_FILTERS,
    filter_by_status,
    invitation_rows,
    round_figures,
    rounds_with_counts,
)

logger = logging.getLogger(__name__)

# Sending, reminding and revoking share one allowance per staff user.
mail_limit = rate_limited("invitations", "RATE_LIMIT_INVITATIONS", per_user)

PAGE_SIZE = 50


class ChosenOrganizationsForm(forms.Form):
    """Which of a round's roster organizations an action is for."""

    SCOPES = [
        ("chosen", gettext_lazy("The organizations chosen")),
        ("uninvited", gettext_lazy("Every organization not yet invited")),
    ]

    organizations = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "Organization %(value)s is not on this round's roster."
            ),
            "invalid_pk_value": gettext_lazy("“%(pk)s” is not an organization id."),
        },
    )
    scope = forms.ChoiceField(choices=SCOPES, initial="chosen")
    confirmed = forms.BooleanField(required=False)

    def __init__(self, round_, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round_
        self.fields["organizations"].queryset = round_.roster.all()

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("organizations")
        if cleaned.get("scope") == "chosen" and not chosen and not self.errors:
            raise forms.ValidationError(_("Choose at least one organization."))
        return cleaned

    def organization_ids(self):
        if self.cleaned_data["scope"] == "uninvited":
            return uninvited_organization_ids(self.round)
        return sorted(o.pk for o in self.cleaned_data["organizations"])


@require_GET
@staff_required
def round_list(request):
    """List every round with its roster and how far the answers have come."""
    rounds = rounds_with_counts()
    return render(request, "surveys/staff/round_list.html", {"rounds": rounds})


@require_GET
@staff_required
def round_invitations(request, slug):
    """Show, per roster organization, its contacts and where its survey stands."""
    round_ = get_object_or_404(Round, slug=slug)

    status = request.GET.get("status", "")
    if status not in STATUS_FILTERS:
        status = ""
    organizations = filter_by_status(round_, status)
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))

    context = {
        "round": round_,
        "page": page,
        "rows": invitation_rows(round_, page.object_list),
        "status": status,
        "figures": round_figures(round_),
        "uninvited_count": len(uninvited_organization_ids(round_)),
    }
    return render(request, "surveys/staff/round_invitations.html", context)


@require_POST
@staff_required
@mail_limit
def send_invitations(request, slug):
    """Invite chosen organizations, or all not yet invited, after a confirmation."""
    return _mail_action(request, slug, "invitation")


@require_POST
@staff_required
@mail_limit
def send_reminders(request, slug):
    """Remind chosen organizations that have not submitted, after a confirmation."""
    return _mail_action(request, slug, "reminder")


@require_POST
@staff_required
@mail_limit
def revoke(request, slug, invitation_id):
    """Stop one invitation link from working, after a confirmation."""
    round_ = get_object_or_404(Round, slug=slug)
    invitation = get_object_or_404(
        Invitation.objects.select_related("organization"),
        pk=invitation_id,
        round=round_,
    )
    back = _back_url(request, round_)

    if request.POST.get("confirmed") != "1":
        context = {"round": round_, "invitation": invitation, "back": back}
        return render(request, "surveys/staff/confirm_revoke.html", context)

    if revoke_invitation(invitation):
        messages.success(
            request,
            _("The link sent to %(email)s no longer works. No e-mail was sent.")
            % {"email": invitation.email},
        )
    else:
        messages.info(request, _("That link was already revoked."))
    return redirect(back)


def _mail_action(request, slug, kind):
    round_ = get_object_or_404(Round, slug=slug)
    form = ChosenOrganizationsForm(round_, request.POST)
    back = _back_url(request, round_)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect(back)
    organization_ids = form.organization_ids()

    plan = plan_invitations if kind == "invitation" else plan_reminders
    deliveries, planned = plan(round_, organization_ids)
    if not form.cleaned_data["confirmed"]:
        context = {
            "round": round_,
            "kind": kind,
            "form": form,
            "organization_ids": organization_ids,
            "deliveries": deliveries,
            "planned": planned,
            "back": back,
        }
        return render(request, "surveys/staff/confirm_send.html", context)

    task = tasks.send_invitations if kind == "invitation" else tasks.send_reminders
    result = task.delay(round_.pk, organization_ids, request.user.pk)
    outcome, queued = tasks.finished_outcome(result), False
    if outcome is None:
        planned.sent = len(deliveries)
        outcome, queued = planned, True
    level = messages.SUCCESS if outcome.sent else messages.WARNING
    messages.add_message(request, level, outcome.summary(queued=queued))
    return redirect(back)


def _back_url(request, round_):
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return reverse("surveys:staff_round_invitations", args=[round_.slug])
