"""Shared setup for the invitation tests: a clock, a round whose roster has
contacts, and reading the link out of a sent e-mail."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from tests.factories import MembershipFactory, OrganizationFactory, RoundFactory

LINK = re.compile(r"https?://\S+/i/[\w-]+/")


class Clock:
    """A stand-in for django.utils.timezone.now that moves only when told."""

    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now

    def advance(self, **kwargs):
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(timezone.now())
    monkeypatch.setattr(timezone, "now", clock)
    return clock


@pytest.fixture
def invite_round(organization, other_organization):
    """Return an open round of three organizations; the third has no contact."""
    round_ = RoundFactory(name="2026", slug="2026")
    MembershipFactory(organization=organization, user__email="ana@northside.example")
    MembershipFactory(
        organization=other_organization, user__email="ben@riverbend.example"
    )
    no_contact = OrganizationFactory(name="Hilltop Youth Club")
    for member in [organization, other_organization, no_contact]:
        round_.roster_entries.create(organization=member)
    return round_


def link_in(message):
    """Return the invitation link in an e-mail's text, checking the HTML too."""
    links = LINK.findall(message.body)
    assert len(set(links)) == 1, message.body
    html = message.alternatives[0][0]
    assert links[0] in html
    return links[0]


def path_of(link):
    return urlsplit(link).path
