from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from network.exports import FORMATS, export_snapshot
from network.management.commands.rebuild_network import find_round
from network.services import latest_snapshot


class Command(BaseCommand):
    help = (
        "Write a round's newest network snapshot to a file: csv (one row per "
        "organization), xlsx (organizations, ties, figures), graphml, gexf or "
        "json (node-link). Nothing is recomputed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--round", required=True, help="the round's name")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("--output", required=True, help="the file to write")

    def handle(self, *args, **options):
        round = find_round(options["round"])
        snapshot = latest_snapshot(round)
        if snapshot is None:
            raise CommandError(
                _(
                    "Round “%(round)s” has no network snapshot yet; "
                    "run rebuild_network first."
                )
                % {"round": round.name}
            )

        content = export_snapshot(snapshot, options["format"])
        output = Path(options["output"])
        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(f"{output}: {error.strerror}") from None

        self.stdout.write(
            _(
                "Wrote %(format)s of “%(round)s” v%(version)d (%(organizations)d "
                "organizations, %(ties)d ties) to %(output)s."
            )
            % {
                "format": options["format"],
                "round": round.name,
                "version": snapshot.version,
                "organizations": snapshot.organizations_count,
                "ties": snapshot.ties_count,
                "output": output,
            }
        )
