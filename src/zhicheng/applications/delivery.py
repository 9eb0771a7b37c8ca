"""Delivery of a notification beyond the inbox: e-mail and SMS (docs/notifications.md).

`plan_deliveries` decides the channels (the person's preference on 我的账户, else e-mail,
and both for notices with a deadline), renders each message once, in Chinese, with an
absolute link (ZHICHENG_SITE_URL), and stores it as a `Delivery`. `attempt` sends one
delivery once: a failure is recorded with its reason and tried again with exponential
backoff (`applications.retry_deliveries`, run by Celery beat or the embedded ticker)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.utils import timezone

from zhicheng.accounts.identity import is_mobile
from zhicheng.accounts.models import NotifyChannels
from zhicheng.core.links import absolute_url
from zhicheng.core.observe import mail_failed, mail_sent

from . import sms
from .models import Channel, Delivery, DeliveryState, Notification

logger = logging.getLogger(__name__)

# Notices that carry a deadline go by e-mail and SMS unless the person chose otherwise:
# the applicant's correction (四（三）) and what officials must handle within a period.
DEADLINE_KINDS = frozenset({
    "review.corrections_requested", "review.correction_reminder", "review.corrected",
    "publicity.objection", "evaluation.drawn", "evaluation.report_waiting",
})

# SMS texts per kind: short (one segment of 70 characters with a short link), naming what to
# do and the deadline. {title} is the inbox title, {due} the deadline, {link} the absolute link.
SMS_TEMPLATES: dict[str, str] = {
    "review.corrections_requested": "【职称评审】请于{due}前补正申报材料，逾期视为放弃：{link}",
    "review.correction_reminder": "【职称评审】补正期限{due}将届满，请尽快补正：{link}",
    "review.abandoned": "【职称评审】您逾期未补正，申报视为放弃。详见：{link}",
    "review.corrected": "【职称评审】申报人已提交补正，请及时复核：{link}",
    "publicity.objection": "【职称评审】收到公示异议，请在公示期内核实处理：{link}",
    "evaluation.drawn": "【职称评审】{title}，请按时参会：{link}",
    "evaluation.report_waiting": "【职称评审】{title}，请及时审批：{link}",
}
SMS_DEFAULT = "【职称评审】{title}。详见：{link}"
SMS_TITLE_CHARS = 20

LEASE = dt.timedelta(minutes=10)  # an attempt whose worker died is retried after this
BACKOFF_BASE = dt.timedelta(seconds=60)
BACKOFF_MAX = dt.timedelta(hours=6)


def backoff(attempts: int) -> dt.timedelta:
    """Wait after the n-th failed attempt: 60 s, 120 s, 240 s … at most 6 hours."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def channels_for(user: Any, kind: str) -> list[str]:
    """The channels a notice of `kind` goes by to `user`, among those they can receive."""
    choice = getattr(user, "notify_channels", "") or ""
    if choice == NotifyChannels.EMAIL:
        wanted = {Channel.EMAIL}
    elif choice == NotifyChannels.SMS:
        wanted = {Channel.SMS}
    elif choice == NotifyChannels.BOTH or kind in DEADLINE_KINDS:
        wanted = {Channel.EMAIL, Channel.SMS}
    else:
        wanted = {Channel.EMAIL}
    email = str(getattr(user, "email", "") or "")
    phone = str(getattr(user, "phone", "") or "")
    out: list[str] = []
    if Channel.EMAIL in wanted and email:
        out.append(Channel.EMAIL.value)
    if Channel.SMS in wanted and sms.sms_enabled() and is_mobile(phone):
        out.append(Channel.SMS.value)
    return out


def sms_text(kind: str, title: str, link: str, due: dt.date | None) -> str:
    template = SMS_TEMPLATES.get(kind, SMS_DEFAULT)
    if "{due}" in template and due is None:
        template = SMS_DEFAULT
    short = title if len(title) <= SMS_TITLE_CHARS else title[: SMS_TITLE_CHARS - 1] + "…"
    return template.format(title=short, due=due.isoformat() if due else "", link=link)


def email_text(n: Notification, link: str) -> str:
    body = n.body
    if link:
        body = (body + "\n\n" if body else "") + f"查看详情：{link}"
    return body + "\n\n（本邮件由职称评审系统自动发送，请勿直接回复。）"


def plan_deliveries(n: Notification, *, due: dt.date | None = None) -> list[Delivery]:
    """Store one queued delivery per channel of `n` (in the caller's transaction)."""
    link = absolute_url(n.url) if n.url else absolute_url("/apply/inbox/")
    now = timezone.now()
    rows = []
    for channel in channels_for(n.user, n.kind):
        if channel == Channel.EMAIL:
            rows.append(Delivery(
                notification=n, channel=channel, address=n.user.email,
                subject=f"[职称评审] {n.title}"[:200], text=email_text(n, link),
                next_attempt_at=now,
            ))
        else:
            rows.append(Delivery(
                notification=n, channel=channel, address=n.user.phone,
                text=sms_text(n.kind, n.title, link, due), next_attempt_at=now,
            ))
    return Delivery.objects.bulk_create(rows)


def _reason(exc: BaseException) -> str:
    """What went wrong, for officials: a provider's Chinese reason, else the error's class
    and first line (mail servers name hosts and codes, never the password)."""
    if isinstance(exc, sms.SmsError):
        return str(exc)[:300]
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    # People read a kind in Chinese, never an exception class (that goes to the log).
    logger.info("delivery failed: %s", type(exc).__name__)
    if isinstance(exc, TimeoutError):
        kind = "发送超时"
    elif isinstance(exc, (ConnectionError, OSError)):
        kind = "无法连接邮件或短信服务器"
    else:
        kind = "发送出错"
    return (f"{kind}（{first}）" if first else kind)[:300]


def _send(d: Delivery) -> None:
    if d.channel == Channel.EMAIL:
        send_mail(d.subject, d.text, settings.DEFAULT_FROM_EMAIL, [d.address])
    else:
        sms.get_backend().send(d.address, d.text)


def attempt(delivery_id: int) -> bool:
    """Try one due delivery once; True when it was sent. Claiming the row (attempts + 1, the
    next attempt pushed past the lease) makes two workers never send it twice."""
    now = timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, state__in=[DeliveryState.QUEUED, DeliveryState.FAILED],
        next_attempt_at__lte=now,
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + LEASE)
    if not claimed:
        return False
    d = Delivery.objects.get(pk=delivery_id)
    try:
        _send(d)
    except Exception as exc:  # the inbox row stays; a failure is recorded and retried
        d.state = DeliveryState.FAILED
        d.last_error = _reason(exc)
        limit = int(getattr(settings, "ZHICHENG_DELIVERY_MAX_ATTEMPTS", 6))
        d.next_attempt_at = now + backoff(d.attempts) if d.attempts < limit else None
        d.save(update_fields=["state", "last_error", "next_attempt_at"])
        logger.warning("delivery %s (%s) of notification %s failed (attempt %s): %s",
                       d.pk, d.channel, d.notification_id, d.attempts, d.last_error)
        mail_failed("notification" if d.channel == Channel.EMAIL else "sms")
        return False
    d.state, d.sent_at, d.next_attempt_at, d.last_error = DeliveryState.SENT, now, None, ""
    d.save(update_fields=["state", "sent_at", "next_attempt_at", "last_error"])
    if d.channel == Channel.EMAIL:
        Notification.objects.filter(pk=d.notification_id, emailed_at__isnull=True) \
            .update(emailed_at=now)
    mail_sent("notification" if d.channel == Channel.EMAIL else "sms")
    return True


def due_ids(limit: int = 500) -> list[int]:
    return list(Delivery.objects.filter(
        state__in=[DeliveryState.QUEUED, DeliveryState.FAILED],
        next_attempt_at__lte=timezone.now(),
    ).order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
