from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import validate_credit_code


class City(models.Model):
    """A city running its own seasons on the installation (docs/seasons.md, 多城市).

    Its name and code come from the season package (`organisations.toml` `[city]`, else
    `season.toml`'s city and the season code's prefix). Every season, district and
    organisation a package names belongs to its city; an official sees only the city of the
    organisation they serve (`orgs.queries.city_of_user`).
    """

    code = models.SlugField(_("代码"), unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=60, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("城市")
        verbose_name_plural = _("城市")

    def __str__(self) -> str:
        return self.name


class DistrictKind(models.TextChoices):
    COUNTY = "county", _("县")
    DISTRICT = "district", _("区")
    ZONE = "zone", _("功能板块")


class District(models.Model):
    """A county, district or function zone of the city (attachment rows 62–71)."""

    code = models.SlugField(_("代码"), unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=DistrictKind.choices)
    plan_row = models.PositiveSmallIntegerField(_("计划表序号"), null=True, blank=True)
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, null=True, blank=True, related_name="districts",
        verbose_name=_("所属城市"),
    )

    class Meta:
        ordering = ["plan_row", "name"]
        verbose_name = _("县区（功能板块）")
        verbose_name_plural = _("县区（功能板块）")

    def __str__(self) -> str:
        return self.name


class OrgKind(models.TextChoices):
    CITY_OFFICE = "city_office", _("市职称办")
    DISTRICT_BUREAU = "district_bureau", _("县区人社局")
    CITY_DEPARTMENT = "city_department", _("市级部门")
    TALENT_CENTRE = "talent_centre", _("市人才服务中心")
    EMPLOYER = "employer", _("用人单位")
    PROVINCIAL = "provincial", _("省级评委会")


class EmployerType(models.TextChoices):
    PUBLIC_INSTITUTION = "public_institution", _("事业单位")
    STATE_ENTERPRISE = "state_enterprise", _("国有企业")
    PRIVATE_ENTERPRISE = "private_enterprise", _("民营企业")
    SOCIAL_ORGANISATION = "social_organisation", _("社会组织")
    OTHER = "other", _("其他")


class Organisation(models.Model):
    name = models.CharField(_("名称"), max_length=120, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=OrgKind.choices, db_index=True)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("所在县区"),
    )
    supervisor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised",
        limit_choices_to={"kind": OrgKind.CITY_DEPARTMENT},
        verbose_name=_("主管部门"),
        help_text=_("由市级行业主管部门初审的单位填写；否则由所在县区人社局初审。"),
    )
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_credit_code],
    )
    employer_type = models.CharField(
        _("单位性质"), max_length=24, choices=EmployerType.choices, blank=True
    )
    agency_managed = models.BooleanField(
        _("人事代理"),
        default=False,
        help_text=_("委托市人才服务中心进行人事代理的单位，由市人才服务中心审核上报（四）。"),
    )
    phone = models.CharField(_("电话"), max_length=40, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, null=True, blank=True, related_name="organisations",
        verbose_name=_("所属城市"),
        help_text=_("机构所属城市；不填则视为本系统唯一的城市（单城市安装）。"),
    )

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("机构")
        verbose_name_plural = _("机构")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CITY_OFFICE = "city_office", _("市职称办")
    PRELIMINARY_REVIEWER = "preliminary_reviewer", _("初审")
    COMMITTEE_OFFICE = "committee_office", _("评委会办事机构")
    UNIT_HR = "unit_hr", _("用人单位人事")
    EXPERT = "expert", _("评审专家")


class Membership(models.Model):
    """A person's role in an organisation. Jurisdiction follows from it (orgs.queries)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("人员"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("机构")
    )
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices)
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="orgs_membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"
