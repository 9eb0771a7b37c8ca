"""Object permissions (django-rules). Reference data belongs to the city title office."""

from typing import Any

import rules

from .models import Membership, Role


@rules.predicate
def is_city_office(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and Membership.objects.filter(user=user, role=Role.CITY_OFFICE, active=True).exists()
    )


REFERENCE_MODELS = {
    "orgs": ["district", "organisation", "membership"],
    "catalogue": ["series", "specialty", "title"],
    "seasons": ["season", "committeeplan", "datawarning", "notice"],
    "core": ["calendaryear", "calendarday"],
}
for app, models in REFERENCE_MODELS.items():
    for model in models:
        for verb in ("view", "add", "change", "delete"):
            rules.add_perm(f"{app}.{verb}_{model}", is_city_office)
    rules.add_perm(app, is_city_office)  # lets the admin index show the app
rules.add_perm("core.view_auditevent", is_city_office)
