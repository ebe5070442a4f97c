"""Who is missing: coverage of a round, and folding write-ins into the roster."""

import logging

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from edn.permissions import staff_required
from network import coverage, write_ins
from network.dashboard_views import newest_snapshot
from organizations.models import Organization, Sector, normalize_name
from surveys.models import Round

logger = logging.getLogger(__name__)


class WriteInGroupForm(forms.Form):
    """A group of write-in spellings, named by their keys."""

    confirmed = forms.BooleanField(required=False)

    def __init__(self, round_, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round_

    def clean(self):
        cleaned = super().clean()
        keys = sorted({k for k in self.data.getlist("keys") if k})
        known = set(
            write_ins.round_write_ins(self.round)
            .filter(write_in_key__in=keys)
            .values_list("write_in_key", flat=True)
        )
        if not known:
            raise forms.ValidationError(
                _(
                    "These write-ins are no longer in the round; they may have "
                    "been merged already."
                )
            )
        cleaned["keys"] = sorted(known)
        return cleaned


class MergeForm(WriteInGroupForm):
    organization = forms.ModelChoiceField(
        Organization.objects.filter(is_active=True),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy("That organization no longer exists.")
        },
    )
    organization_name = forms.CharField(required=False, max_length=200)
    add_to_roster = forms.BooleanField(required=False)

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("organization_name", "").strip()
        if name:
            found = Organization.objects.filter(name_key=normalize_name(name)).first()
            if found is None:
                raise forms.ValidationError(
                    _(
                        "No organization is called “%(name)s”. Check the spelling, "
                        "or create a new organization from these write-ins."
                    )
                    % {"name": name}
                )
            cleaned["organization"] = found
        if not cleaned.get("organization") and not self.errors:
            raise forms.ValidationError(
                _("Choose the organization these write-ins mean.")
            )
        return cleaned


class CreateForm(WriteInGroupForm):
    name = forms.CharField(max_length=200)
    sector = forms.ModelChoiceField(Sector.objects.all(), required=False)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        taken = write_ins.name_taken(name)
        if taken is not None:
            raise forms.ValidationError(
                _(
                    "An organization called “%(name)s” already exists; merge the "
                    "write-ins into it instead."
                )
                % {"name": taken.name}
            )
        return name


@require_GET
@staff_required
def round_coverage(request, slug):
    """Show who answered, who is missing, write-ins, gaps and fragments."""
    round_ = get_object_or_404(Round, slug=slug)

    snapshot = newest_snapshot(round_)
    missing, missing_count = coverage.non_respondents(round_, snapshot)
    isolated, isolated_count = coverage.isolates(snapshot)
    groups = write_ins.write_in_groups(round_)

    context = {
        "round": round_,
        "snapshot": snapshot,
        "rates": coverage.response_rates(round_),
        "missing": missing,
        "missing_count": missing_count,
        "groups": groups[: write_ins.GROUPS_SHOWN],
        "groups_count": len(groups),
        "presence": coverage.thin_presence(snapshot),
        "isolates": isolated,
        "isolates_count": isolated_count,
        "fragments": coverage.fragments(snapshot),
        "heatmap": coverage.mixing_heatmap(snapshot),
        "sectors": Sector.objects.all(),
        "coverage_url": reverse("network:round_coverage", args=[round_.slug]),
    }
    return render(request, "network/staff/coverage.html", context)


def _refuse(request, round_, form):
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))
    return redirect(_back(round_))


def _back(round_):
    return reverse("network:round_coverage", args=[round_.slug]) + "#write-ins"


@require_POST
@staff_required
def merge_write_ins(request, slug):
    """Make a group of write-ins name an existing organization, once confirmed."""
    round_ = get_object_or_404(Round, slug=slug)
    form = MergeForm(round_, request.POST)
    if not form.is_valid():
        return _refuse(request, round_, form)
    keys = form.cleaned_data["keys"]
    organization = form.cleaned_data["organization"]

    if not form.cleaned_data["confirmed"]:
        context = {
            "round": round_,
            "action": "merge",
            "keys": keys,
            "organization": organization,
            "add_to_roster": form.cleaned_data["add_to_roster"],
            "on_roster": round_.roster_entries.filter(
                organization=organization
            ).exists(),
            "plan": write_ins.plan_merge(round_, keys, organization),
            "spellings": _spellings(round_, keys),
            "back": _back(round_),
        }
        return render(request, "network/staff/confirm_write_ins.html", context)

    moved, dropped = write_ins.merge_group(
        round_,
        keys,
        organization,
        add_to_roster=form.cleaned_data["add_to_roster"],
        actor=request.user,
    )
    messages.success(request, _merged_message(organization, moved, dropped))
    return redirect(_back(round_))


@require_POST
@staff_required
def create_from_write_ins(request, slug):
    """Create an organization from a group of write-ins, once confirmed."""
    round_ = get_object_or_404(Round, slug=slug)
    form = CreateForm(round_, request.POST)
    if not form.is_valid():
        return _refuse(request, round_, form)
    keys = form.cleaned_data["keys"]

    if not form.cleaned_data["confirmed"]:
        nominations = write_ins.group_nominations(round_, keys)
        context = {
            "round": round_,
            "action": "create",
            "keys": keys,
            "name": form.cleaned_data["name"],
            "sector": form.cleaned_data["sector"],
            "nominations": nominations.count(),
            "respondents": nominations.values("respondent").distinct().count(),
            "spellings": _spellings(round_, keys),
            "back": _back(round_),
        }
        return render(request, "network/staff/confirm_write_ins.html", context)

    organization, moved, dropped = write_ins.create_from_group(
        round_,
        keys,
        form.cleaned_data["name"],
        form.cleaned_data["sector"],
        actor=request.user,
    )
    logger.info(
        "user %s created organization %s from write-ins in round %s",
        request.user.pk,
        organization.pk,
        round_.pk,
    )
    messages.success(
        request,
        _("%(name)s was created and added to the roster.") % {"name": organization.name}
        + " "
        + _merged_message(organization, moved, dropped),
    )
    return redirect(_back(round_))


def _spellings(round_, keys):
    names = write_ins.group_nominations(round_, keys).values_list(
        "write_in_name", flat=True
    )
    return sorted(set(names))


def _merged_message(organization, moved, dropped):
    text = ngettext(
        "%(count)s nomination now names %(name)s.",
        "%(count)s nominations now name %(name)s.",
        moved,
    ) % {"count": moved, "name": organization.name}
    if dropped:
        text += " " + ngettext(
            "%(count)s duplicate was dropped.",
            "%(count)s duplicates were dropped.",
            dropped,
        ) % {"count": dropped}
    return text + " " + _("The network is being rebuilt.")
