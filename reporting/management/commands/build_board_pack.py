"""Build an ALMO's quarterly board pack on the command line (scheduled runs, benchmarks).

    python manage.py build_board_pack --almo kirkby-neighbourhood-homes --quarter 2025-26-Q2 --output pack.pdf

The same content and one-pass tagged render as the Celery workers. With ``--record``
the pack is also kept as a BoardPack generation (requested by ``--user``).
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from reporting.packs.content import PackError
from reporting.packs.services import build_to_file
from services.models import Almo
from services.periods import Quarter


class Command(BaseCommand):
    help = "Build the quarterly board pack PDF for an ALMO."

    def add_arguments(self, parser):
        parser.add_argument("--almo", required=True, help="The ALMO's slug, e.g. kirkby-neighbourhood-homes.")
        parser.add_argument("--quarter", required=True, help="The quarter, e.g. 2025-26-Q2.")
        parser.add_argument("--output", required=True, help="Where to write the PDF.")
        parser.add_argument("--html", help="Also write the whole pack as one HTML document here.")
        parser.add_argument("--record", action="store_true", help="Also keep it as a board pack in the app.")
        parser.add_argument("--user", default="admin", help="With --record: who requested it.")

    def handle(self, *args, almo, quarter, output, html=None, record=False, user="admin", **options):
        try:
            period = Quarter.parse(quarter)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        target = Almo.objects.filter(slug=almo).first()
        if target is None:
            known = ", ".join(Almo.objects.values_list("slug", flat=True))
            raise CommandError(f"No ALMO '{almo}'. Known: {known}.")
        try:
            result, content, seconds = build_to_file(almo=target, quarter=period)
        except PackError as exc:
            raise CommandError(str(exc)) from exc
        Path(output).write_bytes(result.pdf)
        if html:
            from reporting.packs.render import full_html

            Path(html).write_text(full_html(content), encoding="utf-8")
        if record:
            self._record(target, period, user, result, content)
        self.stdout.write(
            self.style.SUCCESS(f"{content.title}: {result.pages} pages in {seconds:.2f} s, written to {output}")
        )

    def _record(self, almo, period, username, result, content):
        from django.db import transaction
        from django.utils import timezone

        from reporting.models import BoardPack
        from reporting.packs.services import board_pack_complete

        requester = get_user_model().objects.filter(username=username).first()
        if requester is None:
            raise CommandError(f"No user '{username}'.")
        with transaction.atomic():
            pack = BoardPack.objects.create(
                almo=almo,
                agreement=content.agreement,
                financial_year=period.year,
                quarter=period.number,
                requested_by=requester,
                status=BoardPack.Status.RENDERING,
                attempts=1,
                started_at=timezone.now(),
            )
        board_pack_complete(pack_id=pack.pk, result=result, is_final=content.is_final)
        self.stdout.write(f"Kept as board pack #{pack.pk}.")
