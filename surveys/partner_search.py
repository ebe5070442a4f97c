"""Find roster organizations by name, short name or alias, forgiving typos.

A few thousand organizations are scored in Python: exact and acronym hits
first, then prefixes, then difflib similarity word by word, so "Nortside
Helth" still finds "Northside Health Collaborative".
"""

import logging
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from edn.ratelimits import is_search, per_response, rate_limited
from organizations.models import Organization
from surveys.access import response_for

logger = logging.getLogger(__name__)

SEARCH_LIMIT = 8
SEARCH_THRESHOLD = 0.72
NEAR_MATCH_THRESHOLD = 0.8
STOP_WORDS = {"the", "of", "and", "for", "de", "la", "el", "y", "inc", "llc"}


@dataclass(frozen=True)
class Match:
    organization_id: int
    name: str
    short_name: str
    matched: str
    score: float


def fold(text):
    """Return text lower-cased, without accents or punctuation."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^\w]+", " ", text.casefold()).strip()


def significant_words(folded):
    every = folded.split()
    return tuple(w for w in every if w not in STOP_WORDS) or tuple(every)


@lru_cache(maxsize=65536)
def prepared(name):
    """Return a name folded, its significant words and their initials."""
    folded = fold(name)
    name_words = significant_words(folded)
    return folded, name_words, "".join(w[0] for w in name_words)


class Query:
    """A typed query, prepared once and compared with many names."""

    def __init__(self, text):
        self.folded = fold(text)
        self.compact = self.folded.replace(" ", "")
        self.words = significant_words(self.folded)
        # Organization names share few distinct words, so each typed word is
        # compared with each distinct name word only once.
        self.similarities = [{} for _ in self.words]
        self.matchers = []
        for word in self.words:
            matcher = SequenceMatcher(None, autojunk=False)
            matcher.set_seq2(word)
            self.matchers.append(matcher)

    def word_similarity(self, index, word):
        """Return how well the index-th typed word matches one word of a name."""
        known = self.similarities[index]
        if word in known:
            return known[word]
        typed = self.words[index]
        if word.startswith(typed):
            similarity = 1.0 if len(typed) >= 3 or word == typed else 0.8
        elif abs(len(word) - len(typed)) > 3:
            similarity = 0.0
        else:
            matcher = self.matchers[index]
            matcher.set_seq1(word)
            similarity = matcher.ratio() if matcher.quick_ratio() >= 0.6 else 0.0
        known[word] = similarity
        return similarity

    def closeness(self, name):
        """Return how alike the whole query and name read, to break ties."""
        return SequenceMatcher(None, self.folded, prepared(name)[0]).ratio()

    def score(self, name):
        """Return a score in [0, 1] for how well the query matches one name."""
        folded, name_words, name_initials = prepared(name)
        if not self.folded or not folded:
            return 0.0
        if self.folded == folded:
            return 1.0
        if len(self.compact) >= 2 and self.compact == name_initials:
            return 0.95
        if folded.startswith(self.folded):
            return 0.92
        if not self.words or not name_words:
            return 0.0
        total = 0.0
        for index in range(len(self.words)):
            similarity = max(self.word_similarity(index, w) for w in name_words)
            if similarity < 0.6:
                return 0.0
            total += similarity
        # Typing fewer words than the name has is normal; a query of two
        # letters is mostly noise, so it scores lower.
        score = total / len(self.words) * 0.9
        return score if len(self.folded) > 2 else score * 0.8


def score_name(query, name):
    """Return a score in [0, 1] for how well a query matches one name."""
    return Query(query).score(name)


def candidates_for(response):
    """Return the organizations a respondent may name: the roster, not itself.

    A round without a roster offers every active organization.
    """
    organizations = Organization.objects.filter(is_active=True)
    if response.round.roster_entries.exists():
        organizations = organizations.filter(roster_entries__round=response.round)
    return organizations.exclude(pk=response.organization_id)


def search(query, organizations, *, limit=SEARCH_LIMIT, threshold=SEARCH_THRESHOLD):
    """Return the best matches for a query among the given organizations."""
    prepared_query = Query(query)
    if len(prepared_query.folded) < 2:
        return []
    rows = organizations.values_list("pk", "name", "short_name", "aliases")
    matches = []
    for pk, name, short_name, aliases in rows.iterator(chunk_size=2000):
        score, matched = 0.0, ""
        for known in (name, short_name, *(aliases or [])):
            if known and (points := prepared_query.score(known)) > score:
                score, matched = points, known
        if score >= threshold:
            matches.append(Match(pk, name, short_name, matched, round(score, 3)))
    matches.sort(key=lambda m: (-m.score, -prepared_query.closeness(m.matched), m.name))
    return matches[:limit]


def near_matches(name, organizations):
    """Return organizations whose names come close to a written-in name."""
    return search(name, organizations, limit=5, threshold=NEAR_MATCH_THRESHOLD)


@require_GET
@rate_limited("search", "RATE_LIMIT_SEARCH", per_response, counts=is_search)
def organization_search(request, response_id):
    """Return matching organizations as JSON or as an htmx fragment."""
    response = response_for(request, response_id)

    query = request.GET.get("q", "")[:200]
    purpose = "aspirations" if request.GET.get("for") == "aspirations" else "partners"

    matches = search(query, candidates_for(response))
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "query": query,
                "results": [
                    {
                        "id": m.organization_id,
                        "name": m.name,
                        "short_name": m.short_name,
                        "matched": m.matched,
                        "score": m.score,
                    }
                    for m in matches
                ],
            }
        )
    return render(
        request,
        "surveys/survey/search_results.html",
        {"response": response, "matches": matches, "query": query, "purpose": purpose},
    )
