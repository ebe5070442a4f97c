"""Write-ins of a round: group their spellings, then fold them into the roster.

Respondents write in partners that are not on the roster, and the same
partner often arrives under several spellings: a typo ("Gateway Food
Pantr"), an acronym ("GFP"), a different letter case. Spellings are grouped
when they are the same words up to a typo or two, one is cut short of the
other, or one is the initials of the other. Staff then merge a group into an
existing organization, or create a new one from it; the nominations follow.
"""

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from audit.log import record_event
from audit.models import AuditEvent
from network.services import mark_round_dirty
from organizations.merging import adopt_write_ins
from organizations.models import Organization, normalize_name
from surveys.models import Nomination, RosterEntry
from surveys.partner_search import Match, Query, prepared

logger = logging.getLogger(__name__)

SUGGESTIONS = 3
GROUPS_SHOWN = 25
SUGGESTION_THRESHOLD = 0.8
# How much of the longer name a cut-short spelling must keep.
PREFIX_SHARE = 0.8


@dataclass
class WriteInGroup:
    """Spellings that name the same partner, with how often each was used."""

    keys: list
    spellings: list
    nominations: int
    respondents: int
    suggestions: list = field(default_factory=list)

    @property
    def label(self):
        """Return the spelling to show: the most used, then the longest."""
        return max(self.spellings, key=lambda s: (s[1], len(s[0])))[0]


@dataclass
class MergePlan:
    """What merging a group into an organization would do."""

    nominations: int
    respondents: int
    selves: int
    already: int


def edit_distance(a, b, limit):
    """Return the optimal string alignment distance, or limit + 1 beyond it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            current[j] = min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)
            )
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _allowed_typos(a, b):
    longest = max(len(a), len(b))
    if longest <= 3:
        return 0
    return 1 if longest <= 9 else 2


def same_partner(a, b):
    """Return whether two written-in names most likely mean one organization.

    >>> same_partner("Gateway Food Pantry", "GFP")
    True
    >>> same_partner("Southside Health Center", "Northside Health Center")
    False
    """
    folded_a, words_a, initials_a = prepared(a)
    folded_b, words_b, initials_b = prepared(b)
    if not folded_a or not folded_b:
        return False
    compact_a, compact_b = folded_a.replace(" ", ""), folded_b.replace(" ", "")
    if compact_a == compact_b:
        return True
    if len(words_b) > 1 and compact_a == initials_b:
        return True
    if len(words_a) > 1 and compact_b == initials_a:
        return True
    shorter, longer = sorted((folded_a, folded_b), key=len)
    last = shorter.rsplit(" ", 1)[-1]
    cut_short = len(last) >= 3 and not last.isdigit()
    if cut_short and longer.startswith(shorter):
        return len(shorter) >= PREFIX_SHARE * len(longer)
    return _typos_only(words_a, words_b)


def _typos_only(words_a, words_b):
    if len(words_a) != len(words_b):
        return False
    total = 0
    for x, y in zip(words_a, words_b, strict=True):
        if x == y:
            continue
        if x[0] != y[0]:
            return False
        allowed = _allowed_typos(x, y)
        distance = edit_distance(x, y, allowed)
        if distance > allowed:
            return False
        total += distance
    return total <= 2


def group_spellings(names):
    """Return lists of indices into `names`, one list per group of spellings."""
    parent = list(range(len(names)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i, j):
        parent[find(i)] = find(j)

    shapes = [prepared(name) for name in names]
    by_initials = defaultdict(list)
    for i, (_, words, initials) in enumerate(shapes):
        if len(words) > 1:
            by_initials[initials].append(i)
    for i, (folded, _, _) in enumerate(shapes):
        for j in by_initials.get(folded.replace(" ", ""), ()):
            join(i, j)
    # Comparing every pair is fine for the few hundred write-ins of a round.
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            if find(i) != find(j) and same_partner(names[i], names[j]):
                join(i, j)

    groups = defaultdict(list)
    for i in range(len(names)):
        groups[find(i)].append(i)
    return list(groups.values())


def round_write_ins(round_):
    """Return the round's write-in nominations, any response status."""
    return Nomination.objects.filter(response__round=round_, partner__isnull=True)


def write_in_groups(round_, *, suggest=GROUPS_SHOWN):
    """Return the round's write-ins grouped by partner, most named first.

    The first `suggest` groups get suggested existing organizations.
    """
    rows = round_write_ins(round_).values_list(
        "write_in_key", "write_in_name", "respondent_id"
    )
    spellings = defaultdict(Counter)
    respondents = defaultdict(set)
    for key, name, respondent in rows:
        spellings[key][name] += 1
        respondents[key].add(respondent)

    keys = sorted(spellings)
    names = [spellings[key].most_common(1)[0][0] for key in keys]
    groups = []
    for members in group_spellings(names):
        group_keys = [keys[i] for i in members]
        used = Counter()
        for key in group_keys:
            used.update(spellings[key])
        groups.append(
            WriteInGroup(
                keys=group_keys,
                spellings=sorted(used.items(), key=lambda s: (-s[1], s[0])),
                nominations=sum(used.values()),
                respondents=len(set().union(*(respondents[k] for k in group_keys))),
            )
        )
    groups.sort(key=lambda g: (-g.respondents, -g.nominations, g.label))
    if suggest and groups:
        index = OrganizationIndex(Organization.objects.filter(is_active=True))
        for group in groups[:suggest]:
            group.suggestions = index.suggest([s for s, _ in group.spellings])
    return groups


class OrganizationIndex:
    """Organizations' names by word stem and initials, to find candidates fast.

    Scoring every organization against every spelling costs seconds at ten
    thousand organizations; only those sharing a word's first letters or
    the initials are scored.
    """

    STEM = 3
    CANDIDATES = 300

    def __init__(self, organizations):
        self.known = {}
        self.by_stem = defaultdict(set)
        self.by_compact = defaultdict(set)
        self.by_initials = defaultdict(set)
        rows = organizations.values_list("pk", "name", "short_name", "aliases")
        for pk, name, short_name, aliases in rows.iterator(chunk_size=2000):
            names = [n for n in (name, short_name, *(aliases or [])) if n]
            self.known[pk] = (name, short_name, names)
            for known in names:
                folded, words, initials = prepared(known)
                self.by_compact[folded.replace(" ", "")].add(pk)
                for word in words:
                    self.by_stem[word[: self.STEM]].add(pk)
                if len(words) > 1:
                    self.by_initials[initials].add(pk)

    def candidates(self, spelling):
        """Return organization ids worth scoring against `spelling`."""
        folded, words, initials = prepared(spelling)
        shared = Counter()
        for word in set(words):
            shared.update(self.by_stem.get(word[: self.STEM], ()))
        needed = min(2, len(set(words)))
        chosen = [pk for pk, n in shared.most_common(self.CANDIDATES) if n >= needed]
        acronyms = self.by_initials.get(folded.replace(" ", ""), set())
        return {*chosen, *acronyms, *self.by_compact.get(initials, ())}

    def suggest(self, spellings, limit=SUGGESTIONS):
        """Return the organizations best matching any spelling, best first."""
        best = {}
        for spelling in spellings:
            query = Query(spelling)
            for pk in self.candidates(spelling):
                name, short_name, names = self.known[pk]
                score, matched = max((query.score(n), n) for n in names)
                if score >= SUGGESTION_THRESHOLD and score > best.get(pk, (0,))[0]:
                    best[pk] = (score, Match(pk, name, short_name, matched, score))
        ranked = sorted(best.values(), key=lambda item: (-item[0], item[1].name))
        return [match for _, match in ranked[:limit]]


def group_nominations(round_, keys):
    return round_write_ins(round_).filter(write_in_key__in=keys)


def plan_merge(round_, keys, organization):
    """Return what merging the write-ins under `keys` into `organization` does."""
    nominations = group_nominations(round_, keys)
    others = nominations.exclude(respondent=organization)
    responses = set(others.values_list("response_id", flat=True))
    already = Nomination.objects.filter(
        response_id__in=responses, partner=organization
    ).count()
    return MergePlan(
        nominations=nominations.count(),
        respondents=len(responses),
        selves=nominations.count() - others.count(),
        already=already,
    )


@transaction.atomic
def merge_group(round_, keys, organization, *, add_to_roster=True, actor=None):
    """Make the group's write-ins name `organization`; return (moved, dropped).

    The spellings become the organization's aliases, so later answers find
    it; the round's network is marked for a rebuild. The merge goes to the
    audit log as done by `actor`, with counts but not the spellings.
    """
    nominations = group_nominations(round_, keys)
    spellings = sorted(set(nominations.values_list("write_in_name", flat=True)))
    moved, dropped = adopt_write_ins(organization, nominations)

    for spelling in spellings:
        organization.add_alias(spelling)
    organization.save(update_fields=["aliases", "updated_at"])
    if add_to_roster:
        RosterEntry.objects.get_or_create(round=round_, organization=organization)
    mark_round_dirty(round_)
    record_event(
        AuditEvent.Action.WRITE_INS_MERGED,
        f"{len(spellings)} write-in spellings merged into {organization.name}: "
        f"{moved} nominations moved, {dropped} dropped",
        actor=actor,
        round=round_,
        organization=organization.name,
        details={
            "organization": organization.pk,
            "spellings": len(spellings),
            "moved": moved,
            "dropped": dropped,
            "added_to_roster": add_to_roster,
        },
    )
    logger.info(
        "round %s: write-ins %s merged into organization %s (%d moved, %d dropped)",
        round_.pk,
        keys,
        organization.pk,
        moved,
        dropped,
    )
    return moved, dropped


def name_taken(name):
    """Return the organization already called `name`, if any."""
    return Organization.objects.filter(name_key=normalize_name(name)).first()


@transaction.atomic
def create_from_group(round_, keys, name, sector=None, *, actor=None):
    """Create an organization from a group, add it to the roster, merge into it."""
    organization = Organization.objects.create(name=name, sector=sector)
    moved, dropped = merge_group(
        round_, keys, organization, add_to_roster=True, actor=actor
    )
    return organization, moved, dropped
