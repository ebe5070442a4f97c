from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.models import Round


class RosterUploadForm(forms.Form):
    # An empty file is reported by the roster reader with the other problems.
    file = forms.FileField(
        label=_("Roster file"),
        allow_empty_file=True,
        help_text=_(
            "CSV (UTF-8) or Excel (.xlsx) with the columns name, sector, "
            "services and contact_email; services and aliases are separated "
            "by “;”."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    round = forms.ModelChoiceField(
        label=_("Add to the roster of"),
        queryset=Round.objects.exclude(status=Round.Status.CLOSED),
        required=False,
        empty_label=_("No round"),
        help_text=_("Only rounds that are not closed can be chosen."),
    )


class RosterConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        label=_("Keep this organization"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = organizations
