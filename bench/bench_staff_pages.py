"""Time the staff dashboard, measures table and coverage pages on a big round.

A synthetic region (bench/synthetic.py) is written into a round as in
bench/bench_rebuild.py, its snapshot is built once, and each page is then
requested through Django's test client: the time is the server's, from
request to rendered response, without a network in between.

    .venv/bin/python -m bench.bench_staff_pages              # 10000:10
    .venv/bin/python -m bench.bench_staff_pages 2000:10
    .venv/bin/python -m bench.bench_staff_pages --reuse   # time the pages again

The database is emptied first (flush), so never point it at one that matters.
"""

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edn.settings")
os.environ.setdefault("EDN_ENV_FILE", "/dev/null")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/edn-bench-pages.sqlite3")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.bench_rebuild import populate  # noqa: E402
from network.services import rebuild_round  # noqa: E402
from organizations.models import User  # noqa: E402
from surveys.models import Round  # noqa: E402

REPEAT = 7
PAGES = [
    ("dashboard", "network:round_dashboard", {}),
    ("table, default sort", "network:round_table", {}),
    (
        "table, by pagerank, page 40",
        "network:round_table",
        {"sort": "-pagerank", "page": 40},
    ),
    ("table, one sector", "network:round_table", {"sector": "__sector__"}),
    ("coverage", "network:round_coverage", {}),
]


def time_page(client, url, query):
    """Return the times of REPEAT requests and the queries of the last one."""
    times = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, query)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return times, len(queries)


def build(size, per):
    """Write the synthetic round into an emptied database and build it."""
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    started = time.perf_counter()
    round, count = populate(size, per)
    snapshot = rebuild_round(round.pk, force=True).snapshot
    print(
        f"{size} organizations, {count} nominations, {snapshot.ties_count} ties: "
        f"written and built in {time.perf_counter() - started:.1f} s"
    )
    User.objects.create_user("bench@edn.example", is_staff=True)
    return round


def main(size=None, per=None):
    setup_test_environment()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    round = build(size, per) if size else Round.objects.get(slug__startswith="bench")
    print(f"round {round.name}: {round.roster.count()} organizations")

    staff = User.objects.get(email="bench@edn.example")
    client = Client()
    client.force_login(staff)
    sector = str(round.roster.values_list("sector_id", flat=True).first())
    for label, name, query in PAGES:
        query = {k: sector if v == "__sector__" else v for k, v in query.items()}
        times, queries = time_page(client, reverse(name, args=[round.slug]), query)
        print(
            f"  {label:<30} first {times[0] * 1000:7.1f} ms, median of the rest "
            f"{statistics.median(times[1:]) * 1000:7.1f} ms, {queries} queries"
        )


if __name__ == "__main__":
    argument = (sys.argv[1:] or ["10000:10"])[0]
    if argument == "--reuse":
        main()
    else:
        main(*(int(x) for x in argument.split(":")))
