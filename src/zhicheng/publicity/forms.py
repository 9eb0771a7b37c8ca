"""Forms: the public objection form and the organisation's written resolution."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Outcome
from .validators import CONTACT_MAX, NAME_MAX, TEXT_MAX, clean_objection, validate_contact


class ObjectionForm(forms.Form):
    name = forms.CharField(
        label=_("姓名（可不填）"),
        max_length=NAME_MAX,
        required=False,
        error_messages={"max_length": _("姓名不能超过%(limit_value)d个字符。")},
    )
    contact = forms.CharField(
        label=_("联系方式"),
        max_length=CONTACT_MAX,
        help_text=_("电话或电子邮箱，仅供核实和答复，不会公开。"),
        error_messages={"required": _("请填写联系方式（电话或电子邮箱），以便核实和答复。")},
    )
    text = forms.CharField(
        label=_("异议内容"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("请写明反映的问题和可供核实的事实。"),
        error_messages={
            "required": _("请填写异议内容：反映的问题和可供核实的事实。"),
            "max_length": _("异议内容不能超过%(limit_value)d字。"),
        },
    )

    def __init__(self, *args: Any, prefix_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if prefix_id is not None:  # unique element ids when a page shows many forms
            self.auto_id = f"id_p{prefix_id}_%s"

    def clean_contact(self) -> str:
        return validate_contact(self.cleaned_data.get("contact", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            name, contact, text = clean_objection(
                data.get("name", ""), data.get("contact", ""), data.get("text", "")
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(field, message)
            return data
        data.update(name=name, contact=contact, text=text)
        return data


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("处理结论"),
        choices=Outcome.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("请选择处理结论：异议成立或异议不成立。")},
    )
    resolution = forms.CharField(
        label=_("处理意见（书面）"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("写明核查经过、依据和结论；将存档并用于答复异议人。"),
        error_messages={"required": _("请书面填写处理意见（核查情况和结论），不能为空。")},
    )
