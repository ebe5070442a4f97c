"""Time a round's rebuild end to end through the database: load, compute, store.

Each size is a synthetic region (bench/synthetic.py) written into a fresh
round as submitted responses and nominations; the rebuild then runs twice,
the second time seeded with the first one's positions.

    .venv/bin/python -m bench.bench_rebuild                  # SQLite in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/edn_bench \\
        .venv/bin/python -m bench.bench_rebuild 2000:10 10000:10

Sizes are ORGANIZATIONS:TIES_PER_ORGANIZATION. The database is emptied
first (flush), so never point it at one that matters.
"""

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edn.settings")
os.environ.setdefault("EDN_ENV_FILE", "/dev/null")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/edn-bench.sqlite3")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.synthetic import generate_region  # noqa: E402
from network.models import RoundNetworkState  # noqa: E402
from network.services import rebuild_round  # noqa: E402
from organizations.models import Organization, Sector, normalize_name  # noqa: E402
from surveys.models import Nomination, Response, RosterEntry, Round  # noqa: E402

BATCH = 5000


def populate(size, ties_per_organization):
    """Write a synthetic region into a new round; return the round."""
    rows, nominations = generate_region(size, ties_per_organization)
    with transaction.atomic():
        round = Round.objects.create(
            name=f"Bench {size}", slug=f"bench-{size}", status=Round.Status.CLOSED
        )
        sectors = {}
        for name in sorted({r.sector for r in rows if r.sector}):
            sectors[name], _ = Sector.objects.get_or_create(
                name=name, defaults={"slug": f"bench-{normalize_name(name)}"}
            )
        on_roster = [r for r in rows if not str(r.id).startswith("write-in:")]
        Organization.objects.bulk_create(
            [
                Organization(
                    name=f"{round.name} {r.name}",
                    name_key=normalize_name(f"{round.name} {r.name}"),
                    sector=sectors.get(r.sector),
                )
                for r in on_roster
            ],
            batch_size=BATCH,
        )
        pks = dict(
            Organization.objects.filter(
                name_key__startswith=normalize_name(round.name)
            ).values_list("name_key", "pk")
        )
        ids = {r.id: pks[normalize_name(f"{round.name} {r.name}")] for r in on_roster}
        RosterEntry.objects.bulk_create(
            [RosterEntry(round=round, organization_id=pk) for pk in ids.values()],
            batch_size=BATCH,
        )
        now = timezone.now()
        Response.objects.bulk_create(
            [
                Response(
                    round=round,
                    organization_id=ids[r.id],
                    status=Response.Status.SUBMITTED,
                    submitted_at=now,
                )
                for r in on_roster
                if r.responded
            ],
            batch_size=BATCH,
        )
        responses = dict(
            Response.objects.filter(round=round).values_list("organization_id", "pk")
        )
        names = {r.id: r.name for r in rows}
        seen = set()
        batch = []
        for n in nominations:
            if (n.source, n.target) in seen or ids[n.source] not in responses:
                continue
            seen.add((n.source, n.target))
            write_in = str(n.target).startswith("write-in:")
            batch.append(
                Nomination(
                    response_id=responses[ids[n.source]],
                    respondent_id=ids[n.source],
                    partner_id=None if write_in else ids[n.target],
                    write_in_name=names[n.target] if write_in else "",
                    write_in_key=normalize_name(names[n.target]) if write_in else "",
                    collaboration_level=n.collaboration_level,
                    sends_referrals=n.sends_referrals,
                    receives_referrals=n.receives_referrals,
                    data_sharing=n.data_sharing,
                    data_agreement=n.data_agreement,
                    wants_to_deepen=n.wants_to_deepen,
                )
            )
        Nomination.objects.bulk_create(batch, batch_size=BATCH)
        RoundNetworkState.objects.create(round=round, generation=len(responses))
    return round, len(batch)


def report(label, snapshot, seconds):
    print(
        f"  {label}: {snapshot.organizations_count} organizations, "
        f"{snapshot.ties_count} ties, {len(snapshot.payload) / 1e6:.2f} MB "
        f"gzipped map, {seconds:.2f} s end to end"
    )
    for stage, value in snapshot.timings.items():
        print(f"    {stage:<24} {value:8.3f} s")


def main(sizes):
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    for size, per in sizes:
        started = time.perf_counter()
        round, count = populate(size, per)
        print(
            f"\n{size} organizations, {per} ties each: wrote {count} nominations "
            f"in {time.perf_counter() - started:.1f} s"
        )
        for label in ("first rebuild", "second rebuild (seeded layout)"):
            started = time.perf_counter()
            snapshot = rebuild_round(round.pk, force=True).snapshot
            report(label, snapshot, time.perf_counter() - started)


if __name__ == "__main__":
    arguments = sys.argv[1:] or ["2000:10", "10000:10"]
    main([tuple(int(x) for x in a.split(":")) for a in arguments])
