"""Forms of the guide's review pages and of the learning exchange."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guide.models import Entry, Event, Reflection, Reply, Stage, Topic
from surveys.models import CollaborationLevel, Round


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the guide"), required=False, max_length=100)
    stage = forms.ModelChoiceField(
        Stage.objects.all(),
        label=_("Stage"),
        required=False,
        to_field_name="slug",
        empty_label=_("All stages"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    topic = forms.ModelChoiceField(
        Topic.objects.all(),
        label=_("Topic"),
        required=False,
        to_field_name="slug",
        empty_label=_("All topics"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    level = forms.ChoiceField(
        label=_("Collaboration level"),
        required=False,
        choices=[("", _("Any level")), *CollaborationLevel.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class EntryForm(forms.ModelForm):
    """Staff's edit of an entry: words, stage and tags."""

    class Meta:
        model = Entry
        fields = ["title", "text", "stage", "collaboration_level", "topics"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            "topics": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collaboration_level"].choices = [
            ("", _("No particular level")),
            *CollaborationLevel.choices,
        ]


class MergeForm(forms.Form):
    entry = forms.ModelChoiceField(
        Entry.objects.all(),
        label=_("Same practice as"),
        empty_label=_("Choose an entry"),
        error_messages={"invalid_choice": _("That entry no longer exists.")},
    )


class DeclineForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the organization"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Say why, kindly; the organization's contacts can read it."),
    )


class StageForm(forms.ModelForm):
    class Meta:
        model = Stage
        fields = ["title", "summary", "introduction", "questions"]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 5}),
            "questions": forms.Textarea(attrs={"rows": 4}),
        }


class ReflectionForm(forms.ModelForm):
    """A member's reflection, posted for one of their organizations."""

    organization = forms.ModelChoiceField(
        queryset=None, label=_("Posting for"), empty_label=None
    )

    class Meta:
        model = Reflection
        fields = ["organization", "title", "body", "round", "stage", "theme"]
        widgets = {"body": forms.Textarea(attrs={"rows": 7})}
        help_texts = {
            "theme": _('For example "what changed after our first data-use '
                       'agreement".'),
        }  # fmt: skip

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        if self.instance.pk:
            del self.fields["organization"]
        self.fields["round"].queryset = Round.objects.exclude(status=Round.Status.DRAFT)
        self.fields["round"].empty_label = _("No particular round")
        self.fields["stage"].empty_label = _("No particular stage")


class ReplyForm(forms.ModelForm):
    class Meta:
        model = Reply
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}
        labels = {"body": _("Your reply")}


class EventForm(forms.ModelForm):
    link = forms.URLField(
        label=_("Link"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "link",
            "stages",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "description": forms.Textarea(attrs={"rows": 3}),
            "stages": forms.CheckboxSelectMultiple,
        }

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("place") and not cleaned.get("link"):
            raise forms.ValidationError(_("Give a place, a link, or both."))
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The event must end after it starts."))
        return cleaned
