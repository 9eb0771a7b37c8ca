from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models, router
from django.db.models import Q
from django.db.models.query import MAX_GET_RESULTS
from django.utils.translation import gettext_lazy as _

from zhicheng.core.prepared import key_value, prepared

from .identity import ForeignPermitType, IdType, Sex, mask_id


class NotifyChannels(models.TextChoices):
    """How a person wants notifications beyond the inbox (我的账户; applications.delivery).
    Blank: the default (officials e-mail and SMS, applicants e-mail, deadline notices both)."""

    EMAIL = "email", _("仅电子邮件")
    SMS = "sms", _("仅短信")
    BOTH = "both", _("电子邮件和短信")


class UserManager(DjangoUserManager["User"]):
    """Django's manager, with `get(pk=…)` alone answered by a statement compiled once
    (core.prepared).

    Django's ModelBackend.get_user asks exactly that on every signed-in request; building and
    compiling the query cost ~0.3 ms of CPU a request, more than fetching the row
    (docs/performance.md, "Page budgets"). The result is what the ORM gives: the same
    instance, the same conversions of each column, `DoesNotExist` when there is no row."""

    def get(self, *args: Any, **kwargs: Any) -> "User":
        if args or len(kwargs) != 1 or getattr(self, "_hints", None):
            return super().get(*args, **kwargs)
        (name, value), = kwargs.items()
        if name not in ("pk", self.model._meta.pk.attname):
            return super().get(*args, **kwargs)
        db = self._db or router.db_for_read(self.model)
        # An id the ORM would find nothing for (not a number, out of range): no row either.
        key = key_value(self.model, value)
        found = prepared(
            ("accounts.user_by_pk",),
            lambda pk: self.get_queryset().filter(pk=pk).order_by()[:MAX_GET_RESULTS], db,
        ).instances(key) if key is not None else []
        if not found:
            raise self.model.DoesNotExist(
                f"{self.model._meta.object_name} matching query does not exist.")
        return found[0]


class User(AbstractUser):
    """A person. Roles come from memberships in organisations (orgs.Membership).

    The identity number is stored here once and shown masked everywhere (`masked_id_number`);
    it is set through `accounts.operations.register_identity`, which writes the audit event.
    """

    full_name = models.CharField(_("姓名"), max_length=64, blank=True)
    id_type = models.CharField(_("证件类型"), max_length=20, choices=IdType.choices, blank=True)
    id_number = models.CharField(_("证件号码"), max_length=20, blank=True)
    foreign_permit_type = models.CharField(
        _("外国人证件类型"), max_length=20, choices=ForeignPermitType.choices, blank=True
    )
    foreign_permit_number = models.CharField(
        _("外国人工作许可证号或永久居留身份证号"), max_length=20, blank=True
    )
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    notify_channels = models.CharField(
        _("通知方式"), max_length=10, choices=NotifyChannels.choices, blank=True
    )
    # Sessions started before this moment are ended at their next request (accounts.sessions):
    # set when the city office resets the person's second factor.
    sessions_revoked_at = models.DateTimeField(_("会话失效时间"), null=True, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.UniqueConstraint(
                fields=["id_type", "id_number"],
                condition=~Q(id_number=""),
                name="accounts_user_id_number_unique_per_type",
                violation_error_message=_("该证件号码已注册。"),
            ),
            models.CheckConstraint(
                condition=Q(id_type="", id_number="") | (~Q(id_type="") & ~Q(id_number="")),
                name="accounts_user_id_type_and_number_together",
            ),
            models.CheckConstraint(
                condition=~Q(id_type=IdType.PASSPORT)
                | (~Q(foreign_permit_type="") & ~Q(foreign_permit_number="")),
                name="accounts_user_passport_needs_permit",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def masked_id_number(self) -> str:
        return mask_id(self.id_number)

    @property
    def masked_foreign_permit_number(self) -> str:
        return mask_id(self.foreign_permit_number)

    @property
    def has_identity(self) -> bool:
        return bool(self.id_type and self.id_number)
