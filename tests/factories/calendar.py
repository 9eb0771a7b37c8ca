"""An illustrative 2027 holiday arrangement (示例: not the State Council's real notice, which
the installed chinese-calendar does not know), as the short form's fields."""

from __future__ import annotations

from typing import Any

EXAMPLE_SOURCE_2027 = "示例：国办发明电〔2026〕示例号"
EXAMPLE_FORM_2027 = {
    "元旦-rest": "2027-01-01至2027-01-03",
    "春节-rest": "2027-02-06至2027-02-13",
    "春节-work": "2027-02-20",
    "清明节-rest": "2027-04-03至2027-04-05",
    "劳动节-rest": "2027-05-01至2027-05-05",
    "劳动节-work": "2027-04-25",
    "端午节-rest": "2027-06-09",
    "中秋节-rest": "2027-09-15",
    "国庆节-rest": "2027-10-01至2027-10-07",
    "国庆节-work": "2027-09-26、2027-10-09",
}


def publish_example_2027(actor: Any) -> Any:
    from zhicheng.core.holidays import from_form, publish_year

    return publish_year(actor, from_form(2027, EXAMPLE_FORM_2027), EXAMPLE_SOURCE_2027)
