from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from zhicheng.core.operations import SYSTEM, OperationError
from zhicheng.demo.evaluation import DEMO_EXPERTS, STORY_1, STORY_2, seed_demo_season


class Command(BaseCommand):
    help = ("The demo season (after seed_demo; idempotent): the demo committee and expert pool, "
            "meeting 1 held and filed, meeting 2's applicants ready and its draft opening report.")

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("evaluation_demo creates demo accounts; it refuses to run with "
                               "ZHICHENG_PRODUCTION set.")
        try:
            # The seeding notifies every applicant and office; keep those mails off the console.
            with override_settings(MAILERS={"default": {
                    "BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}):
                story = seed_demo_season(SYSTEM)
        except OperationError as exc:
            raise CommandError(f"演示评审数据未能完成 / demo season stopped: {exc}") from exc
        c, m1, m2 = story.committee, story.meeting_1, story.meeting_2
        w = self.stdout.write
        w(f"评委会 / committee: {c} → /evaluation/committee/{c.pk}/")
        if m1 is not None:
            w(f"会议1 / meeting 1 ({m1.date}): {m1.get_state_display()} → "
              f"/evaluation/meeting/{m1.pk}/ ; zhicheng draw verify {m1.pk}")
        if m2 is not None:
            w(f"会议2 / meeting 2 ({m2.date}): {m2.get_state_display()} → "
              f"/evaluation/meeting/{m2.pk}/ (scjg_committee 报送开评报告…)")
        w("演示申报人 / demo applicants (password as above): "
          + ", ".join(f"{u} {n}" for u, n in STORY_1 + STORY_2))
        w("演示专家 / demo experts: expert 林教授, "
          + ", ".join(f"{u} {n}" for u, n, *_ in DEMO_EXPERTS if u))
