"""The demo's revoked certificate (`zhicheng certificate_demo`, in `make run` after
`certificate issue-approved`): the city office revokes 孙立新's certificate of meeting 1 for
fraud, through `revoke_certificate`, so the public page, the signed revocation list and the
offline verifier all show a revoked certificate. Idempotent."""

from __future__ import annotations

from zhicheng.certificates.models import Certificate, CertificateStatus
from zhicheng.certificates.operations import revoke_certificate
from zhicheng.core.actors import Actor
from zhicheng.demo.evaluation import REVOCATION_DECISION, REVOCATION_EVIDENCE, REVOKED


def revoke_demo_certificate(actor: Actor) -> tuple[Certificate | None, bool]:
    """(the demo certificate or None when it is not issued yet, revoked now?)."""
    cert = Certificate.objects.filter(holder__username=REVOKED).order_by("pk").first()
    if cert is None or cert.status == CertificateStatus.REVOKED:
        return cert, False
    cert = revoke_certificate(cert, actor, evidence=REVOCATION_EVIDENCE,
                              decision_number=REVOCATION_DECISION)
    return cert, True
