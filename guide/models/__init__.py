from guide.models.entries import (
    Adoption,
    Entry,
    GuideSettings,
    Stage,
    Submission,
    Topic,
)
from guide.models.exchange import Digest, Event, Reflection, Reply

__all__ = [
    "Adoption",
    "Digest",
    "Entry",
    "Event",
    "GuideSettings",
    "Reflection",
    "Reply",
    "Stage",
    "Submission",
    "Topic",
]
