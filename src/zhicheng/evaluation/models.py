"""The evaluation meeting (评审会议): committees, the expert pool, opening report, draw,
attendance, recusal, secret ballot, tally, data report. Writes go through operations.py."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhicheng.catalogue.models import Level
from zhicheng.core.clock import BusinessTimestampField


class Committee(models.Model):
    name = models.CharField(_("评委会名称"), max_length=120, unique=True)
    office = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="committees",
        verbose_name=_("评委会办事机构"),
    )
    series = models.ManyToManyField("catalogue.Series", related_name="committees",
                                    verbose_name=_("系列"))
    specialties = models.JSONField(_("专业"), default=list, blank=True)
    levels = models.JSONField(_("层级"), default=list)
    by_specialty = models.BooleanField(_("按专业组建"), default=True)
    plans = models.ManyToManyField("seasons.CommitteePlan", related_name="committees",
                                   blank=True, verbose_name=_("评审计划"))
    term_start = models.DateField(_("任期开始"))
    term_end = models.DateField(_("任期结束"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("评委会")
        verbose_name_plural = _("评委会")
        constraints = [
            models.CheckConstraint(condition=Q(term_end__gte=models.F("term_start")),
                                   name="eval_committee_term_order"),
        ]

    def __str__(self) -> str:
        return self.name


class Expert(models.Model):
    """A person in the expert pool (评审专家库)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="expert_entries", verbose_name=_("人员"))
    series = models.ForeignKey("catalogue.Series", on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("系列"))
    specialty = models.CharField(_("专业"), max_length=120)
    title_level = models.CharField(_("职称层级"), max_length=20, choices=Level.choices)
    unit = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT,
                             related_name="experts", verbose_name=_("工作单位"))
    former_units = models.JSONField(_("曾任职单位"), default=list, blank=True,
                                    help_text=_("[{\"unit\": 名称, \"until\": 日期}]"))
    term_start = models.DateField(_("入库日期"))
    term_end = models.DateField(_("任期届满"))
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家库")

    def __str__(self) -> str:
        return f"{self.user} · {self.specialty}"


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("主任委员")
    VICE_CHAIR = "vice_chair", _("副主任委员")
    MEMBER = "member", _("委员")


class CommitteeMember(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("职务"), max_length=12, choices=MemberRole.choices,
                            default=MemberRole.MEMBER)

    class Meta:
        verbose_name = _("评委会委员")
        verbose_name_plural = _("评委会委员")
        constraints = [models.UniqueConstraint(fields=["committee", "expert"],
                                               name="eval_member_unique")]


class ConflictKind(models.TextChoices):
    KINSHIP = "kinship", _("亲属关系")
    SUPERVISION = "supervision", _("师生或上下级关系")
    DECLARED = "declared", _("专家申报的其他利害关系")


class ConflictDeclaration(models.Model):
    """A declared conflict between an expert and an applicant (person) or a unit (every
    applicant employed there); declared by the expert online or recorded by the office."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="conflicts")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  null=True, blank=True, related_name="+",
                                  verbose_name=_("申报人"))
    unit = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, null=True,
                             blank=True, related_name="+", verbose_name=_("单位"))
    kind = models.CharField(_("类型"), max_length=12, choices=ConflictKind.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    declared_on = models.DateField(_("申报日期"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("利害关系申报")
        verbose_name_plural = _("利害关系申报")
        constraints = [
            models.CheckConstraint(
                condition=Q(applicant__isnull=False, unit__isnull=True)
                | Q(applicant__isnull=True, unit__isnull=False),
                name="eval_conflict_applicant_or_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert.user} · {self.applicant or self.unit} · {self.get_kind_display()}"


class MeetingState(models.TextChoices):
    DRAFT = "draft", _("草拟开评报告")
    SUBMITTED = "submitted", _("开评报告待审批")
    RETURNED = "returned", _("开评报告被退回")
    APPROVED = "approved", _("开评报告已批准")
    DRAWN = "drawn", _("评委已抽取")
    OPEN = "open", _("会议进行中")
    TALLIED = "tallied", _("已计票")
    SIGNED = "signed", _("计票已签字确认")
    PUBLISHED = "published", _("结果公示中")
    FILED = "filed", _("已核准备案")


class Meeting(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings",
                                  verbose_name=_("评委会"))
    season = models.ForeignKey("seasons.Season", on_delete=models.PROTECT,
                               related_name="meetings", verbose_name=_("年度"))
    date = models.DateField(_("会议日期"))
    place = models.CharField(_("会议地点"), max_length=200)
    state = models.CharField(_("状态"), max_length=12, choices=MeetingState.choices,
                             default=MeetingState.DRAFT)
    pass_rate = models.DecimalField(_("评审通过率（%）"), max_digits=5, decimal_places=2,
                                    null=True, blank=True)
    draw_spec = models.JSONField(_("抽取方案"), default=list,
                                 help_text=_("[{specialty, level, count, reserve}]"))
    roster = models.JSONField(_("评审对象花名册"), default=list, blank=True)
    report_submitted_on = models.DateField(_("开评报告报送日期"), null=True, blank=True)
    report_reasons = models.TextField(_("退回理由"), blank=True)
    report_decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    seed_hash = models.CharField(_("种子哈希"), max_length=64, blank=True)
    seed = models.CharField(_("随机种子"), max_length=128, blank=True)
    draw_inputs = models.JSONField(_("抽取输入"), default=dict, blank=True)
    draw_result = models.JSONField(_("抽取结果"), default=dict, blank=True)
    ceiling_decision = models.TextField(_("超出通过率的处理决定"), blank=True)
    # The city office's 核准备案 document, given when it files the results; the certificates
    # of the meeting carry it as their approval number.
    approval_number = models.CharField(_("核准备案文号"), max_length=80, blank=True)
    counter = models.ForeignKey("CommitteeSeat", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+", verbose_name=_("计票人"))
    scrutineer = models.ForeignKey("CommitteeSeat", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+", verbose_name=_("监票人"))
    counter_signed = models.BooleanField(_("计票人已签字"), default=False)
    scrutineer_signed = models.BooleanField(_("监票人已签字"), default=False)
    results_published_on = models.DateField(_("结果公布日期"), null=True, blank=True)
    # 评审会议由主任委员或者副主任委员主持 (人社部令第40号): named before the meeting opens.
    presiding = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+", verbose_name=_("会议主持人"))

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = _("评审会议")
        verbose_name_plural = _("评审会议")

    def __str__(self) -> str:
        return f"{self.committee} {self.date:%Y-%m-%d}"

    @property
    def seats_drawn(self) -> int:
        return sum(int(g.get("count", 0)) for g in self.draw_spec)


class Exclusion(models.Model):
    """An expert excluded before the draw, with the reason (回避)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="exclusions")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    reason = models.CharField(_("回避理由"), max_length=200)
    overridden = models.BooleanField(_("已撤销回避"), default=False)
    override_reason = models.CharField(_("撤销理由"), max_length=200, blank=True)

    class Meta:
        ordering = ["expert_id", "pk"]
        verbose_name = _("抽取前回避")
        verbose_name_plural = _("抽取前回避")


class CommitteeSeat(models.Model):
    """An expert drawn for a meeting (selected or reserve) and their attendance."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="seats")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="seats")
    position = models.PositiveSmallIntegerField(_("抽取顺序"))
    reserve = models.BooleanField(_("备选"), default=False)
    called_in = models.BooleanField(_("备选递补"), default=False)
    call_in_reason = models.CharField(_("递补理由"), max_length=200, blank=True)
    # Not stored: attendance is per sitting (`Attendance`); `queries.sitting(meeting, at)`
    # sets it on the seats it returns from the attendance of the sitting asked.
    present = False

    class Meta:
        ordering = ["reserve", "position"]
        verbose_name = _("抽取评委")
        verbose_name_plural = _("抽取评委")
        constraints = [models.UniqueConstraint(fields=["meeting", "expert"],
                                               name="eval_seat_unique")]

    @property
    def sits(self) -> bool:
        return not self.reserve or self.called_in


class Sitting(models.Model):
    """One day of a meeting (分场会议): a large roster is voted over several working days, each
    sitting with its own place, presiding chair or vice-chair and attendance (quorum is
    judged per sitting, 人社部令第40号 第二十四条). Sitting 1 is the meeting as the opening
    report gives it: its date, place and presiding are also the meeting's own fields, written
    together by the operations (docs/evaluation.md §Sittings)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sittings")
    number = models.PositiveSmallIntegerField(_("场次"))
    date = models.DateField(_("会议日期"))
    place = models.CharField(_("会议地点"), max_length=200)
    presiding = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+", verbose_name=_("会议主持人"))

    class Meta:
        ordering = ["meeting_id", "number"]
        verbose_name = _("分场会议")
        verbose_name_plural = _("分场会议")
        constraints = [models.UniqueConstraint(fields=["meeting", "number"],
                                               name="eval_sitting_unique")]

    def __str__(self) -> str:
        return f"第{self.number}场 {self.date:%Y-%m-%d}"


class Attendance(models.Model):
    """A seat present at a sitting (no row: absent)."""

    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="attendance")
    seat = models.ForeignKey("CommitteeSeat", on_delete=models.CASCADE,
                             related_name="attendance")

    class Meta:
        verbose_name = _("出席")
        verbose_name_plural = _("出席")
        constraints = [models.UniqueConstraint(fields=["sitting", "seat"],
                                               name="eval_attendance_unique")]


class Case(models.Model):
    """An applicant on the meeting's roster, voted at one of its sittings."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="cases")
    # None only for a case written outside the operations (the opening report assigns the
    # first sitting): it then belongs to the first sitting (`queries.sitting_of`).
    sitting = models.ForeignKey(Sitting, on_delete=models.RESTRICT, null=True, blank=True,
                                related_name="cases", verbose_name=_("场次"))
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT,
                                    related_name="evaluation_cases")
    defence_note = models.TextField(_("答辩记录"), blank=True)
    ballot_open = models.BooleanField(_("投票进行中"), default=False)
    ballot_closed = models.BooleanField(_("投票已结束"), default=False)
    agree = models.PositiveSmallIntegerField(_("同意"), null=True, blank=True)
    disagree = models.PositiveSmallIntegerField(_("不同意"), null=True, blank=True)
    abstain = models.PositiveSmallIntegerField(_("弃权"), null=True, blank=True)
    attending = models.PositiveSmallIntegerField(_("参加表决人数"), null=True, blank=True)
    # Frozen when the vote opens: the seats that may vote (present, sitting, not recused).
    # Attendance or recusals changed later never move this case's denominator.
    eligible_seats = models.JSONField(_("应投评委"), default=list, blank=True)
    not_voted = models.PositiveSmallIntegerField(_("未投票"), null=True, blank=True)
    # {seat id: why that eligible expert cast no ballot}, recorded by the office at the close
    # (who voted is participation, which may be recorded; never what anyone chose).
    missing_reasons = models.JSONField(_("未投票原因"), default=dict, blank=True)
    passed = models.BooleanField(_("表决通过"), null=True, blank=True)
    held_back = models.BooleanField(_("因通过率未通过"), default=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("评审对象")
        verbose_name_plural = _("评审对象")
        constraints = [models.UniqueConstraint(fields=["meeting", "application"],
                                               name="eval_case_unique")]


class Recusal(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recusals")
    seat = models.ForeignKey(CommitteeSeat, on_delete=models.CASCADE, related_name="recusals")
    reason = models.CharField(_("回避理由"), max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "seat"],
                                               name="eval_recusal_unique")]


class Choice(models.TextChoices):
    AGREE = "agree", _("同意")
    DISAGREE = "disagree", _("不同意")
    ABSTAIN = "abstain", _("弃权")


class BallotReceipt(models.Model):
    """WHO has voted on a case (participation: no choice, no receipt code here)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="receipts")
    seat = models.ForeignKey(CommitteeSeat, on_delete=models.CASCADE, related_name="receipts")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "seat"],
                                               name="eval_one_ballot_each")]


class SealedBallot(models.Model):
    """A ballot cast on a vote still open: its choice and receipt code encrypted with the
    case's tally key, a file outside the database deleted once the vote is counted. It is
    written with the voter's receipt (same transaction), so it must reveal nothing: fixed
    length, random key, no timestamp; `close_ballot` deletes it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sealed_ballots")
    sealed = models.BinaryField()


class Ballot(models.Model):
    """WHAT was voted: no expert, no receipt code, no timestamp, a random primary key. Written
    only by `close_ballot`, all of a case's ballots in one statement ordered by choice, so
    neither the transaction, the key nor the row order follows the order of voting."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="ballots")
    choice = models.CharField(_("表决意见"), max_length=10, choices=Choice.choices)

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")


class CountedReceipt(models.Model):
    """A receipt code whose ballot was counted (written by `close_ballot`, in code order):
    proves inclusion to the voter, never the choice."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="counted_receipts")
    code = models.CharField(_("回执码"), max_length=32)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["case", "code"],
                                               name="eval_counted_receipt_unique")]


class DossierAccess(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    at = BusinessTimestampField(_("查阅时间"), auto_now_add=True)

    class Meta:
        ordering = ["-at"]


class DataReport(models.Model):
    """The season's evaluation data sent by a committee office to the city office (五（二））."""

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT,
                                   related_name="data_report")
    due_on = models.DateField(_("报送期限"))
    sent_on = models.DateField(_("报送日期"), null=True, blank=True)
    payload = models.JSONField(_("数据"), default=dict, blank=True)
    sha256 = models.CharField(_("数据哈希"), max_length=64, blank=True)

    class Meta:
        ordering = ["due_on"]
        verbose_name = _("评审数据报送")
        verbose_name_plural = _("评审数据报送")

    @property
    def late(self) -> bool:
        return self.sent_on is not None and self.sent_on > self.due_on
