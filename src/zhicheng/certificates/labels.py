"""The certificates' audit actions and signature algorithms as people read them
(core.labels)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhicheng.core import labels

labels.register("audit_action", {
    "certificate.issue": _("签发电子证书"),
    "certificate.revoke": _("撤销电子证书"),
})

# A key's algorithm (docs/trust.md §Signature algorithms), on the keys pages and results.
labels.register("signature_algorithm", {
    "Ed25519": _("Ed25519"),
    "SM2": _("国密SM2（SM3杂凑）"),
})
