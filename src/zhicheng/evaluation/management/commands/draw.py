import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhicheng.evaluation import draw as pure
from zhicheng.evaluation.models import Expert, Meeting
from zhicheng.evaluation.queries import draw_record, result_for


class Command(BaseCommand):
    help = (
        "Expert draw tools. `zhicheng draw verify MEETING [--seed SEED]` re-runs the pure draw "
        "from the recorded inputs and the revealed seed (or the seed given), prints the "
        "experts by name (in Chinese); exit 0 when they are the recorded ones, exit 1 with "
        "the difference. `zhicheng draw record MEETING [--output FILE]` writes the public "
        "draw record (docs/trust.md) for tools/verify/expert_draw.py."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "record"])
        parser.add_argument("meeting", type=int)
        parser.add_argument("--seed", default=None, help="verify with this seed instead")
        parser.add_argument("--output", default=None, help="record: file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            m = Meeting.objects.select_related("committee").get(pk=options["meeting"])
        except Meeting.DoesNotExist as exc:
            raise CommandError(f"没有编号为{options['meeting']}的评审会议") from exc
        if options["action"] == "record":
            text = json.dumps(draw_record(m), ensure_ascii=False, indent=2) + "\n"
            if options["output"]:
                Path(options["output"]).write_text(text, encoding="utf-8")
            else:
                self.stdout.write(text, ending="")
            return
        if not m.draw_result:
            raise CommandError(f"评审会议 {m} 尚未抽取专家")
        seed = options["seed"] or m.seed
        self.stdout.write(f"评审会议：{m}（编号{m.pk}）")
        self.stdout.write(f"抽取前公布的种子哈希（SHA-256）：{m.seed_hash}")
        self.stdout.write(f"种子：{seed}")
        problems: list[str] = []
        if pure.seed_hash(seed) != m.seed_hash:
            problems.append("种子的SHA-256与抽取前公布的哈希不一致")
        again = result_for(m.draw_inputs, seed).as_dict()
        names = _expert_names([*again["selected"], *again["reserve"],
                               *m.draw_result.get("selected", []),
                               *m.draw_result.get("reserve", [])])
        self.stdout.write(f"入选专家：{_listing(again['selected'], names)}")
        self.stdout.write(f"备选专家：{_listing(again['reserve'], names)}")
        for key, what in (("selected", "入选专家"), ("reserve", "备选专家")):
            if again[key] != m.draw_result.get(key):
                recorded = _listing(m.draw_result.get(key) or [], names)
                rerun = _listing(again[key], names)
                problems.append(f"{what}：记录为{recorded}，重新抽取为{rerun}")
        seated = list(
            m.seats.filter(reserve=False).order_by("position").values_list("expert_id", flat=True)
        )
        if seated != m.draw_result.get("selected"):
            recorded_ids: list[int] = m.draw_result.get("selected") or []
            names.update(_expert_names(seated))
            problems.append(f"数据库中的评委席位{_listing(seated, names)}"
                            f"与抽取记录{_listing(recorded_ids, names)}不一致")
        if problems:
            for p in problems:
                self.stderr.write(f"不一致：{p}")
            raise SystemExit(1)
        self.stdout.write("一致：重新抽取得到的就是记录中的专家")


def _expert_names(ids: list[int]) -> dict[int, str]:
    experts = Expert.objects.filter(pk__in=set(ids)).select_related("user", "unit")
    return {e.pk: _expert_name(e) for e in experts}


def _expert_name(expert: Expert) -> str:
    name = getattr(expert.user, "full_name", "") or expert.user.get_username()
    unit = getattr(expert.unit, "name", "")
    return f"{name}（{unit}）" if unit else name


def _listing(ids: list[int], names: dict[int, str]) -> str:
    """Names in draw order; the pool number stays beside each name for the paper record."""
    if not ids:
        return "（无）"
    return "、".join(f"{names.get(pk, '已删除的专家')}[专家库{pk}号]" for pk in ids)
