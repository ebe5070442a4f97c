from surveys.models.answers import (
    Aspiration,
    CollaborationLevel,
    DataAgreement,
    DataSharing,
    Frequency,
    LifeCycleStage,
    Nomination,
    Practice,
    Response,
    Visibility,
)
from surveys.models.rounds import Invitation, RosterEntry, Round, SentEmail

__all__ = [
    "Aspiration",
    "CollaborationLevel",
    "DataAgreement",
    "DataSharing",
    "Frequency",
    "Invitation",
    "LifeCycleStage",
    "Nomination",
    "Practice",
    "Response",
    "RosterEntry",
    "Round",
    "SentEmail",
    "Visibility",
]
