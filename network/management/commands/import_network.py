from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from network.importing import NetworkImportError, import_network
from network.management.commands.rebuild_network import print_summary
from network.services import rebuild_round


class Command(BaseCommand):
    help = (
        "Import a network from an organizations file and a ties file (CSV or "
        "xlsx) into a round, then rebuild its snapshot. A round that does not "
        "exist is created closed, since its answers come from the files, not "
        "from a survey. Each tie becomes a submitted nomination by its source."
    )

    def add_arguments(self, parser):
        parser.add_argument("--round", required=True, help="the round's name")
        parser.add_argument(
            "--organizations",
            required=True,
            help="columns: name (required), sector, services (;-separated), "
            "and any organization field such as short_name, website, zip_code",
        )
        parser.add_argument(
            "--ties",
            required=True,
            help="columns: source, target (names from the organizations file), "
            "level, referral (none, sends, receives, both), data_agreement "
            "(none, in progress, signed)",
        )

    def handle(self, *args, **options):
        files = []
        for option in ("organizations", "ties"):
            path = Path(options[option])
            try:
                files.append((path.name, path.read_bytes()))
            except OSError as error:
                raise CommandError(f"{path}: {error.strerror}") from None

        try:
            report = import_network(options["round"], *files)
        except NetworkImportError as error:
            lines = [f"  {problem}" for problem in error.problems]
            heading = _("Nothing was imported; fix these problems first:")
            raise CommandError("\n".join([heading, *lines])) from None

        self._print_report(report)
        outcome = rebuild_round(report.round.pk, force=True)
        print_summary(self.stdout, outcome.snapshot)

    def _print_report(self, report):
        write = self.stdout.write
        if report.round_created:
            write(_("Created round “%(round)s” (closed).") % {"round": report.round})
        else:
            write(_("Imported into round “%(round)s”.") % {"round": report.round})
        write(
            _("Organizations: %(created)d created, %(reused)d reused (left unchanged).")
            % {
                "created": report.organizations_created,
                "reused": report.organizations_reused,
            }
        )
        write(
            _("Ties: %(ties)d from %(responses)d responses.")
            % {"ties": report.ties, "responses": report.responses}
        )
        for label, names in [
            (_("New sectors:"), report.sectors_created),
            (_("New services:"), report.services_created),
            (_("Ignored columns:"), report.ignored_columns),
        ]:
            if names:
                write(f"{label} {', '.join(names)}")
