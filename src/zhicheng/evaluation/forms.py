from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhicheng.catalogue.models import Level


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("会议日期"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("会议地点"), max_length=200)
    pass_rate = forms.DecimalField(label=_("评审通过率（%）"), required=False, min_value=0,
                                   max_value=100, decimal_places=2)
    specialty = forms.CharField(label=_("抽取专业"), max_length=120)
    level = forms.ChoiceField(label=_("专家职称层级"), choices=Level.choices)
    count = forms.IntegerField(label=_("抽取人数"), min_value=1, max_value=99)
    reserve = forms.IntegerField(label=_("备选人数"), min_value=0, max_value=99, initial=2)

    def spec(self) -> list[dict[str, object]]:
        d = self.cleaned_data
        return [{"specialty": d["specialty"], "level": d["level"], "count": d["count"],
                 "reserve": d["reserve"]}]
