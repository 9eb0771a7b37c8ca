"""The certificates' part of a restore check (core/backup.py `check_restored`): every
certificate's signature verifies with the restored public keys. Registered in apps.py."""

from __future__ import annotations

from zhicheng.core.backup import RestoreReport

from . import keys as keystore
from .models import Certificate
from .signing import verify_text


def check_certificate_signatures(report: RestoreReport) -> None:
    certificates = list(Certificate.objects.only("number", "payload", "signature", "key_id"))
    if not certificates:
        return
    try:
        public_keys = keystore.load_public_keys()
    except keystore.SigningKeyError as exc:
        report.problems.append(f"无法读取签名公钥 (cannot load public keys): {exc}")
        return
    bad = [c.number for c in certificates if not verify_text(c.qr_text, public_keys).valid]
    for number in bad:
        report.problems.append(f"证书 {number} 签名验证失败 (certificate does not verify)")
    report.checks.append(
        f"{len(certificates) - len(bad)}/{len(certificates)} 张证书签名有效 (certificates verify)"
    )
