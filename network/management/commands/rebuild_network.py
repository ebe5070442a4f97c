from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from network.services import rebuild_round
from surveys.models import Round


def find_round(name):
    """Return the round with this name or slug, or raise CommandError."""
    round = Round.objects.filter(name=name).first()
    round = round or Round.objects.filter(slug=name).first()
    if round is None:
        raise CommandError(_("No round is named “%(name)s”.") % {"name": name})
    return round


def print_summary(stdout, snapshot):
    """Write a snapshot's size, fragments, density and time per stage."""
    n = snapshot.organizations_count
    components = snapshot.metrics.values("component").distinct().count()
    reconstructed = snapshot.figures.get("reconstructed") or {}
    density = reconstructed.get("density")
    if density is None:
        density = snapshot.ties_count / (n * (n - 1)) if n > 1 else 0.0
    stdout.write(
        _(
            "Snapshot v%(version)d: %(organizations)d organizations, %(ties)d "
            "ties, %(components)d components, density %(density).4f, "
            "%(responses)d responses."
        )
        % {
            "version": snapshot.version,
            "organizations": n,
            "ties": snapshot.ties_count,
            "components": components,
            "density": density,
            "responses": snapshot.responses_count,
        }
    )
    stdout.write(_("Time per stage:"))
    for stage, seconds in snapshot.timings.items():
        stdout.write(f"  {stage:<28} {seconds:8.3f} s")


class Command(BaseCommand):
    help = "Rebuild a round's network snapshot now, in this process."

    def add_arguments(self, parser):
        parser.add_argument("--round", required=True, help="the round's name")

    def handle(self, *args, **options):
        round = find_round(options["round"])
        try:
            outcome = rebuild_round(round.pk, force=True)
        except Exception as error:
            message = _("The rebuild failed: %(error)s") % {"error": error}
            raise CommandError(message) from error
        if outcome.snapshot is None:
            raise CommandError(
                _("Another rebuild of “%(round)s” is running; try again later.")
                % {"round": round.name}
            )
        print_summary(self.stdout, outcome.snapshot)
