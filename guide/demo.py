"""Demo content for the guide and the exchange, drawn from the demo answers."""

import logging
import random
import re
from datetime import timedelta

from guide import services
from guide.digests import generate_digest
from guide.models import (
    Adoption,
    Digest,
    Entry,
    Event,
    Reflection,
    Reply,
    Stage,
    Submission,
    Topic,
)
from organizations.models import Membership, User
from surveys.demo import STAFF_EMAIL
from surveys.demo.words import PRACTICES
from surveys.models import Response, Round

logger = logging.getLogger(__name__)

# Per survey stage, in the order of surveys.demo.words.PRACTICES: the title
# staff gave the entry, its topics and its collaboration level.
EDITS = {
    "planning": [
        ("Ask residents which questions the data should answer",
         ["community-voice"], ""),
        ("A community advisory board reviews every survey", ["community-voice"], ""),
        ("Pay residents who help design data collection", ["community-voice"], ""),
        ("Agree on shared definitions before comparing numbers",
         ["agreements"], "coordination"),
        ("Map who already holds the data before collecting more", [], "coordination"),
    ],
    "collection": [
        ("Let people skip any question", ["consent", "privacy"], ""),
        ("Race and ethnicity in people's own words", ["disaggregation"], ""),
        ("Surveys in the region's languages, with interpreters",
         ["language-access"], ""),
        ("Peer outreach workers collect door-to-door surveys",
         ["community-voice"], "coordination"),
        ("Explain in plain language how each answer is used", ["consent"], ""),
    ],
    "access": [
        ("A signed data-use agreement sets what each side may see",
         ["agreements", "privacy"], "collaboration"),
        ("Clients can get a copy of everything held about them", ["ownership"], ""),
        ("Move record-level data only through secure transfer",
         ["privacy"], "collaboration"),
        ("Share aggregate counts instead of client lists",
         ["privacy"], "coordination"),
        ("Consent to share can be withdrawn at any time", ["consent"], ""),
    ],
    "analysis": [
        ("Break results down so gaps are not averaged away", ["disaggregation"], ""),
        ("Residents help interpret findings before publication",
         ["community-voice"], ""),
        ("Suppress small counts to protect small groups", ["privacy"], ""),
        ("Compare outcomes with a shared baseline", [], "coordination"),
        ("Partners review methods before results go out", [], "collaboration"),
    ],
    "reporting": [
        ("End every report with a plain-language summary", ["sharing-results"], ""),
        ("Present results at community meetings first",
         ["sharing-results", "community-voice"], ""),
        ("Dashboards say where data came from and what it leaves out",
         ["sharing-results"], ""),
        ("Return findings to the people who gave them",
         ["sharing-results", "language-access"], ""),
        ("Publish data tables so partners can check the numbers",
         ["sharing-results"], "coordination"),
    ],
    "governance": [
        ("A resident committee decides who may use records",
         ["ownership", "community-voice"], ""),
        ("Review data-sharing agreements every year", ["agreements"], "collaboration"),
        ("Yearly privacy training for everyone handling client data",
         ["privacy"], ""),
        ("Keep a public log of approved data requests", ["ownership"], ""),
        ("Partners take turns chairing a shared data council",
         ["agreements"], "collaboration"),
    ],
}  # fmt: skip

REFLECTIONS = [
    (
        "What changed after we signed our first data-use agreement",
        "We expected the agreement to slow us down. It did the opposite: once "
        "both sides had written down what each may see, our staff stopped "
        "asking permission for every report.\n\n"
        "- Start from a template, but read it together, line by line.\n"
        "- Name one person on each side who answers questions.\n\n"
        "The hardest part was agreeing how long to keep the records.",
        "access-and-sharing",
        "Our first data-use agreement",
        True,
    ),
    (
        "Asking residents the questions first",
        "This year we held two listening sessions before writing our intake "
        "form. Residents asked us to drop three questions we thought were "
        "essential, and to add one about transport we had never considered.",
        "planning-and-governance",
        "",
        False,
    ),
    (
        "Our survey answers surprised our board",
        "Seeing the map, our board noticed we talk to many partners but "
        "collaborate with very few. We picked two partnerships to deepen "
        "this year.",
        None,
        "Reading the network map",
        False,
    ),
    (
        "Small counts, big consequences",
        "A table we published showed four families in one neighborhood. "
        "Someone recognized them. We now suppress any count under eleven "
        "and check every table twice.",
        "analysis",
        "",
        False,
    ),
    (
        "Translating results, not just surveys",
        "We translated our survey for years but published results only in "
        "English. This round we returned findings in three languages, and "
        "turnout at the community meeting doubled.",
        "reporting-and-dissemination",
        "Language access",
        False,
    ),
    (
        "Letting people describe themselves",
        "Open text boxes for identity made analysis harder at first. We "
        "worked with a partner to group answers with the people who gave "
        "them, and the categories are better for it.",
        "collection",
        "",
        False,
    ),
]
REPLIES = [
    "Thank you for writing this up. Could you share the template you started from?",
    "We had the same worry about retention periods. We settled on three years.",
    "This matches what we saw: once the rules were clear, people shared more.",
    "Did residents get paid for the listening sessions? We are planning ours.",
    "We are trying this next spring and would love to compare notes.",
    "Suppression thresholds differ between our funders; we use the strictest.",
    "The community meeting idea is great. How did you reach people?",
]
EVENTS = [
    ("Breakout: writing a data-use agreement together", 12, "Eastside Library, "
     "room 2", "", ["access-and-sharing", "planning-and-governance"]),
    ("Workshop: reporting results back to communities", 26, "",
     "https://meet.example.org/edn-reporting", ["reporting-and-dissemination"]),
    ("Network gathering: reading this year's map", 44, "Riverside Community Hall",
     "https://meet.example.org/edn-gathering", ["analysis", "collection"]),
]  # fmt: skip
PENDING_LEFT = 6
DECLINED = 2


def write_guide_demo(now, seed=2026):
    """Publish demo practices, add reflections, events and a digest."""
    rng = random.Random(seed)
    for model in (Digest, Reflection, Event, Entry):
        model.objects.all().delete()
    services.sync_submissions()
    staff = User.objects.filter(email=STAFF_EMAIL).first()

    # One line per reviewed practice is right for staff, noise for a demo.
    review_log = logging.getLogger(services.__name__)
    level = review_log.level
    review_log.setLevel(logging.WARNING)
    try:
        entries = _publish(rng, now, staff)
    finally:
        review_log.setLevel(level)
    contacts = _contacts()
    _adopt(rng, entries, contacts)
    reflections = _reflect(rng, now, contacts)
    _plan_events(now)
    closed = Round.objects.filter(status=Round.Status.CLOSED).first()
    if closed is not None:
        generate_digest(closed, staff)
    logger.info(
        "wrote guide demo: %d entries, %d reflections", len(entries), len(reflections)
    )
    return {"entries": len(entries), "reflections": len(reflections)}


def _template_of(practice):
    for index, template in enumerate(PRACTICES.get(practice.stage, [])):
        pattern = re.escape(template).replace(r"\{place\}", ".+")
        pattern = pattern.replace(r"\{partner\}", ".+")
        if re.fullmatch(pattern, practice.text):
            return index
    return None


def _publish(rng, now, staff):
    stages = {code: Stage.for_survey_stage(code) for code in PRACTICES}
    topics = {t.slug: t for t in Topic.objects.all()}
    groups = {}
    for submission in Submission.objects.select_related(
        "practice__response__round"
    ).order_by("pk"):
        key = (submission.practice.stage, _template_of(submission.practice))
        groups.setdefault(key, []).append(submission)

    entries, leftovers = [], []
    for (code, index), submissions in sorted(groups.items(), key=str):
        if index is None:
            leftovers.extend(submissions)
            continue
        title, topic_slugs, level = EDITS[code][index]
        first, *others = submissions
        entry = services.publish_submission(
            first,
            title=title,
            text=first.practice.text,
            stage=stages[code],
            level=level,
            topics=[topics[s] for s in topic_slugs],
            by=staff,
        )
        days = rng.randint(5, 200)
        Entry.objects.filter(pk=entry.pk).update(published_at=now - timedelta(days))
        entries.append(entry)
        leftovers.extend(others)

    rng.shuffle(leftovers)
    pending = leftovers[:PENDING_LEFT]
    declined = leftovers[PENDING_LEFT : PENDING_LEFT + DECLINED]
    for submission in declined:
        services.decline_submission(
            submission,
            "Thank you. This is close to an entry already in the guide; tell us "
            "what you do differently and we will add it.",
            staff,
        )
    by_key = {}
    for entry in entries:
        by_key.setdefault(entry.title, entry)
    for submission in leftovers[PENDING_LEFT + DECLINED :]:
        index = _template_of(submission.practice)
        if index is None:
            continue
        title = EDITS[submission.practice.stage][index][0]
        services.merge_submission(submission, by_key[title], staff)
    logger.info("guide demo leaves %d practices waiting for review", len(pending))
    return entries


def _contacts():
    """Return [(user, organization)] for contacts of submitted responses."""
    answered = Response.objects.filter(status=Response.Status.SUBMITTED).values(
        "organization_id"
    )
    return [
        (m.user, m.organization)
        for m in Membership.objects.filter(organization_id__in=answered)
        .select_related("user", "organization__sector")
        .order_by("organization__name")
    ]


def _adopt(rng, entries, contacts):
    marks = set()
    for user, organization in rng.sample(contacts, min(50, len(contacts))):
        for entry in rng.sample(entries, min(len(entries), rng.randint(1, 3))):
            kind = rng.choice([Adoption.Kind.USE, Adoption.Kind.USE, Adoption.Kind.TRY])
            marks.add((entry.pk, organization.pk, kind, user.pk))
    Adoption.objects.bulk_create(
        Adoption(entry_id=e, organization_id=o, kind=k, marked_by_id=u)
        for e, o, k, u in marks
    )


def _reflect(rng, now, contacts):
    stages = {s.slug: s for s in Stage.objects.all()}
    rounds = list(Round.objects.exclude(status=Round.Status.DRAFT))
    reflections = []
    for position, (title, body, stage, theme, pinned) in enumerate(REFLECTIONS):
        user, organization = rng.choice(contacts)
        reflection = Reflection.objects.create(
            author=user,
            organization=organization,
            title=title,
            body=body,
            stage=stages.get(stage),
            theme=theme,
            round=rounds[position % len(rounds)] if rounds else None,
            is_pinned=pinned,
        )
        created = now - timedelta(days=3 + 9 * position)
        Reflection.objects.filter(pk=reflection.pk).update(created_at=created)
        for number in range(rng.randint(0, 4)):
            replier, replying_for = rng.choice(contacts)
            reply = Reply.objects.create(
                reflection=reflection,
                author=replier,
                organization=replying_for,
                body=rng.choice(REPLIES),
            )
            Reply.objects.filter(pk=reply.pk).update(
                created_at=created + timedelta(hours=5 + 7 * number)
            )
        reflections.append(reflection)
    return reflections


def _plan_events(now):
    stages = {s.slug: s for s in Stage.objects.all()}
    start = now.replace(hour=15, minute=0, second=0, microsecond=0)
    for title, days, place, link, stage_slugs in EVENTS:
        event = Event.objects.create(
            title=title,
            starts_at=start + timedelta(days=days),
            ends_at=start + timedelta(days=days, hours=2),
            place=place,
            link=link,
        )
        event.stages.set([stages[s] for s in stage_slugs])
