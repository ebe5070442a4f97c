"""Load test of the survey against the production shape on this machine.

    .venv/bin/python -m bench.load_survey          # or: make bench-load
    .venv/bin/python -m bench.load_survey --respondents 50 --window 30

Creates the PostgreSQL database edn_load afresh, seeds an open round of
200 invited organizations (and 40 more on the roster), starts one Celery
worker on Redis (databases 9 and 10, queue edn-load) and gunicorn on
127.0.0.1 with production settings (DEBUG off, SSL redirect off for plain
loopback HTTP), then lets 200 simulated respondents arrive over the window:
each opens its link, adds five partners, autosaves 30 times across four
steps and submits; every twentieth also saves from a stale second tab.

Afterwards it checks the database against what each client last saved,
waits for the rebuilds to settle, prints per-step latencies and a verdict
per bar, and exits 1 if a bar is missed. Everything it started is stopped
and edn_load dropped at the end, also on failure or after --timeout.
"""

import argparse
import os
import signal
import sys
import time

from bench import load_setup
from bench.load_client import Respondent, run_respondents

AUTOSAVE_P95_MS = 200


class TimedOut(Exception):
    pass


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=200)
    parser.add_argument("--extra", type=int, default=40, help="roster only")
    parser.add_argument("--window", type=float, default=120, help="arrivals, s")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn")
    parser.add_argument("--threads", type=int, default=4, help="per worker")
    parser.add_argument("--timeout", type=int, default=600, help="hard limit, s")
    parser.add_argument("--keep", action="store_true", help="keep edn_load")
    parser.add_argument(
        "--new-connections",
        action="store_true",
        help="open a connection per request instead of keeping one per respondent",
    )
    return parser.parse_args()


def build_respondents(options, links, roster, choices):
    names = list(roster)
    respondents = []
    for number, link in enumerate(links):
        own = names[number]
        others = [n for n in names if n != own]
        step = 1 + number % 7
        partners = [
            (name, roster[name])
            for name in (others[(number + step * k) % len(others)] for k in range(4))
        ]
        respondents.append(
            Respondent(
                number=number,
                link=link,
                partners=partners,
                port=options.port,
                choices=choices,
                stale_tab=number % 20 == 7,
                keep_alive=not options.new_connections,
            )
        )
    return respondents


def report(options, respondents, rows, problems, rebuilds, seconds, loads, server):
    from django.conf import settings

    from bench.load_checks import percentile

    samples = [s for r in respondents for s in r.samples]
    errors = [e for r in respondents for e in r.errors]
    server_errors = sum(s.status >= 500 for s in samples)
    stale = [r for r in respondents if r.stale_tab]
    print("\n== Survey load test (production shape on this machine)")
    print(
        f"  machine: {os.cpu_count()} cores; load average before "
        f"{loads[0]:.2f}, after {loads[1]:.2f}"
    )
    print(
        f"  gunicorn gthread {options.workers} workers x {options.threads} threads; "
        f"PostgreSQL {load_setup.DATABASE}; Redis broker; one Celery worker "
        f"(concurrency 1); rebuild delay {settings.NETWORK_REBUILD_DELAY} s"
    )
    connections = (
        "a new connection per request"
        if options.new_connections
        else "one kept-alive connection per respondent"
    )
    print(f"  clients: {connections}")
    print(
        f"  {len(respondents)} respondents arriving over {options.window:.0f} s, "
        f"{len(respondents) + options.extra} organizations on the roster; "
        f"{len(samples)} requests in {seconds:.0f} s "
        f"({len(samples) / seconds:.1f}/s), "
        f"{sum(r.autosaves for r in respondents)} autosaves"
    )
    print(f"\n  {'step':<20}{'count':>7}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}")
    order = ["invitation_open", "invitation_confirm", "survey_start", "page"]
    order += ["search", "add_partner", "autosave", "stale_save", "submit"]
    for step, count, p50, p95, p99, most, _ in sorted(
        rows, key=lambda row: order.index(row[0]) if row[0] in order else 99
    ):
        print(
            f"  {step:<20}{count:>7}{p50:>7.0f}ms{p95:>7.0f}ms{p99:>7.0f}ms"
            f"{most:>7.0f}ms"
        )
    autosaves, others = server["times"]
    for label, values in (("autosave", autosaves), ("other requests", others)):
        if values:
            print(
                f"  gunicorn's own time, {label:<15}{len(values):>6}"
                f"{percentile(values, 0.5):>7.0f}ms{percentile(values, 0.95):>7.0f}ms"
                f"{percentile(values, 0.99):>7.0f}ms{max(values):>7.0f}ms"
            )
    spent = server["cpu"]
    print(
        f"  CPU used: gunicorn {spent.get('gunicorn', 0):.0f} s "
        f"({spent.get('gunicorn', 0) * 1000 / max(1, len(samples)):.1f} ms a "
        f"request), Celery {spent.get('celery', 0):.0f} s, the simulated "
        f"respondents {spent.get('client', 0):.0f} s; PostgreSQL not counted"
    )
    print(f"\n  errors: {len(errors)} (5xx: {server_errors})")
    for number, step, status, detail in errors[:10]:
        print(f"    respondent {number} {step}: {status} {detail[:120]!r}")
    print(
        f"  stale second-tab saves: {len(stale)}, refused with the message: "
        f"{sum(bool(r.stale_refused) for r in stale)}"
    )
    print(
        f"  rebuilds run: {rebuilds['rebuilds']} ({rebuilds['snapshots']} snapshots, "
        f"{rebuilds['failed']} not ready); settled "
        f"{rebuilds['settled_seconds']:.0f} s after the last respondent; final "
        f"snapshot: {rebuilds['final_responses']} responses, generation "
        f"{rebuilds['final_generation']} of {rebuilds['generation']}"
    )
    print(
        f"  rebuilds finished after the last submission: "
        f"{rebuilds['finished_after_last']} (of them missing it: "
        f"{rebuilds['missed_after_last']}); started after it: "
        f"{rebuilds['started_after_last']}"
    )
    for number, found in list(problems.items())[:10]:
        print(f"    respondent {number}: {', '.join(found[:4])}")

    autosave = next((row for row in rows if row[0] == "autosave"), None)
    submitted = sum(r.submitted for r in respondents)
    bars = [
        (
            "zero lost or duplicated answers",
            not problems and rebuilds["generation"] == len(respondents),
            f"{len(problems)} respondents differ; {submitted} submitted, "
            f"{rebuilds['generation']} submissions counted",
        ),
        ("zero 5xx", server_errors == 0, f"{server_errors}"),
        ("no other request errors", not errors, f"{len(errors)}"),
        (
            f"autosave p95 under {AUTOSAVE_P95_MS} ms",
            autosave is not None and autosave[3] < AUTOSAVE_P95_MS,
            f"{autosave[3]:.0f} ms" if autosave else "no autosaves",
        ),
        (
            "stale saves refused with a clear message",
            all(r.stale_refused for r in stale),
            f"{sum(bool(r.stale_refused) for r in stale)} of {len(stale)}",
        ),
        (
            "final snapshot has every submission, within one rebuild",
            rebuilds["final_responses"] == len(respondents)
            and rebuilds["final_generation"] == rebuilds["generation"]
            and rebuilds["missed_after_last"] <= 1,
            f"{rebuilds['final_responses']} responses; "
            f"{rebuilds['missed_after_last']} rebuild(s) after the last "
            "submission missed it",
        ),
    ]
    print()
    for name, held, figure in bars:
        print(f"  [{'PASS' if held else 'FAIL'}] {name}: {figure}")
    return all(held for _, held, _ in bars)


def run(options):
    import django

    load_setup.fresh_database()
    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from bench.load_checks import answer_problems, rebuild_outcome, step_table
    from surveys.practices import SUGGESTED_PRACTICES

    print(f"database {load_setup.DATABASE}: migrating and seeding")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    round_, links, roster = load_setup.seed_round(options.respondents, options.extra)
    from organizations.models import Sector, Service

    choices = {
        "sectors": [str(pk) for pk in Sector.objects.values_list("pk", flat=True)],
        "services": [str(pk) for pk in Service.objects.values_list("pk", flat=True)],
        "practices": [p.key for p in SUGGESTED_PRACTICES],
    }
    connections.close_all()

    processes = load_setup.Processes(options.port, options.workers, options.threads)
    try:
        processes.start_worker()
        processes.start_web()
        print(
            f"worker and gunicorn ready; {options.respondents} respondents "
            f"arrive over {options.window:.0f} s"
        )
        respondents = build_respondents(options, links, roster, choices)
        loads = [os.getloadavg()[0]]
        cpu_before = processes.cpu_seconds()
        client_before = time.process_time()
        started = time.monotonic()
        run_respondents(respondents, options.window)
        seconds = time.monotonic() - started
        loads.append(os.getloadavg()[0])
        cpu = {
            name: spent - cpu_before.get(name, 0)
            for name, spent in processes.cpu_seconds().items()
        }
        # The respondents' threads run in this process, on the same cores.
        cpu["client"] = time.process_time() - client_before
        print(f"respondents done in {seconds:.0f} s; checking the database")
        problems = answer_problems(respondents)
        rebuilds = rebuild_outcome(round_, options.respondents, 180)
        rows = step_table(respondents)
        server = {"cpu": cpu, "times": load_setup.server_times()}
        return report(
            options, respondents, rows, problems, rebuilds, seconds, loads, server
        )
    finally:
        connections.close_all()
        processes.stop()


def main():
    options = arguments()
    load_setup.environment(options.port)

    def expire(*_):
        raise TimedOut(f"the load test ran past {options.timeout} s")

    signal.signal(signal.SIGALRM, expire)
    signal.alarm(options.timeout)
    passed = False
    try:
        passed = run(options)
    except TimedOut as error:
        print(f"\nSTOPPED: {error}")
    finally:
        signal.alarm(0)
        if not options.keep:
            load_setup.drop_database()
            print(f"dropped {load_setup.DATABASE}; Redis databases 9 and 10 emptied")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
