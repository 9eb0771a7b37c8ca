import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhicheng.evaluation import draw as pure
from zhicheng.evaluation.models import Meeting
from zhicheng.evaluation.queries import draw_record, result_for


class Command(BaseCommand):
    help = (
        "Expert draw tools. `zhicheng draw verify MEETING [--seed SEED]` re-runs the pure draw "
        "from the recorded inputs and the revealed seed (or the seed given), prints the "
        "experts; exit 0 when they are the recorded ones, exit 1 with the difference. "
        "`zhicheng draw record MEETING [--output FILE]` writes the public draw record "
        "(docs/trust.md) for tools/verify/expert_draw.py."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "record"])
        parser.add_argument("meeting", type=int)
        parser.add_argument("--seed", default=None, help="verify with this seed instead")
        parser.add_argument("--output", default=None, help="record: file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            m = Meeting.objects.get(pk=options["meeting"])
        except Meeting.DoesNotExist as exc:
            raise CommandError(f"no meeting {options['meeting']}") from exc
        if options["action"] == "record":
            text = json.dumps(draw_record(m), ensure_ascii=False, indent=2) + "\n"
            if options["output"]:
                Path(options["output"]).write_text(text, encoding="utf-8")
            else:
                self.stdout.write(text, ending="")
            return
        if not m.draw_result:
            raise CommandError(f"meeting {m.pk} has not been drawn yet")
        seed = options["seed"] or m.seed
        self.stdout.write(f"meeting {m.pk}: {m}")
        self.stdout.write(f"seed hash recorded before the draw: {m.seed_hash}")
        self.stdout.write(f"seed: {seed}")
        problems: list[str] = []
        if pure.seed_hash(seed) != m.seed_hash:
            problems.append("SHA-256(seed) differs from the hash recorded before the draw")
        again = result_for(m.draw_inputs, seed).as_dict()
        self.stdout.write(f"selected: {' '.join(map(str, again['selected']))}")
        self.stdout.write(f"reserve:  {' '.join(map(str, again['reserve']))}")
        for key in ("selected", "reserve"):
            if again[key] != m.draw_result.get(key):
                problems.append(
                    f"{key}: recorded {m.draw_result.get(key)} != re-run {again[key]}"
                )
        seated = list(
            m.seats.filter(reserve=False).order_by("position").values_list("expert_id", flat=True)
        )
        if seated != m.draw_result.get("selected"):
            recorded = m.draw_result.get("selected")
            problems.append(f"seats in the database {seated} != recorded {recorded}")
        if problems:
            for p in problems:
                self.stderr.write(f"DIFFERENT: {p}")
            raise SystemExit(1)
        self.stdout.write("OK: the re-run draw gives the recorded experts")
