"""The access tests' world, with hostile names and texts everywhere they show.

The rows are written directly rather than through the forms: the forms are
tried in test_hostile_storage.py, and this world needs names the forms
would trim, such as one starting with a tab.
"""

from guide.models import Event
from network.services import rebuild_round
from surveys.models import Nomination, Practice
from tests.edn.access_world import build_world
from tests.factories import OrganizationFactory, RosterEntryFactory
from tests.security.hostile import (
    EMOJI,
    FORMULAS,
    IMAGE,
    JAVASCRIPT_LINK,
    LONG,
    NAMES,
    RIGHT_TO_LEFT,
    SCRIPT,
    SVG,
    ZERO_WIDTH,
)

# Write-ins carry every name too, told apart from the organizations'.
WRITE_INS = [f"{name} (written in)" for name in NAMES]
STORY = f"{JAVASCRIPT_LINK}\n\n{SCRIPT} {IMAGE} {SVG}"


def build_hostile_world():
    """Return the access world whose organizations and texts are hostile."""
    world = build_world()
    for organization, name in [
        (world.organization, IMAGE),
        (world.other_organization, SCRIPT),
        (world.invited_response.organization, SVG),
    ]:
        organization.name = name
        organization.short_name = name[:40]
        organization.save()

    extra = [
        OrganizationFactory(name=name)
        for name in [RIGHT_TO_LEFT, ZERO_WIDTH, EMOJI, *FORMULAS]
    ]
    for round_ in (world.earlier_round, world.round):
        for organization in extra:
            RosterEntryFactory(round=round_, organization=organization)
        for response in round_.responses.filter(
            organization__in=[world.organization, world.other_organization]
        ):
            for organization in extra:
                Nomination.objects.create(response=response, partner=organization)
            for name in WRITE_INS:
                Nomination.objects.create(response=response, write_in_name=name)

    Practice.objects.filter(response__in=[world.response, world.other_response]).update(
        text=STORY
    )
    world.entry.title = SVG
    world.entry.text = STORY
    world.entry.save()
    world.reflection.title = IMAGE
    world.reflection.body = LONG[:4000] + STORY
    world.reflection.save()
    world.reply.body = STORY
    world.reply.save()
    Event.objects.filter(pk=world.event.pk).update(title=SCRIPT, place=SVG)

    rebuild_round(world.earlier_round.id, force=True)
    rebuild_round(world.round.id, force=True)
    return world
