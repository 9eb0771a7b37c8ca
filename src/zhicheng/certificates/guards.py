"""Guards of `issue_certificate` and `revoke` (registered into applications.states.GUARDS)."""

from __future__ import annotations

from typing import Any

from zhicheng.applications.models import Route
from zhicheng.applications.states import NO_CONTEXT, GuardContext, guard
from zhicheng.core import clock
from zhicheng.core.actors import Actor
from zhicheng.core.operations import OperationError

from .keys import load_public_keys
from .models import Certificate, CertificateStatus
from .operations import initial_determination_round
from .signing import verify_text


@guard("certificate_signed")
def certificate_signed(
    application: Any, actor: Actor, context: GuardContext = NO_CONTEXT
) -> str | None:
    cert = Certificate.objects.filter(
        application_id=application.pk, status=CertificateStatus.VALID
    ).first()
    if cert is None:
        return "尚未生成并签名电子证书。"
    if not verify_text(cert.qr_text, load_public_keys()).valid:
        return "电子证书签名校验失败，请检查签名密钥。"
    return None


@guard("fraud_established")
def fraud_established(
    application: Any, actor: Actor, context: GuardContext = NO_CONTEXT
) -> str | None:
    if not context.evidence.strip() or not context.decision_number.strip():
        return "撤销须认定弄虚作假：请写明事实与证据和处理决定文号（五（四））。"
    return None


@guard("special_route")
def special_route(application: Any, actor: Actor, context: GuardContext = NO_CONTEXT) -> str | None:
    if application.route not in (Route.INITIAL_DETERMINATION, Route.ASSESSMENT_RECOGNITION):
        return "只有职称初定和考核认定可不经评审会议直接核准（二（六）、二（十一））。"
    return None


@guard("in_initial_determination_round")
def in_initial_determination_round(
    application: Any, actor: Actor, context: GuardContext = NO_CONTEXT
) -> str | None:
    if application.route != Route.INITIAL_DETERMINATION:
        return None
    try:
        initial_determination_round(application.season, clock.today())
    except OperationError as refused:
        return str(refused)
    return None
