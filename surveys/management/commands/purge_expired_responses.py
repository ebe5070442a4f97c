"""Delete the responses of rounds past their retention, now, from the shell."""

from django.core.management.base import BaseCommand

from surveys.retention import expired_rounds, purge_round, round_data


class Command(BaseCommand):
    help = (
        "Delete the responses of every round past its retention (keep "
        "responses for N months after closing), with what hangs off them, "
        "and rebuild those rounds' maps. Beat runs the same purge daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="list what would be deleted and change nothing",
        )

    def handle(self, *args, **options):
        rounds = expired_rounds()
        if not rounds:
            self.stdout.write("No round is past its retention with data left.")
            return

        for round_ in rounds:
            if options["dry_run"]:
                counts = {k: rows.count() for k, rows in round_data(round_).items()}
                verb = "would delete"
            else:
                counts = purge_round(round_)
                verb = "deleted"
            listed = ", ".join(f"{count} {kind}" for kind, count in counts.items())
            self.stdout.write(f"Round {round_.name}: {verb} {listed}.")
