import pytest
from django.core.exceptions import ValidationError

from zhicheng.orgs.models import Membership, Organisation, OrgKind, Role
from zhicheng.orgs.queries import jurisdiction, preliminary_reviewer_for
from zhicheng.orgs.validators import validate_credit_code


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91320706MA1N00001", "18位"),
        ("91320706MA1N00001I", "不允许的字符"),
        ("91320706MA1N000011", "校验位"),
    ],
)
def test_bad_credit_code_is_refused_with_the_reason(code, reason):
    with pytest.raises(ValidationError) as info:
        validate_credit_code(code)
    assert reason in info.value.messages[0]


def test_good_credit_code_passes():
    validate_credit_code("91320706MA1N000010")


def test_all_districts_and_bureaus_of_the_attachment_exist(season):
    bureaus = Organisation.objects.filter(kind=OrgKind.DISTRICT_BUREAU)
    names = set(bureaus.values_list("district__name", flat=True))
    assert names == {
        "东海县",
        "灌云县",
        "灌南县",
        "赣榆区",
        "海州区",
        "连云区",
        "开发区",
        "徐圩新区",
        "景区",
    }
    assert Organisation.objects.filter(
        kind=OrgKind.TALENT_CENTRE, short_name="市人才服务中心"
    ).exists()
    assert Organisation.objects.filter(kind=OrgKind.CITY_OFFICE).count() == 1


def test_routing_follows_the_employer(season):
    direct = Organisation.objects.get(name="连云港海澜智能装备有限公司")
    supervised = Organisation.objects.get(name="连云港港湾新材料科技有限公司")
    agency = Organisation.objects.get(name="连云港市云台山文化发展促进会")
    assert preliminary_reviewer_for(direct).name == "海州区人社局"
    assert preliminary_reviewer_for(supervised).short_name == "市工信局"
    assert preliminary_reviewer_for(agency).kind == OrgKind.TALENT_CENTRE


def _membership(user, short_name, role):
    return Membership.objects.select_related("organisation").get(
        user=user, organisation__short_name=short_name, role=role
    )


def test_jurisdiction_is_one_query_per_role(season, demo_users, django_assert_num_queries):
    reviewer = _membership(
        demo_users["haizhou_reviewer"], "海州区人社局", Role.PRELIMINARY_REVIEWER
    )
    with django_assert_num_queries(1):
        visible = list(jurisdiction(reviewer))
    names = {o.name for o in visible}
    assert "连云港海澜智能装备有限公司" in names
    assert "连云港市云台山文化发展促进会" not in names  # agency-managed: the talent centre's
    assert "连云港市第一人民医院（演示）" not in names  # supervised by a city department


def test_each_role_sees_only_its_own_jurisdiction(season, demo_users):
    unit = Membership.objects.get(user=demo_users["unit_hr"])
    assert [o.name for o in jurisdiction(unit)] == ["连云港海澜智能装备有限公司"]
    centre = Membership.objects.get(user=demo_users["talent_reviewer"])
    assert [o.name for o in jurisdiction(centre)] == ["连云港市云台山文化发展促进会"]
    dept = _membership(demo_users["gongxin_reviewer"], "市工信局", Role.PRELIMINARY_REVIEWER)
    assert [o.name for o in jurisdiction(dept)] == ["连云港港湾新材料科技有限公司"]
    city = Membership.objects.get(user=demo_users["city_office"])
    assert jurisdiction(city).count() == Organisation.objects.count()
    expert = Membership.objects.get(user=demo_users["expert"])
    assert not jurisdiction(expert).exists()
    unit.active = False
    assert not jurisdiction(unit).exists()
