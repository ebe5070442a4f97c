"""Load a fictional demo region: organizations, two rounds, answers, logins."""

import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guide.demo import write_guide_demo
from network.services import rebuild_round
from organizations.models import Organization
from surveys.demo import DEFAULT_SEED, DEMO_PASSWORD, build_demo_network
from surveys.demo.writing import clear_demo, demo_logins, write_demo_network
from surveys.models import Round

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = _(
        "Load a fictional region of about 150 organizations with last year's "
        "closed round and this year's open one, for trying EDN out."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=_("Seed of the random choices; the same seed gives the same region."),
        )
        when = parser.add_mutually_exclusive_group()
        when.add_argument(
            "--reset",
            action="store_true",
            help=_(
                "Delete all organizations, rounds, answers, snapshots and demo "
                "contacts first, then load the demo."
            ),
        )
        when.add_argument(
            "--if-empty",
            action="store_true",
            help=_("Load only when there are no organizations yet."),
        )

    def handle(self, *args, seed, reset, if_empty, **options):
        if if_empty and Organization.objects.exists():
            self.stdout.write(_("Demo already loaded; nothing changed."))
            self.write_logins()
            return

        started = time.monotonic()
        with transaction.atomic():
            if reset:
                clear_demo()
            elif Organization.objects.exists() or Round.objects.exists():
                raise CommandError(
                    _(
                        "The database already holds %(organizations)d "
                        "organizations and %(rounds)d rounds; the demo loads "
                        "only into an empty one. Run with --reset to delete "
                        "them and load the demo instead."
                    )
                    % {
                        "organizations": Organization.objects.count(),
                        "rounds": Round.objects.count(),
                    }
                )
            counts = write_demo_network(build_demo_network(timezone.now(), seed))
            counts.update(guide=write_guide_demo(timezone.now(), seed))
        seconds = time.monotonic() - started

        logger.info(
            "loaded demo network (seed %s): %d organizations, %d nominations in %.1f s",
            seed,
            counts["organizations"],
            counts["nominations"],
            seconds,
        )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Loaded the demo region (seed %(seed)s) in %(seconds).1f s: "
                    "%(organizations)d organizations, %(rounds)d rounds, "
                    "%(responses)d responses, %(nominations)d nominations "
                    "(%(write_ins)d write-ins), %(practices)d practices."
                )
                % {**counts, "seed": seed, "seconds": seconds}
            )
        )
        self.build_networks()
        self.write_logins()

    def build_networks(self):
        """Build each demo round's snapshot, so the map is there at once."""
        for round_ in Round.objects.order_by("opens_at"):
            snapshot = rebuild_round(round_.pk, force=True).snapshot
            self.stdout.write(
                _(
                    "Built the network of round %(round)s: %(organizations)d "
                    "organizations, %(ties)d ties."
                )
                % {
                    "round": round_.name,
                    "organizations": snapshot.organizations_count,
                    "ties": snapshot.ties_count,
                }
            )

    def write_logins(self):
        site = settings.SITE_URL.rstrip("/")
        self.stdout.write(
            _("Sign in at %(url)s (admin: %(admin)s) with the password %(password)s:")
            % {
                "url": site + reverse("login"),
                "admin": site + reverse("admin:index"),
                "password": DEMO_PASSWORD,
            }
        )
        for email, shows in demo_logins():
            self.stdout.write(f"  {email:<55} {shows}")
