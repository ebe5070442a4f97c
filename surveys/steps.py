"""The seven steps of the survey, in order."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    short_title: str

    @property
    def number(self):
        return STEPS.index(self) + 1

    @property
    def template(self):
        return f"surveys/survey/{self.slug.replace('-', '_')}.html"

    def url(self, response):
        return reverse("surveys:survey_step", args=[response.pk, self.slug])


STEPS = [
    Step("organization", _("About your organization"), _("Organization")),
    Step("partners", _("Your partners"), _("Partners")),
    Step("partner-details", _("About each partner"), _("Details")),
    Step("aspirations", _("Organizations you would like to work with"), _("Wishes")),
    Step("practices", _("Equitable data practices"), _("Practices")),
    Step("visibility", _("Who may see your answers"), _("Privacy")),
    Step("review", _("Review and submit"), _("Submit")),
]
STEPS_BY_SLUG = {step.slug: step for step in STEPS}


def step_after(step):
    index = STEPS.index(step)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


def step_before(step):
    index = STEPS.index(step)
    return STEPS[index - 1] if index > 0 else None


def destination(step, go):
    """Return the step a "go" button leads to: next, previous or a step slug."""
    if go == "previous":
        return step_before(step) or step
    if go in STEPS_BY_SLUG:
        return STEPS_BY_SLUG[go]
    if go == "stay":
        return step
    return step_after(step) or step
