"""Equitable data practices the survey suggests, stage by stage.

Each practice has a stable key stored on the Practice row, so a reworded or
translated label still counts the same practice.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from surveys.models import LifeCycleStage


@dataclass(frozen=True)
class SuggestedPractice:
    key: str
    stage: str
    label: str


SUGGESTED_PRACTICES = [
    SuggestedPractice(
        "planning-community-questions",
        LifeCycleStage.PLANNING,
        _("We ask the people the data is about which questions it should answer."),
    ),
    SuggestedPractice(
        "planning-budget-participation",
        LifeCycleStage.PLANNING,
        _("We budget time and pay for community members who help plan."),
    ),
    SuggestedPractice(
        "planning-harm-review",
        LifeCycleStage.PLANNING,
        _("Before a project starts, we write down who could be harmed by it."),
    ),
    SuggestedPractice(
        "planning-only-needed",
        LifeCycleStage.PLANNING,
        _("We decide up front which data we need and collect nothing more."),
    ),
    SuggestedPractice(
        "collection-plain-consent",
        LifeCycleStage.COLLECTION,
        _("We explain in plain words, and in people's languages, why we ask."),
    ),
    SuggestedPractice(
        "collection-self-identify",
        LifeCycleStage.COLLECTION,
        _("People describe their race, gender and identity in their own words."),
    ),
    SuggestedPractice(
        "collection-optional-questions",
        LifeCycleStage.COLLECTION,
        _("Sensitive questions are optional, and services never depend on them."),
    ),
    SuggestedPractice(
        "collection-accessible-forms",
        LifeCycleStage.COLLECTION,
        _("Our forms work on a phone, on paper and with a screen reader."),
    ),
    SuggestedPractice(
        "access-agreements",
        LifeCycleStage.ACCESS,
        _("We share record-level data only under a written data-use agreement."),
    ),
    SuggestedPractice(
        "access-least-access",
        LifeCycleStage.ACCESS,
        _("Staff see only the records they need for their work."),
    ),
    SuggestedPractice(
        "access-return-to-community",
        LifeCycleStage.ACCESS,
        _("Communities can get the data collected about them."),
    ),
    SuggestedPractice(
        "access-small-numbers",
        LifeCycleStage.ACCESS,
        _("We hide small counts so no one can be recognized."),
    ),
    SuggestedPractice(
        "analysis-disaggregate",
        LifeCycleStage.ANALYSIS,
        _("We break results down by race, language, place and income."),
    ),
    SuggestedPractice(
        "analysis-community-review",
        LifeCycleStage.ANALYSIS,
        _("Community members help interpret results before we publish them."),
    ),
    SuggestedPractice(
        "analysis-context",
        LifeCycleStage.ANALYSIS,
        _("We look at causes such as policy and history, not only at people."),
    ),
    SuggestedPractice(
        "analysis-check-bias",
        LifeCycleStage.ANALYSIS,
        _("We check scores and models for bias before using them."),
    ),
    SuggestedPractice(
        "reporting-strengths",
        LifeCycleStage.REPORTING,
        _("Our reports describe strengths, not only problems."),
    ),
    SuggestedPractice(
        "reporting-share-back",
        LifeCycleStage.REPORTING,
        _("We share results first with the people who gave the data."),
    ),
    SuggestedPractice(
        "reporting-plain-language",
        LifeCycleStage.REPORTING,
        _("We publish results in plain language and in the main local languages."),
    ),
    SuggestedPractice(
        "reporting-limits",
        LifeCycleStage.REPORTING,
        _("We say what the data cannot tell and who is missing from it."),
    ),
    SuggestedPractice(
        "governance-community-seat",
        LifeCycleStage.GOVERNANCE,
        _("Community members sit on the group that decides how data is used."),
    ),
    SuggestedPractice(
        "governance-written-policy",
        LifeCycleStage.GOVERNANCE,
        _("We have a written data policy that staff are trained on."),
    ),
    SuggestedPractice(
        "governance-retention",
        LifeCycleStage.GOVERNANCE,
        _("We delete data we no longer need, on a set schedule."),
    ),
    SuggestedPractice(
        "governance-complaints",
        LifeCycleStage.GOVERNANCE,
        _("People can ask what we hold about them and have it corrected."),
    ),
]

PRACTICES_BY_KEY = {practice.key: practice for practice in SUGGESTED_PRACTICES}


def practices_by_stage():
    """Return [(stage value, stage label, [suggested practices])] in order."""
    return [
        (
            value,
            label,
            [p for p in SUGGESTED_PRACTICES if p.stage == value],
        )
        for value, label in LifeCycleStage.choices
    ]
