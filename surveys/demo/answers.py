"""Answer the demo rounds: responses, nominations, write-ins, practices."""

from dataclasses import dataclass, field

from django.utils.text import slugify

from organizations.models import normalize_name
from surveys.demo.region import APART, LEVELS, data_terms
from surveys.demo.words import NEW_KINDS, PLACES, PRACTICES
from surveys.models import (
    CollaborationLevel,
    DataAgreement,
    DataSharing,
    Frequency,
    Practice,
    Response,
    Visibility,
)

RESPONSE_RATE = 0.7
FREQUENCIES = [
    [Frequency.YEARLY, Frequency.QUARTERLY, Frequency.QUARTERLY],
    [Frequency.QUARTERLY, Frequency.MONTHLY, Frequency.MONTHLY],
    [Frequency.MONTHLY, Frequency.WEEKLY, Frequency.WEEKLY],
]
RATING_WEIGHTS = [[1, 3, 4, 2], [1, 2, 4, 3], [0.5, 1, 3, 5]]


@dataclass
class DemoNomination:
    partner: int | None
    write_in_name: str = ""
    collaboration_level: str = CollaborationLevel.COMMUNICATION
    sends_referrals: bool = False
    receives_referrals: bool = False
    data_sharing: str = DataSharing.NONE
    data_agreement: str = DataAgreement.NONE
    frequency: str = ""
    trust: int | None = None
    value: int | None = None
    services: list = field(default_factory=list)
    wants_to_deepen: bool = False


@dataclass
class DemoResponse:
    organization: int
    status: str
    visibility: str
    consent_to_participate: bool
    consent_to_contact: bool
    submitted_at: object = None
    nominations: list = field(default_factory=list)
    practices: list = field(default_factory=list)
    # Organizations it would like to work with but does not yet.
    aspirations: list = field(default_factory=list)


@dataclass
class DemoRound:
    name: str
    status: str
    opens_at: object
    closes_at: object
    roster: list
    responses: list = field(default_factory=list)


def answer_round(rng, organizations, demo_round, ties, answered_before, drafts, now):
    """Fill the round with submitted responses, a few drafts and their ties."""
    roster = set(demo_round.roster)
    fragment = [i for i in demo_round.roster if organizations[i].role == "fragment"]
    forced = rng.sample(fragment, len(fragment) - 1) + [
        i for i in demo_round.roster if organizations[i].role == "broker"
    ]
    others = [
        i for i in demo_round.roster if not organizations[i].role and i not in forced
    ]
    others.sort(key=lambda i: rng.random() + 0.4 * (i in answered_before), reverse=True)
    submitted = round(RESPONSE_RATE * len(roster)) - len(forced)
    respondents = sorted(forced + others[:submitted])
    started = others[submitted : submitted + drafts]

    partners = {}
    for a, b in ties:
        partners.setdefault(a, []).append(b)
        partners.setdefault(b, []).append(a)
    span = min(demo_round.closes_at, now) - demo_round.opens_at
    for i in sorted(respondents + started):
        is_draft = i in started
        visibility = organizations[i].visibility
        response = DemoResponse(
            i,
            Response.Status.DRAFT if is_draft else Response.Status.SUBMITTED,
            visibility if rng.random() < 0.9 else rng.choice(list(Visibility)),
            consent_to_participate=not is_draft,
            consent_to_contact=rng.random() < 0.75,
        )
        if not is_draft:
            response.submitted_at = demo_round.opens_at + span * rng.random()
        for partner in partners.get(i, []):
            tie = ties[min(i, partner), max(i, partner)]
            recall = 0.92 if tie.level == LEVELS[-1] else 0.78
            if partner in roster and rng.random() < recall:
                response.nominations.append(
                    _nominate(rng, organizations, i, partner, tie)
                )
        if is_draft:
            del response.nominations[len(response.nominations) // 2 :]
        else:
            response.practices = _practices(rng, organizations, response)
        demo_round.responses.append(response)


def _nominate(rng, organizations, respondent, partner, tie):
    """Report a tie as the respondent sees it, which may differ a little."""
    level = LEVELS.index(tie.level)
    sharing, agreement = tie.data_sharing, tie.data_agreement
    if rng.random() < 0.2:
        level = min(2, max(0, level + rng.choice((-1, 1))))
        sharing, agreement = data_terms(rng, level)
    sends, receives = tie.refers, tie.referred
    if respondent > partner:
        sends, receives = receives, sends
    offered = organizations[partner].services
    services = sorted(set(organizations[respondent].services) & set(offered))
    services = services or offered[:1]
    return DemoNomination(
        partner,
        collaboration_level=LEVELS[level],
        sends_referrals=sends,
        receives_referrals=receives,
        data_sharing=sharing,
        data_agreement=agreement,
        frequency=rng.choice(FREQUENCIES[level]) if rng.random() < 0.9 else "",
        trust=_rating(rng, level) if rng.random() < 0.55 else None,
        value=_rating(rng, level) if rng.random() < 0.5 else None,
        services=rng.sample(services, min(2, len(services))),
        wants_to_deepen=rng.random() < (0.25 if level == 0 else 0.12),
    )


def _rating(rng, level):
    return rng.choices([1, 2, 3, 4], RATING_WEIGHTS[level])[0]


def _practices(rng, organizations, response):
    if rng.random() > 0.85:
        return []
    organization = organizations[response.organization]
    named = [organizations[n.partner] for n in response.nominations]
    practices = []
    for stage in rng.sample(list(PRACTICES), rng.choice([1, 1, 2, 2, 3])):
        partner = rng.choice(named) if named else None
        text = rng.choice(PRACTICES[stage]).format(
            place=organization.place,
            partner=(partner.short_name or partner.name) if partner else "a partner",
        )
        consent = rng.choices(list(Practice.Consent), [0.45, 0.3, 0.25])[0]
        practices.append((stage, text, consent))
    return practices


def add_write_ins(rng, organizations, demo_round, count):
    """Add nominations of names that are not on the round's roster."""
    roster = set(demo_round.roster)
    known = {normalize_name(o.name) for o in organizations}
    listed = [i for i in demo_round.roster if organizations[i].role not in APART]
    unlisted = [i for i in range(len(organizations)) if i not in roster]
    submitted = [r for r in demo_round.responses if r.submitted_at]
    for n in range(count):
        if n % 3 == 0 or (n % 3 == 1 and not unlisted):
            name = misspell(rng, organizations[rng.choice(listed)].name, known)
        elif n % 3 == 1:
            name = organizations[rng.choice(unlisted)].name
            if rng.random() < 0.5:
                name = misspell(rng, name, known)
        else:
            name = f"{rng.choice(PLACES)} {rng.choice(NEW_KINDS)}"
        response = rng.choice(submitted)
        written = {normalize_name(w.write_in_name) for w in response.nominations}
        if normalize_name(name) in written:
            continue
        level = rng.choice(LEVELS[:2])
        response.nominations.append(
            DemoNomination(
                None,
                write_in_name=name,
                collaboration_level=level,
                frequency=rng.choice(FREQUENCIES[LEVELS.index(level)]),
                wants_to_deepen=rng.random() < 0.3,
            )
        )


def misspell(rng, name, known):
    """Return a typo-variant of name that matches no known name exactly."""
    abbreviations = {"Center": "Ctr.", "Department": "Dept.", "Community": "Comm."}
    for _ in range(50):
        words = name.split()
        i = rng.randrange(len(words))
        word = words[i]
        j = rng.randrange(1, max(2, len(word) - 1))
        words[i] = rng.choice(
            [
                word[:j] + word[j + 1 :],
                word[:j] + word[j + 1 : j + 2] + word[j] + word[j + 2 :],
                word[:j] + word[j] + word[j:],
                abbreviations.get(word, word + "s"),
            ]
        )
        variant = " ".join(words)
        if normalize_name(variant) not in known:
            return variant
    return f"{name} Inc."


def choose_logins(rng, organizations, demo_round):
    """Return organizations whose contacts get the demo password."""
    chosen = []
    for visibility in Visibility:
        candidates = [
            r.organization
            for r in demo_round.responses
            if r.submitted_at and r.visibility == visibility
        ]
        chosen.append(rng.choice(candidates))
    drafts = [r.organization for r in demo_round.responses if not r.submitted_at]
    chosen.append(rng.choice(drafts))
    for i in chosen:
        organization = organizations[i]
        organization.contact_email = f"contact@{slugify(organization.name)}.example"
    return chosen


def add_aspirations(rng, demo_round, logins):
    """Let respondents list organizations they would like to work with.

    The demo logins that show their answers to participants wish for each
    other and each for one more named respondent who wishes for them too,
    so mutual matches show on My organization; every login and a few other
    respondents also wish one-sidedly. Nobody wishes for a partner it has.
    """
    responses = {r.organization: r for r in demo_round.responses}
    submitted = {i: r for i, r in responses.items() if r.submitted_at}
    tied = set()
    for i, response in responses.items():
        for n in response.nominations:
            if n.partner is not None:
                tied |= {(i, n.partner), (n.partner, i)}

    def free(i, j):
        return i != j and (i, j) not in tied and j not in responses[i].aspirations

    def wish(i, j, mutual=False):
        responses[i].aspirations.append(j)
        if mutual:
            responses[j].aspirations.append(i)

    shown = (Visibility.NAMED, Visibility.ANONYMOUS)
    sharing = [i for i in logins if i in submitted and submitted[i].visibility in shown]
    named = sorted(
        i
        for i, r in submitted.items()
        if r.visibility == Visibility.NAMED and i not in logins
    )
    if len(sharing) >= 2 and free(sharing[0], sharing[1]):
        wish(sharing[0], sharing[1], mutual=True)
    for i in sharing:
        match = next(j for j in rng.sample(named, len(named)) if free(i, j))
        wish(i, match, mutual=True)
    everyone = sorted(submitted)
    for i in [*logins, *rng.sample(named, 10)]:
        if i in responses:
            wish(i, next(j for j in rng.sample(everyone, len(everyone)) if free(i, j)))
