"""The survey's forms: each accepts only the answers of its step.

None of them has a field for the organization, the round, the status or a
timestamp, so a tampered form cannot change those.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.models import Sector, Service
from surveys.models import LifeCycleStage, Nomination, Practice, Response, Visibility
from surveys.practices import SUGGESTED_PRACTICES

RATING_CHOICES = [("", _("—"))] + [(str(n), str(n)) for n in range(1, 5)]
STORY_MAX_LENGTH = 3000


class AccessibleFormMixin:
    """Give widgets Bootstrap classes and point invalid fields at their errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            # CheckboxSelectMultiple is a kind of RadioSelect.
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"


class AboutForm(AccessibleFormMixin, forms.ModelForm):
    sector = forms.ModelChoiceField(
        Sector.objects.all(),
        required=False,
        label=_("Sector"),
        empty_label=_("Choose…"),
    )
    services = forms.ModelMultipleChoiceField(
        Service.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Services you provide"),
    )

    class Meta:
        model = Response
        fields = ["sector", "services", "service_area", "size_band"]
        labels = {
            "service_area": _("Area you serve"),
            "size_band": _("Size"),
        }
        help_texts = {
            "service_area": _("For example: the county, a city, or a few ZIP codes."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        size = self.fields["size_band"]
        size.choices = [("", _("Choose…")), *size.choices[1:]]


class PartnerDetailsForm(AccessibleFormMixin, forms.ModelForm):
    trust = forms.TypedChoiceField(
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        label=_("Trust (optional, 1–4)"),
    )
    value = forms.TypedChoiceField(
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        label=_("Value to you (optional, 1–4)"),
    )
    services = forms.ModelMultipleChoiceField(
        Service.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Services involved"),
    )

    class Meta:
        model = Nomination
        fields = [
            "collaboration_level",
            "frequency",
            "sends_referrals",
            "receives_referrals",
            "data_sharing",
            "data_agreement",
            "services",
            "trust",
            "value",
            "wants_to_deepen",
        ]
        labels = {
            "collaboration_level": _("Level"),
            "frequency": _("How often"),
            "sends_referrals": _("We refer clients to them"),
            "receives_referrals": _("They refer clients to us"),
            "data_sharing": _("Data we share"),
            "data_agreement": _("Data-use agreement"),
            "wants_to_deepen": _("We would like to deepen this"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["frequency"].choices = [
            ("", _("—")),
            *self.fields["frequency"].choices[1:],
        ]


class WriteInForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(
        max_length=200,
        label=_("Organization not in the list"),
        help_text=_("Its full name, as people know it."),
    )


class PracticesForm(AccessibleFormMixin, forms.Form):
    practices = forms.MultipleChoiceField(
        choices=[(p.key, p.label) for p in SUGGESTED_PRACTICES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Practices you use"),
    )
    story = forms.CharField(
        max_length=STORY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        label=_("Tell us about one practice you are proud of (optional)"),
    )
    story_stage = forms.ChoiceField(
        choices=LifeCycleStage.choices,
        initial=LifeCycleStage.PLANNING,
        label=_("Which stage is your story mostly about?"),
    )
    consent = forms.ChoiceField(
        choices=Practice.Consent.choices,
        initial=Practice.Consent.PRIVATE,
        widget=forms.RadioSelect,
        label=_("May EDN publish your practices and story in the practice guide?"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["story"].help_text = _(
            "What you do, why, and what changed. Up to %(count)s characters."
        ) % {"count": STORY_MAX_LENGTH}

    @classmethod
    def initial_for(cls, response):
        """Return the form's initial answers from the response's practices."""
        rows = list(response.practices.all())
        story = next((p for p in rows if p.is_story), None)
        return {
            "practices": [p.suggestion for p in rows if not p.is_story],
            "story": story.text if story else "",
            "story_stage": story.stage if story else LifeCycleStage.PLANNING,
            "consent": rows[0].consent if rows else Practice.Consent.PRIVATE,
        }


class VisibilityForm(AccessibleFormMixin, forms.ModelForm):
    visibility = forms.ChoiceField(
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        label=_("Who may see your answers?"),
    )

    class Meta:
        model = Response
        fields = ["visibility", "consent_to_contact"]
        labels = {
            "consent_to_contact": _("The EDN team may contact us about our answers."),
        }


class SubmitForm(AccessibleFormMixin, forms.Form):
    consent_to_participate = forms.BooleanField(
        label=_(
            "We agree that EDN stores these answers and uses them as chosen in step 6."
        ),
        error_messages={
            "required": _("Please tick the box to agree before submitting.")
        },
    )
