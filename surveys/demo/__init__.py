"""Invent a fictional region's partnership network for demonstrations.

Everything here is plain Python over plain data: given a seed and a moment,
the functions return the same organizations, rounds, responses, nominations
and practices every time. The load_demo command writes them to the database.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from surveys.demo.answers import (
    DemoRound,
    add_aspirations,
    add_write_ins,
    answer_round,
    choose_logins,
)
from surveys.demo.region import (
    evolve_ties,
    invent_organizations,
    invent_rosters,
    invent_ties,
)
from surveys.models import Round

DEFAULT_SEED = 2026
DEMO_PASSWORD = "edn-demo-2026"
STAFF_EMAIL = "staff@edn.example"


@dataclass
class DemoNetwork:
    organizations: list
    rounds: list
    logins: list


def build_demo_network(now, seed=DEFAULT_SEED):
    """Return the whole demo region: organizations, two rounds, logins."""
    rng = random.Random(seed)
    organizations = invent_organizations(rng)
    ties_before = invent_ties(rng, organizations)
    ties_now = evolve_ties(rng, organizations, ties_before)
    roster_before, roster_now = invent_rosters(rng, organizations)

    opens = now - timedelta(days=21)
    year = timedelta(days=364)
    rounds = [
        DemoRound(
            "2025",
            Round.Status.CLOSED,
            opens - year,
            opens - year + timedelta(days=42),
            roster_before,
        ),
        DemoRound(
            "2026", Round.Status.OPEN, opens, now + timedelta(days=21), roster_now
        ),
    ]
    answered_before = set()
    plans = [(ties_before, 2, 3), (ties_now, 4, rng.randint(8, 12))]
    for demo_round, (ties, drafts, write_ins) in zip(rounds, plans, strict=True):
        answer_round(rng, organizations, demo_round, ties, answered_before, drafts, now)
        add_write_ins(rng, organizations, demo_round, write_ins)
        answered_before = {r.organization for r in demo_round.responses}
    logins = choose_logins(rng, organizations, rounds[-1])
    add_aspirations(rng, rounds[-1], logins)
    return DemoNetwork(organizations, rounds, logins)
