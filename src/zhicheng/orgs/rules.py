"""Object permissions (django-rules). Reference data belongs to the city title office."""


import rules

from . import queries

is_city_office = rules.predicate(queries.is_city_office)


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
