"""Invent the organizations of the demo region and the ties they really have."""

import itertools
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.utils.text import slugify

from organizations.models import normalize_name
from surveys.demo.words import (
    AREA_PHRASES,
    DESCRIPTIONS,
    KINDS,
    PLACES,
    SECTOR_SIZES,
    SERVICE_PHRASES,
    SIZE_BANDS,
    SIZE_PHRASES,
    STREETS,
    WIDE_AREAS,
)
from surveys.models import CollaborationLevel, DataAgreement, DataSharing, Visibility

CENTER = (38.63, -90.2)
# Roles whose organizations stay out of the main network.
APART = ("fragment", "isolate")
BROKER_KINDS = [
    "Public Health Department",
    "Data Collaborative",
    "Community Foundation",
    "United Fund",
    "Community Action Agency",
    "Community Health Center",
]
FRAGMENT_KINDS = [
    "Community Church",
    "Baptist Church",
    "Islamic Center",
    "Interfaith Council",
    "Ministries",
]
KIND_SERVICES = {kind: services for kinds in KINDS.values() for kind, services in kinds}
REFERRAL_SERVICES = {
    "Health service",
    "Housing and shelter",
    "Case management",
    "Substance use recovery and treatment",
}
LEVELS = list(CollaborationLevel)


@dataclass
class DemoOrganization:
    name: str
    place: str
    kind: str
    sector: str
    services: list
    role: str = ""
    short_name: str = ""
    aliases: list = field(default_factory=list)
    description: str = ""
    website: str = ""
    address: str = ""
    zip_code: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    service_area: str = ""
    size_band: str = ""
    visibility: str = Visibility.NAMED
    contact_email: str = ""


@dataclass
class Tie:
    """The relation two organizations really have; respondents report it."""

    level: str
    refers: bool
    referred: bool
    data_sharing: str
    data_agreement: str


def invent_organizations(rng):
    """Return about 150 organizations with names, places and services."""
    anchors = {
        place: (rng.gauss(CENTER[0], 0.05), rng.gauss(CENTER[1], 0.07), zip_code)
        for place, zip_code in zip(PLACES, range(63101, 63200), strict=False)
    }
    names = set()
    fragment_place = rng.choice(PLACES)
    organizations = [
        _organization(rng, fragment_place, kind, "Faith-based", names)
        for kind in FRAGMENT_KINDS
    ]
    for organization in organizations:
        organization.role = "fragment"
    for sector, size in SECTOR_SIZES.items():
        kinds = [kind for kind, _ in KINDS[sector]]
        rng.shuffle(kinds)
        if sector == "Faith-based":
            size -= len(FRAGMENT_KINDS)
        for kind in itertools.islice(itertools.cycle(kinds), size):
            free = [p for p in PLACES if normalize_name(f"{p} {kind}") not in names]
            organizations.append(
                _organization(rng, rng.choice(free), kind, sector, names)
            )

    short_names = set()
    for organization in organizations:
        _describe(rng, organization, anchors[organization.place], short_names)
    for kind in BROKER_KINDS:
        next(o for o in organizations if o.kind == kind and not o.role).role = "broker"
    plain = [o for o in organizations if not o.role]
    for organization in rng.sample(plain, 6):
        organization.role = "isolate"
    return organizations


def _organization(rng, place, kind, sector, names):
    name = f"{place} {kind}"
    names.add(normalize_name(name))
    services = list(KIND_SERVICES[kind])
    others = sorted({s for _, group in KINDS[sector] for s in group} - set(services))
    if others and rng.random() < 0.35:
        services.append(rng.choice(others))
    return DemoOrganization(name, place, kind, sector, services)


def _describe(rng, organization, anchor, short_names):
    name, place = organization.name, organization.place
    words = [w for w in re.findall(r"[A-Za-z]+", name) if w not in {"of", "and"}]
    acronym = "".join(w[0] for w in words).upper()
    if len(words) >= 3 and acronym not in short_names:
        organization.short_name = acronym
        short_names.add(acronym)
    kind = organization.kind
    if " " in kind and " of " not in kind and rng.random() < 0.25:
        organization.aliases.append(f"{kind} of {place}")
    if organization.short_name and rng.random() < 0.15:
        organization.aliases.append(f"{organization.short_name} {place}")

    organization.size_band = rng.choice(SIZE_BANDS[organization.sector])
    wide = organization.size_band in ("large", "very_large") and rng.random() < 0.6
    organization.service_area = rng.choice(WIDE_AREAS) if wide else place
    area = organization.service_area
    organization.description = rng.choice(DESCRIPTIONS).format(
        area=AREA_PHRASES.get(area, area),
        year=rng.randint(1952, 2021),
        services=" and ".join(SERVICE_PHRASES[s] for s in organization.services[:2]),
        size=SIZE_PHRASES[organization.size_band],
    )
    organization.website = f"https://{slugify(name)}.example.org/"
    organization.address = f"{rng.randint(100, 9899)} {rng.choice(STREETS)}"
    latitude, longitude, zip_code = anchor
    organization.zip_code = str(zip_code)
    organization.latitude = Decimal(f"{rng.gauss(latitude, 0.008):.6f}")
    organization.longitude = Decimal(f"{rng.gauss(longitude, 0.01):.6f}")
    organization.visibility = rng.choices(list(Visibility), [0.7, 0.2, 0.1])[0]
    if rng.random() < 0.88:
        organization.contact_email = f"contact@{slugify(name)}.example"


def invent_ties(rng, organizations):
    """Return last year's true ties as {(a, b): Tie} with a < b."""
    ties = {}
    core = [i for i, o in enumerate(organizations) if o.role not in APART]
    for a, b in itertools.combinations(core, 2):
        if rng.random() < _tie_chance(organizations[a], organizations[b]):
            ties[a, b] = _invent_tie(rng, organizations[a], organizations[b])
    linked = {i for pair in ties for i in pair}
    for a in core:
        if a not in linked:
            sector = organizations[a].sector
            peers = [b for b in core if b != a and organizations[b].sector == sector]
            b = rng.choice(peers)
            ties[min(a, b), max(a, b)] = _invent_tie(
                rng, organizations[a], organizations[b]
            )

    # The faith-based fragment works closely together and with nobody else.
    fragment = [i for i, o in enumerate(organizations) if o.role == "fragment"]
    pairs = list(itertools.combinations(fragment, 2))
    for a, b in rng.sample(pairs, len(pairs) - 2):
        ties[a, b] = _invent_tie(rng, organizations[a], organizations[b])
    return ties


def _tie_chance(x, y):
    if "broker" in (x.role, y.role):
        return 0.3
    if x.sector == y.sector:
        chance = 0.2
    elif set(x.services) & set(y.services) or (
        REFERRAL_SERVICES & set(x.services) and REFERRAL_SERVICES & set(y.services)
    ):
        chance = 0.05
    else:
        chance = 0.012
    return chance + (0.08 if x.place == y.place else 0)


def _invent_tie(rng, x, y):
    weights = [0.5, 0.32, 0.18] if x.sector == y.sector else [0.62, 0.28, 0.1]
    level = rng.choices(range(3), weights)[0]
    both = sum(bool(REFERRAL_SERVICES & set(o.services)) for o in (x, y))
    referral = [0.04, 0.2, 0.55][both]
    return Tie(
        LEVELS[level],
        rng.random() < referral,
        rng.random() < referral,
        *data_terms(rng, level),
    )


def data_terms(rng, level):
    sharing = rng.choices(
        list(DataSharing),
        [[0.85, 0.15, 0], [0.55, 0.4, 0.05], [0.1, 0.4, 0.5]][level],
    )[0]
    if sharing == DataSharing.NONE:
        return sharing, DataAgreement.NONE
    weights = [[0.8, 0.15, 0.05], [0.5, 0.3, 0.2], [0.1, 0.3, 0.6]][level]
    return sharing, rng.choices(list(DataAgreement), weights)[0]


def evolve_ties(rng, organizations, ties):
    """Return this year's ties: most of last year's, some lost, some new."""
    evolved = {}
    for pair, tie in ties.items():
        if "fragment" in (organizations[pair[0]].role, organizations[pair[1]].role):
            evolved[pair] = tie
        elif rng.random() < 0.1:
            continue
        elif tie.level != LEVELS[-1] and rng.random() < 0.1:
            level = LEVELS.index(tie.level) + 1
            sharing, agreement = data_terms(rng, level)
            evolved[pair] = replace(
                tie, level=LEVELS[level], data_sharing=sharing, data_agreement=agreement
            )
        else:
            evolved[pair] = tie
    core = [i for i, o in enumerate(organizations) if o.role not in APART]
    for a, b in itertools.combinations(core, 2):
        chance = _tie_chance(organizations[a], organizations[b]) * 0.15
        if (a, b) not in ties and rng.random() < chance:
            evolved[a, b] = _invent_tie(rng, organizations[a], organizations[b])
    return evolved


def invent_rosters(rng, organizations):
    """Return last year's and this year's rosters as organization indices."""
    plain = [i for i, o in enumerate(organizations) if not o.role]
    chosen = rng.sample(plain, 10)
    unlisted, joined = set(chosen[:4]), set(chosen[4:])
    for i in unlisted:
        organizations[i].role = "unlisted"
    roster_now = [i for i in range(len(organizations)) if i not in unlisted]
    return [i for i in roster_now if i not in joined], roster_now
