"""Reads, scoped to the actor and with their related rows fetched up front (docs/architecture.md):
a page runs a constant number of queries whatever the number of applications."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import router
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.db.models.query import MAX_GET_RESULTS
from django.http import Http404

from zhicheng.catalogue.models import Series
from zhicheng.core.compiled import Compiled, Related, instances, kept, values_of
from zhicheng.core.prepared import INT_MARKERS, first_of, key_value, prepared
from zhicheng.integrity.queries import HAS_RECORDS, has_records
from zhicheng.orgs.models import Membership, Role
from zhicheng.publicity.models import Publicity
from zhicheng.reviews.models import CorrectionRequest, CorrectionStatus
from zhicheng.seasons.models import CommitteePlan, Season
from zhicheng.seasons.queries import current_season as current

from .models import (
    ApplicantProfile,
    Application,
    Delivery,
    DeliveryState,
    Material,
    Notification,
    Submission,
)
from .states import State


def _base() -> QuerySet[Application]:
    return Application.objects.select_related(
        "applicant", "season", "plan", "plan__office", "series", "employer",
        "preliminary_reviewer",
    )


def _anonymous(user: Any) -> bool:
    return not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False)


def my_applications(user: Any) -> QuerySet[Application]:
    """The applicant's own applications, with materials and submissions prefetched, and the
    open correction request and the publicities that are not closed (the dashboard's deadlines)
    as `open_corrections` and `open_publicities`."""
    if _anonymous(user):
        return Application.objects.none()
    return (
        _base()
        .filter(applicant=user)
        .prefetch_related(
            Prefetch("materials", queryset=Material.objects.order_by("uploaded_at", "pk")),
            Prefetch("submissions", queryset=Submission.objects.order_by("number")),
            *_open_items(),
        )
    )


# The states whose next step names no publicity (`views.next_step`): a draft, a dossier at its
# unit, a correction requested.
STEPS_WITHOUT_PUBLICITY = frozenset({State.DRAFT, State.SUBMITTED, State.CORRECTION_REQUESTED})


def _open_items() -> list[Prefetch[Any]]:
    """An application's open correction requests and the publicities not closed, as the
    applicant's pages show them (`open_corrections`, `open_publicities`)."""
    return [
        Prefetch("correction_requests", queryset=CorrectionRequest.objects.filter(
            status=CorrectionStatus.OPEN).order_by("due_date"), to_attr="open_corrections"),
        Prefetch("publicities", queryset=Publicity.objects.filter(
            closed_at__isnull=True).order_by("first_day"), to_attr="open_publicities"),
    ]


# The dashboard's queries, compiled once per thread (core.compiled: their converters belong to
# the thread's connection) with _STAND_IN for the user's id, by database (the router's choice).
# Building and compiling the joined queryset was a third of the page's view CPU at 100,000
# applications (bench/load/page_budgets.py) for a person's one or two applications.
_STAND_IN = -987654321

# What the dashboard shows of an application and of its plan, series and season, and what its
# next step reads (`views.next_step`, `views._window_end`): the rest of each row is deferred.
DASHBOARD_FIELDS = ("id", "applicant_id", "season_id", "plan_id", "series_id", "specialty",
                    "level", "state", "commitment_accepted_at")
DASHBOARD_RELATED: list[Related] = [
    ("plan", CommitteePlan, ("id", "season_id", "row", "specialty", "office_name",
                             "acceptance_text", "acceptance_mask")),
    ("series", Series, ("id", "name")),
    ("season", Season, ("id", "year")),
]
# What the dashboard shows of a notification (the template's inbox).
DASHBOARD_NOTIFICATION_FIELDS = ("created_at", "url", "title", "body", "read_at")


def _dashboard_query(name: str, build: Any) -> Compiled:
    return kept(("applications.dashboard", name, router.db_for_read(Application)), build,
                stand_in=_STAND_IN)


def _applications_query() -> QuerySet[Any]:
    # The model's order (the newest first), as the ORM's queryset had it.
    return Application.objects.filter(applicant_id=_STAND_IN).values(
        *values_of(DASHBOARD_FIELDS, DASHBOARD_RELATED))


def dashboard_applications(user: Any) -> list[Application]:
    """The applicant's own applications with what the dashboard shows of each (plan, series,
    the season's year; `open_corrections` while a correction is requested, `open_publicities`
    once past the unit's check, as `my_applications` has them): neither the materials and
    submissions nor the other related rows, which the dashboard does not show. The open items
    are read only for the applications whose next step shows them (`views.next_step`), so an
    applicant with drafts pays one query, not three. The rows are model instances with only
    DASHBOARD_FIELDS loaded, built from one compiled query (`Model.from_db`, as the ORM)."""
    if _anonymous(user):
        return []
    apps: list[Application] = instances(
        _dashboard_query("applications", _applications_query), user.pk, Application,
        DASHBOARD_FIELDS, DASHBOARD_RELATED)
    correcting = [a for a in apps if a.state == State.CORRECTION_REQUESTED]
    publicized = [a for a in apps if a.state not in STEPS_WITHOUT_PUBLICITY]
    if correcting or publicized:  # the prefetches' querysets are built only when read
        corrections, publicities = _open_items()
        prefetch_related_objects(correcting, corrections)
        prefetch_related_objects(publicized, publicities)
    return apps


def unit_applications(user: Any, units: Iterable[int] | None = None) -> QuerySet[Application]:
    """Submitted applications of the employers where the user is HR (read-only for now).
    `units`: those employers' ids when the caller has read the memberships already; none
    runs no query (the subquery's plan scanned the applications even when it was empty)."""
    if _anonymous(user):
        return Application.objects.none()
    employers: Any
    if units is not None:
        employers = sorted(units)
        if not employers:
            return Application.objects.none()
    else:
        employers = Membership.objects.filter(
            user=user, role=Role.UNIT_HR, active=True).values("organisation_id")
    return (
        _base()
        .filter(employer_id__in=employers, submitted_at__isnull=False)
        .exclude(state=State.DRAFT)
        .prefetch_related("materials", "submissions")
    )


def visible_applications(user: Any) -> QuerySet[Application]:
    """Everything the user may open: their own, and their unit's submitted ones."""
    if _anonymous(user):
        return Application.objects.none()
    units = Membership.objects.filter(user=user, role=Role.UNIT_HR, active=True).values(
        "organisation_id"
    )
    return (
        _base()
        .filter(
            Q(applicant=user)
            | (Q(employer_id__in=units, submitted_at__isnull=False) & ~Q(state=State.DRAFT))
        )
        .prefetch_related(
            Prefetch("materials", queryset=Material.objects.order_by("uploaded_at", "pk")),
            Prefetch("submissions", queryset=Submission.objects.order_by("number")),
        )
    )


def application_for(user: Any, pk: int) -> Application:
    """One application the user may see, or 404 (never 403: existence is not leaked)."""
    try:
        return visible_applications(user).get(pk=pk)
    except Application.DoesNotExist:
        raise Http404("没有找到该申报。") from None


def own_application(user: Any, pk: int) -> Application:
    try:
        return my_applications(user).get(pk=pk)
    except Application.DoesNotExist:
        raise Http404("没有找到该申报。") from None


def _own_compiled(user: Any, pk: Any, name: str,
                  build: Callable[[Any], QuerySet[Application]]) -> Application:
    """One's own application by `pk` through a query compiled once (core.prepared) and
    named `name`: `build(applications)` narrows the person's applications to what the caller
    reads; else 404 (as `own_application`), an id out of the column's range included."""
    if _anonymous(user):
        raise Http404("没有找到该申报。")
    key = key_value(Application, pk)
    found = prepared(
        (name,),
        lambda user_id, app_id: build(Application.objects.filter(applicant_id=user_id))
        .filter(pk=app_id).order_by()[:MAX_GET_RESULTS],
        router.db_for_read(Application), markers=INT_MARKERS[:2],
    ).instances(user.pk, key) if key is not None else []
    if not found:
        raise Http404("没有找到该申报。")
    return found[0]


def own_application_to_upload(user: Any, pk: int) -> Application:
    """One's own application, as much of its row as an upload checks before its operation
    locks and reads the row again (operations.add_material: the state, the owner); else 404.
    The whole dashboard read (seven related rows, four prefetches) was half of an upload's
    CPU, the ORM's build of this small one most of the rest of the view's own
    (docs/performance.md, "Page budgets")."""
    return _own_compiled(user, pk, "applications.own_application_to_upload",
                         lambda apps: apps.only("id", "applicant_id", "state"))


def profile_facts_of(user: Any) -> ApplicantProfile | None:
    """The user's profile with its facts and their meta only (what `fact_choices` reads: the
    rows a material may prove), its `user` the one given. Compiled once (core.prepared):
    every upload reads it."""
    if _anonymous(user):
        return None
    found = prepared(
        ("applications.profile_facts_of",),
        lambda user_id: first_of(ApplicantProfile.objects.only("id", "user_id", "facts", "meta")
                                 .filter(user_id=user_id)),
        router.db_for_read(ApplicantProfile),
    ).instances(user.pk)
    profile = found[0] if found else None
    if profile is not None:
        profile.user = user
    return profile


# What the decision reads of a material (profiles.extra_achievements).
DECIDED_MATERIAL_FIELDS = ("id", "application_id", "kind", "title", "document_date",
                           "is_representative", "proves", "uploaded_at")


def own_application_to_submit(user: Any, pk: int) -> Application:
    """One's own application, its row's key only: the submission reads the rest with the
    row's lock (operations.submit_application); else 404 (as `own_application`)."""
    return _own_compiled(user, pk, "applications.own_application_to_submit",
                         lambda apps: apps.only("id", "applicant_id"))


def own_application_to_decide(user: Any, pk: int) -> Application:
    """One's own application with what the live pre-check reads (its materials in upload
    order, the fields the decision reads of them), without the dashboard's other rows; else
    404 (as `own_application`). Not its season: the form filters the plans by `season_id` and
    a draft is decided under the chosen plan's season."""
    return _own_compiled(
        user, pk, "applications.own_application_to_decide",
        # What the pre-check reads of the row: the season's id (the plans), the version a
        # submitted application was decided under.
        lambda apps: apps.only("id", "applicant_id", "season_id", "season_version_id")
        .prefetch_related(Prefetch("materials", queryset=Material.objects.order_by(
            "uploaded_at", "pk").only(*DECIDED_MATERIAL_FIELDS))))


def material_for(user: Any, application_pk: int, pk: int) -> Material:
    app = application_for(user, application_pk)
    for m in app.materials.all():
        if m.pk == pk:
            return m
    raise Http404("没有找到该材料。")


def profile_to_decide(user: Any) -> ApplicantProfile | None:
    """The user's profile with what a decision reads (the employer: employment facts), its
    `user` the one given (not read again)."""
    if _anonymous(user):
        return None
    found = prepared(
        ("applications.profile_to_decide",),
        lambda user_id: first_of(
            ApplicantProfile.objects.select_related("employer").filter(user_id=user_id)
            .annotate(**{HAS_RECORDS: has_records("user_id")})),  # profile_payload reads it
        router.db_for_read(ApplicantProfile),
    ).instances(user.pk)  # compiled once (core.prepared): every live pre-check reads it
    profile = found[0] if found else None
    if profile is not None:
        profile.user = user
    return profile


def profile_of(user: Any) -> ApplicantProfile | None:
    if _anonymous(user):
        return None
    return (
        ApplicantProfile.objects.select_related("user", "employer", "employer__district")
        .filter(user=user)
        .first()
    )


def _dashboard_inbox_query(limit: int) -> QuerySet[Any]:
    unread = (Notification.objects.filter(user_id=_STAND_IN, read_at__isnull=True).order_by()
              .values("user_id").annotate(n=Count("pk")).values("n"))
    return (Notification.objects.filter(user_id=_STAND_IN)
            .annotate(unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)))
            .values(*DASHBOARD_NOTIFICATION_FIELDS, "unread")[:limit])


def dashboard_inbox(request: Any, limit: int = 10) -> list[dict[str, Any]]:
    """The user's latest notifications as `inbox(user, limit)` has them, as values of
    DASHBOARD_NOTIFICATION_FIELDS, in one query with the number of their unread ones, which is
    kept as the request's `request_unread_count` (the page's badge and its work bar): no
    notification, none unread."""
    user: Any = getattr(request, "user", None)
    if _anonymous(user):
        return []
    compiled = _dashboard_query(f"inbox-{limit}", lambda: _dashboard_inbox_query(limit))
    found = compiled.rows(user.pk)
    request._zc_unread_count = found[0]["unread"] if found else 0
    return found


def inbox(user: Any, limit: int = 50) -> QuerySet[Notification]:
    if _anonymous(user):
        return Notification.objects.none()
    return Notification.objects.filter(user=user).select_related("application")[:limit]


def unread_count(user: Any) -> int:
    if _anonymous(user):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def request_unread_count(request: Any) -> int:
    """`unread_count(request.user)`, counted once per request (a page and its work bar)."""
    count = getattr(request, "_zc_unread_count", None)
    if count is None:
        count = unread_count(getattr(request, "user", None))
        request._zc_unread_count = count
    return int(count)


def plans_for(season: Season | int) -> QuerySet[CommitteePlan]:
    return (
        CommitteePlan.objects.filter(season=season)
        .select_related("season", "office")
        .prefetch_related("series")
        .order_by("row")
    )


def current_season(city: Any = None) -> Season | None:
    """The current published season (of `city` when given; an applicant applies in the city
    of the season they chose, `seasons.queries.current_season`)."""

    return current(city)


def _colleague_plans(season_id: int, series_id: int, level: str, employer_id: int,
                     exclude_pk: int | None) -> QuerySet[Application]:
    qs = (
        Application.objects.filter(
            season_id=season_id, series_id=series_id, level=level, employer_id=employer_id
        )
        .exclude(state=State.WITHDRAWN)
        .select_related("plan")
    )
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("created_at")[:1]


_LEVEL_MARKER = "\x00colleague-plan-level"  # marks the level's place (core.prepared)


def colleague_plan(
    employer_id: int | None, season: Season, series_id: int, level: str, exclude_pk: int | None
) -> Application | None:
    """Another application of the same unit, series and level this season (四). Compiled
    once (core.prepared): it runs on every submission, within the employer's lock."""
    if not employer_id:
        return None
    excluding = bool(exclude_pk)
    markers = (*INT_MARKERS[:3], _LEVEL_MARKER, *INT_MARKERS[3:4 if excluding else 3])
    read = prepared(
        ("applications.colleague_plan", excluding),
        lambda s, se, e, lv, x=None: _colleague_plans(s, se, lv, e, x),
        router.db_for_read(Application), markers=markers,
    )
    values = (season.pk if isinstance(season, Season) else season, series_id, employer_id, level,
              *((exclude_pk,) if excluding else ()))
    found = read.instances(*values)
    return found[0] if found else None


def delivery_scope(user: Any) -> QuerySet[Delivery]:
    """The deliveries a city office oversees: those of its city's applications and of its
    city's people (an office serving the whole installation sees all)."""
    if _anonymous(user):
        return Delivery.objects.none()
    cities = set(Membership.objects.filter(
        user=user, role=Role.CITY_OFFICE, active=True,
    ).values_list("organisation__city_id", flat=True))
    if not cities:
        return Delivery.objects.none()
    qs = Delivery.objects.all()
    if None not in cities:
        # A notice without an application belongs to the city of its recipient's office or
        # employer.
        recipient = OuterRef("notification__user_id")
        qs = qs.filter(
            Q(notification__application__season__owner_id__in=cities)
            | Q(notification__application__isnull=True) & (
                Exists(Membership.objects.filter(
                    user_id=recipient, active=True, organisation__city_id__in=cities))
                | Exists(ApplicantProfile.objects.filter(
                    user_id=recipient, employer__city_id__in=cities))
            )
        )
    return qs


def deliveries_for(user: Any, *, failed_only: bool = True,
                   limit: int = 200) -> QuerySet[Delivery]:
    qs = delivery_scope(user).select_related("notification", "notification__user")
    if failed_only:
        qs = qs.filter(state=DeliveryState.FAILED)
    return qs.order_by("-created_at", "-pk")[:limit]


def delivery_counts(user: Any) -> dict[str, int]:
    """How many deliveries are in each state (one query)."""
    rows = delivery_scope(user).order_by().values_list("state").annotate(n=Count("pk"))
    counts = {state.value: 0 for state in DeliveryState}
    counts.update(dict(rows))
    return counts
