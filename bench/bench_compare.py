"""Time the round comparison page and its JSON on two large rounds.

A synthetic region (bench/synthetic.py) is written into a round as in
bench/bench_rebuild.py; a second, later round of the same organizations
keeps most of its nominations, drops some, raises the level of some and
adds new ones. Both snapshots are built once; each page is then requested
through Django's test client, first with an empty cache, then warm.

    .venv/bin/python -m bench.bench_compare              # 5000:10
    .venv/bin/python -m bench.bench_compare 2000:10

The database is emptied first (flush), so never point it at one that matters.
"""

import os
import random
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edn.settings")
os.environ.setdefault("EDN_ENV_FILE", "/dev/null")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/edn-bench-compare.sqlite3")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.bench_rebuild import BATCH, populate  # noqa: E402
from network.services import rebuild_round  # noqa: E402
from organizations.models import User  # noqa: E402
from surveys.models import Nomination, Response, RosterEntry, Round  # noqa: E402

REPEAT = 5
KEEP, RAISE, ADD = 0.85, 0.10, 0.12


def later_round(earlier, seed=7):
    """Write a round a year after `earlier` whose ties moved; return it."""
    rng = random.Random(seed)
    opened = timezone.now()
    Round.objects.filter(pk=earlier.pk).update(
        opens_at=opened - timezone.timedelta(days=365)
    )
    with transaction.atomic():
        later = Round.objects.create(
            name=f"{earlier.name} later",
            slug=f"{earlier.slug}-later",
            status=Round.Status.CLOSED,
            opens_at=opened,
        )
        roster = list(earlier.roster.values_list("pk", flat=True))
        RosterEntry.objects.bulk_create(
            [RosterEntry(round=later, organization_id=pk) for pk in roster],
            batch_size=BATCH,
        )
        old = Response.objects.filter(round=earlier)
        Response.objects.bulk_create(
            [
                Response(
                    round=later,
                    organization_id=pk,
                    status=Response.Status.SUBMITTED,
                    submitted_at=opened,
                )
                for pk in old.values_list("organization_id", flat=True)
            ],
            batch_size=BATCH,
        )
        responses = dict(
            Response.objects.filter(round=later).values_list("organization_id", "pk")
        )
        fields = ["respondent_id", "partner_id", "write_in_name", "write_in_key"]
        fields += ["collaboration_level", "data_agreement"]
        batch, seen = [], set()
        for row in Nomination.objects.filter(response__round=earlier).values(*fields):
            if rng.random() > KEEP:
                continue
            if rng.random() < RAISE:
                row["collaboration_level"] = "collaboration"
            seen.add((row["respondent_id"], row["partner_id"]))
            batch.append(Nomination(response_id=responses[row["respondent_id"]], **row))
        sources = list(responses)
        for _ in range(int(len(batch) * ADD)):
            source, target = rng.choice(sources), rng.choice(roster)
            if source == target or (source, target) in seen:
                continue
            seen.add((source, target))
            batch.append(
                Nomination(
                    response_id=responses[source],
                    respondent_id=source,
                    partner_id=target,
                )
            )
        Nomination.objects.bulk_create(batch, batch_size=BATCH)
    return later


def time_url(client, url):
    """Return the cold time, the median warm time and the queries of a URL."""
    cache.clear()
    times = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return times[0], statistics.median(times[1:]), len(queries), len(response.content)


def main(size, per):
    setup_test_environment()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)

    started = time.perf_counter()
    earlier, _ = populate(size, per)
    later = later_round(earlier)
    for round in (earlier, later):
        snapshot = rebuild_round(round.pk, force=True).snapshot
        print(f"  {round.name}: {snapshot.ties_count} ties")
    print(f"written and built in {time.perf_counter() - started:.1f} s")

    staff = User.objects.create_user("bench@edn.example", is_staff=True)
    client = Client()
    client.force_login(staff)
    pages = [
        ("compare page", reverse("network:round_compare", args=[later.slug])),
        (
            "compare page, lost, page 20",
            reverse("network:round_compare", args=[later.slug]) + "?ties=lost&page=20",
        ),
        (
            "changed ties JSON",
            reverse("network:round_compare_json", args=[later.slug, earlier.slug]),
        ),
    ]
    for label, url in pages:
        cold, warm, queries, size_bytes = time_url(client, url)
        print(
            f"  {label:<28} cold {cold * 1000:7.1f} ms, warm {warm * 1000:7.1f} ms, "
            f"{queries} queries, {size_bytes / 1e3:.0f} kB"
        )


if __name__ == "__main__":
    argument = (sys.argv[1:] or ["5000:10"])[0]
    main(*(int(x) for x in argument.split(":")))
