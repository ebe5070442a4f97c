"""The production shape for the survey load test: database, seed, processes.

bench/load_survey.py calls these in order: `environment` before Django is
set up, `fresh_database`, `seed_round` once Django is, then `Processes`
starts one Celery worker and gunicorn on loopback and stops them again.
Everything it touches is its own: the database edn_load, Redis databases 9
(broker) and 10 (results and cache), the queue edn-load, logs in /tmp.
"""

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "edn_load"
REDIS = "redis://127.0.0.1:6379"
BROKER_DB, RESULT_DB = 9, 10
QUEUE = "edn-load"
WORKER_LOG = Path("/tmp/edn-load-worker.log")
WEB_LOG = Path("/tmp/edn-load-gunicorn.log")
ACCESS_LOG = Path("/tmp/edn-load-access.log")

SECTORS = ["Health", "Housing", "Education", "Food security", "Youth", "Justice"]
SERVICES = ["Case management", "Meals", "Shelter", "Tutoring", "Legal aid"]
PLACES = ["Northside", "Riverbend", "Eastside", "Valley", "Hilltop", "Lakeview"]
KINDS = ["Health Collaborative", "Housing Alliance", "Food Bank", "Public Library"]
KINDS += ["Youth Club", "Legal Clinic", "Senior Center", "Family Services"]


def environment(port):
    """Set the production settings this process and its children read."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="edn.settings",
        EDN_ENV_FILE="/dev/null",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SITE_URL=f"http://127.0.0.1:{port}",
        DATABASE_URL=f"{PG_SERVER}/{DATABASE}",
        CELERY_BROKER_URL=f"{REDIS}/{BROKER_DB}",
        CELERY_RESULT_BACKEND=f"{REDIS}/{RESULT_DB}",
        CACHE_URL=f"{REDIS}/{RESULT_DB}",
        CELERY_QUEUE=QUEUE,
        LOG_LEVEL="WARNING",
    )


def _server(sql):
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def fresh_database():
    """Drop and create edn_load; empty the Redis databases used here."""
    drop_database()
    _server(f"CREATE DATABASE {DATABASE}")


def drop_database():
    _server(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    for number in (BROKER_DB, RESULT_DB):
        subprocess.run(
            ["redis-cli", "-u", f"{REDIS}/{number}", "flushdb"],
            check=False,
            capture_output=True,
        )


def seed_round(respondents, extra):
    """Create an open round of respondents + extra organizations.

    Return the invitation link paths of the first `respondents`
    organizations and the roster's organization ids by name.
    """
    from django.utils import timezone

    from organizations.models import Organization, Sector, Service, normalize_name
    from surveys.invitation_mail import link_for, new_invitation
    from surveys.models import RosterEntry, Round

    # The migrations may have made some of these already.
    sectors = [
        Sector.objects.get_or_create(
            name=name, defaults={"slug": normalize_name(name).replace(" ", "-")}
        )[0]
        for name in SECTORS
    ]
    for name in SERVICES:
        Service.objects.get_or_create(
            name=name, defaults={"slug": normalize_name(name).replace(" ", "-")}
        )
    names = []
    for number in range(respondents + extra):
        place = PLACES[number % len(PLACES)]
        kind = KINDS[(number // len(PLACES)) % len(KINDS)]
        names.append(f"{place} {kind} {number + 1}")
    Organization.objects.bulk_create(
        Organization(
            name=name, name_key=normalize_name(name), sector=sectors[i % len(sectors)]
        )
        for i, name in enumerate(names)
    )
    organizations = list(Organization.objects.order_by("pk"))
    round_ = Round.objects.create(
        name="Load test",
        slug="load-test",
        status=Round.Status.OPEN,
        opens_at=timezone.now() - timezone.timedelta(days=1),
        closes_at=timezone.now() + timezone.timedelta(days=30),
    )
    RosterEntry.objects.bulk_create(
        RosterEntry(round=round_, organization=o) for o in organizations
    )
    links = []
    for organization in organizations[:respondents]:
        slug = normalize_name(organization.name).replace(" ", "-")
        invitation = new_invitation(round_, organization, f"contact@{slug}.example")
        links.append(urlsplit(link_for(invitation)).path)
    roster = {o.name: o.pk for o in organizations}
    return round_, links, roster


class Processes:
    """One Celery worker and gunicorn, started and stopped by their ids."""

    def __init__(self, port, workers, threads):
        self.port = port
        self.workers = workers
        self.threads = threads
        self.started = []

    def _start(self, command, log):
        handle = log.open("w")
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started.append(process)
        return process

    def start_worker(self):
        bin_dir = Path(sys.executable).parent
        worker = self._start(
            [
                str(bin_dir / "celery"),
                "-A",
                "edn",
                "worker",
                "--loglevel=INFO",
                "--concurrency=1",
                "--hostname",
                "load@%h",
                "--queues",
                QUEUE,
            ],
            WORKER_LOG,
        )
        self._wait(lambda: "ready." in WORKER_LOG.read_text(), worker, "worker")

    def start_web(self):
        bin_dir = Path(sys.executable).parent
        ACCESS_LOG.unlink(missing_ok=True)
        web = self._start(
            [
                str(bin_dir / "gunicorn"),
                "edn.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(self.threads),
                "--timeout",
                "60",
                # Longer than a respondent's pause between requests (at most
                # 1.6 s), so a kept connection is rarely closed under it.
                "--keep-alive",
                "5",
                "--log-level",
                "warning",
                # Server time per request, to tell it from time spent queued.
                "--access-logfile",
                str(ACCESS_LOG),
                "--access-logformat",
                "%(m)s %(U)s %(s)s %(D)s autosave=%({x-edn-autosave}i)s",
            ],
            WEB_LOG,
        )
        url = f"http://127.0.0.1:{self.port}/healthz"

        def answers():
            try:
                with urllib.request.urlopen(url, timeout=2) as reply:
                    return reply.status == 200
            except OSError:
                return False

        self._wait(answers, web, "gunicorn")

    def _wait(self, ready, process, name, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited; see its log")
            if ready():
                return
            time.sleep(0.5)
        raise RuntimeError(f"{name} was not ready in {seconds} s")

    def cpu_seconds(self):
        """Return the CPU seconds gunicorn's workers and the worker used so far."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = {}
        for process in self.started:
            name = "celery" if "celery" in process.args[0] else "gunicorn"
            for pid in [process.pid, *_children(process.pid)]:
                try:
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1]
                except OSError:
                    continue
                user, system = fields.split()[11:13]
                total[name] = total.get(name, 0) + (int(user) + int(system)) / ticks
        return total

    def stop(self):
        """Stop what was started: TERM, then KILL after ten seconds."""
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        self.started = []


def _children(pid):
    try:
        listed = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(child) for child in listed]


def server_times(path=ACCESS_LOG):
    """Return gunicorn's own milliseconds per request: autosaves, the rest."""
    autosaves, others = [], []
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) == 5 and parts[3].isdigit():
            target = autosaves if parts[4] == "autosave=1" else others
            target.append(int(parts[3]) / 1000)
    return autosaves, others
