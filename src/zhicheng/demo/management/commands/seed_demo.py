from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhicheng.accounts.totp import otpauth_url
from zhicheng.core.operations import SYSTEM, OperationError
from zhicheng.demo.accounts import DEMO_PASSWORD, DEMO_TOTP_SECRET, seed_demo
from zhicheng.demo.reviews import seed_review_demo


class Command(BaseCommand):
    help = "Create the demo employers and accounts (idempotent) and print them with their roles."

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError(
                "seed_demo creates accounts with published passwords and TOTP "
                "secrets; it refuses to run with ZHICHENG_PRODUCTION set."
            )
        accounts = seed_demo(SYSTEM)
        self.stdout.write("")
        self.stdout.write(
            f"演示账户（密码均为 {DEMO_PASSWORD}）/ demo accounts (password {DEMO_PASSWORD}):"
        )
        for a in accounts:
            org = f" @ {a.organisation}" if a.organisation else ""
            self.stdout.write(f"  {a.username:<20} {a.full_name:<6} {a.role_label}{org}")
        self.stdout.write("")
        self.stdout.write(
            "工作人员账户须双重认证。仅供演示：所有演示工作人员共用以下 TOTP 密钥，"
            "请添加到身份验证器应用（Google Authenticator、FreeOTP 等）后输入其 6 位验证码。"
        )
        self.stdout.write(
            "Officials log in with two factors. DEMO ONLY: every demo official shares this "
            "TOTP secret; add it to an authenticator app and enter its 6-digit code."
        )
        self.stdout.write(f"  TOTP secret: {DEMO_TOTP_SECRET}")
        self.stdout.write(f"  {otpauth_url('demo-officials', DEMO_TOTP_SECRET)}")
        self.stdout.write(
            "  无验证器应用时 / without an app: .venv/bin/zhicheng shell -c "
            '"from zhicheng.accounts.totp import totp_code as c; '
            f"print(c('{DEMO_TOTP_SECRET}'))\""
        )
        self.stdout.write("")
        # --- reviews: one demo application waiting in unit review (陈经理's worklist) ---
        try:
            seed_review_demo(SYSTEM)
        except OperationError as exc:
            self.stderr.write(f"review demo skipped: {exc}")
