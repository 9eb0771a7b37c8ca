"""The certificates' audit actions as people read them (core.labels)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhicheng.core import labels

labels.register("audit_action", {
    "certificate.issue": _("签发电子证书"),
    "certificate.revoke": _("撤销电子证书"),
})
