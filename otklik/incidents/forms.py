"""Forms of the incident screens: they parse input only; the services decide."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from otklik.channels.networks import Network
from otklik.core.forms import IdChoiceField, IdMultipleChoiceField, LinkField, TextField
from otklik.core.links import LinkError, links_clean
from otklik.incidents.attachments import files_check
from otklik.incidents.models import Importance, NoAnswerReason, ReturnReason
from otklik.incidents.moments import moments_check
from otklik.incidents.transitions import Invalid
from otklik.org.calendars import work_calendar_for
from otklik.org.models import Municipality, Person, Unit

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def _links(raw: str) -> list[str]:
    links = [line.strip() for line in raw.splitlines() if line.strip()]
    try:
        return links_clean(links)
    except LinkError as exc:
        raise ValidationError(str(exc)) from None


class LinksField(forms.CharField):
    """Links, one per line → list[str]."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        kwargs.setdefault("help_text", "Ссылки, по одной в строке")
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[str]:
        return _links(super().clean(value) or "")


class LocalDateTimeField(forms.DateTimeField):
    """A naive wall-clock time: the form gives it the municipality's time zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT)
    input_formats = [LOCAL_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        for fmt in self.input_formats:
            try:
                return datetime.strptime(str(value).strip(), fmt)  # noqa: DTZ007  (zone added in clean())
            except ValueError:
                continue
        raise ValidationError("Введите дату и время.", code="invalid")


class IntakeForm(forms.Form):
    kind = forms.ChoiceField(label="Что это", widget=forms.RadioSelect, initial="publication", required=False, choices=[
        ("publication", "Публикация, найденная администрацией (согласует начальник общего отдела)"),
        ("incident", "Инцидент из региональной системы (согласует региональный куратор)"),
    ])
    municipality = IdChoiceField(queryset=Municipality.objects.none(), label="Муниципальное образование")
    network = forms.ChoiceField(choices=Network.choices, label="Соцсеть")
    url = LinkField(label="Ссылка на сообщение")
    author_name = forms.CharField(label="Автор", max_length=300, required=False)
    author_url = LinkField(label="Ссылка на автора", required=False)
    text = TextField(label="Текст сообщения", widget=forms.Textarea)
    detected_at = LocalDateTimeField(label="Обнаружено (время МО)")
    importance = forms.ChoiceField(choices=Importance.choices, label="Важность", initial=Importance.NORMAL)
    topic = forms.CharField(label="Тема", max_length=200, required=False)
    location = forms.CharField(label="Место", max_length=300, required=False)
    attachments = LinksField(label="Вложения")

    def __init__(self, *args: Any, municipalities: Any, choose_kind: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not choose_kind:  # the region hands in incidents only
            del self.fields["kind"]
        field = cast("forms.ModelChoiceField[Municipality]", self.fields["municipality"])
        field.queryset = municipalities
        if municipalities.count() == 1:
            field.initial = municipalities.first()
            field.widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mun, naive = data.get("municipality"), data.get("detected_at")
        if mun is not None and naive is not None:
            data["detected_at"] = naive.replace(tzinfo=ZoneInfo(mun.time_zone))
            try:
                moments_check(detected_at=data["detected_at"], handed_over_at=None, now=timezone.now(),
                              first_day=work_calendar_for(mun).first_day)
            except Invalid as exc:
                self.add_error("detected_at", str(exc))
        return data


class PersonChoiceField(IdChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        unit = f" — {obj.unit.name}" if getattr(obj, "unit", None) else ""
        return f"{obj.full_name}{unit}"


class RouteForm(forms.Form):
    units = IdMultipleChoiceField(queryset=Unit.objects.none(), widget=forms.CheckboxSelectMultiple,
                                           label="Подразделения", error_messages={
                                               "required": "Выберите хотя бы одно подразделение."})
    consolidator = PersonChoiceField(queryset=Person.objects.none(), required=False,
                                     label="Сводный ответ готовит (если подразделений несколько)",
                                     empty_label="назначу позже",
                                     help_text="Отсутствующие сотрудники не предлагаются — вместо них замещающие (п. 7.2).")

    def __init__(self, *args: Any, units: Any = None, people: list[Person] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelMultipleChoiceField[Unit]", self.fields["units"])
        field.queryset = units if units is not None else Unit.objects.none()
        chosen = cast("forms.ModelChoiceField[Person]", self.fields["consolidator"])
        chosen.queryset = Person.objects.filter(pk__in=[p.pk for p in people or []]).select_related("unit").order_by(
            "full_name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person, units = data.get("consolidator"), data.get("units")
        if person is not None and units is not None and person.unit_id not in {u.pk for u in units}:
            self.add_error("consolidator", "Сводный ответ готовит сотрудник одного из выбранных подразделений.")
        return data


class NotOursForm(forms.Form):
    comment = TextField(label="Почему не ваше и чьё это", widget=forms.Textarea(attrs={"rows": 3}))


class AskForm(forms.Form):
    question = TextField(label="Уточняющий вопрос автору", widget=forms.Textarea(attrs={"rows": 3}),
                         help_text="Вопрос проверяется так же, как проект ответа: приветствие, орфография, стиль.")
    confirm_errors = forms.BooleanField(label="Отправить, несмотря на ошибки проверки", required=False)


class CloseUnclarifiedForm(forms.Form):
    comment = TextField(label="Причина закрытия", widget=forms.Textarea(attrs={"rows": 2}),
                        initial="Автор не ответил на уточняющий вопрос.")


class ClarifiedForm(forms.Form):
    reply = TextField(label="Ответ автора", widget=forms.Textarea(attrs={"rows": 3}))


class PartForm(forms.Form):
    text = TextField(label="Часть ответа вашего подразделения", widget=forms.Textarea)


class ConsolidatorForm(forms.Form):
    person = PersonChoiceField(queryset=Person.objects.none(), label="Готовит сводный ответ",
                               help_text="Отсутствующие сотрудники не предлагаются — вместо них замещающие (п. 7.2).")

    def __init__(self, *args: Any, people: list[Person] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[Person]", self.fields["person"])
        field.queryset = Person.objects.filter(pk__in=[p.pk for p in people or []]).select_related("unit").order_by(
            "full_name")


class MultipleFileInput(forms.FileInput):
    """A file input shown as a big labelled button with the count of chosen files."""

    allow_multiple_selected = True
    template_name = "incidents/widgets/files.html"


class FilesField(forms.Field):
    """Photos and videos → list of uploaded files, each checked by its magic bytes and size."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True, "accept": "image/*,video/*"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[Any]:
        items = value if isinstance(value, list | tuple) else [value]
        files = [x for x in items if x and hasattr(x, "read")]
        if errors := files_check(files):
            raise ValidationError(errors)
        return files

    def bound_data(self, data: Any, initial: Any) -> Any:
        return initial  # a file input is never filled back in


class DraftForm(forms.Form):
    text = TextField(label="Проект ответа", widget=forms.Textarea)
    intermediate = forms.BooleanField(label="Промежуточный ответ", required=False)
    attachments = LinksField(label="Вложения")
    confirm_errors = forms.BooleanField(label="Отправить, несмотря на ошибки проверки", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Added here, not declared: a declared `files` would shadow the form's own `files`.
        self.fields["files"] = FilesField(label="Фото и видео",
                                          help_text="JPEG, PNG, WEBP, HEIC, MP4, MOV, WEBM; до 10 файлов")
        self.order_fields(["text", "intermediate", "attachments", "files", "confirm_errors"])


class EmptyForm(forms.Form):
    pass


class ApproveForm(forms.Form):
    text_hash_seen = forms.CharField(widget=forms.HiddenInput)


class ReturnForm(forms.Form):
    """п. 14: each of the five reasons, a checkbox and its comment."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for reason in ReturnReason:
            self.fields[f"reason_{reason.value}"] = forms.BooleanField(label=reason.label, required=False)
            self.fields[f"comment_{reason.value}"] = TextField(
                label="Комментарий", required=False, widget=forms.TextInput(attrs={"type": "text"}))

    def reason_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"reason_{r.value}"], self[f"comment_{r.value}"]) for r in ReturnReason]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        reasons = [{"code": r.value, "comment": data.get(f"comment_{r.value}", "")}
                   for r in ReturnReason if data.get(f"reason_{r.value}")]
        if not reasons:
            raise ValidationError("Отметьте хотя бы одну причину возврата (п. 14).")
        data["reasons"] = reasons
        return data


class EditApprovedForm(forms.Form):
    text = TextField(label="Согласованный текст", widget=forms.Textarea)
    confirm_errors = forms.BooleanField(label="Отправить, несмотря на ошибки проверки", required=False)


class PublishForm(forms.Form):
    published_url = LinkField(label="Ссылка на опубликованный ответ", required=False)


class FinalTimingsForm(forms.Form):
    days = forms.IntegerField(label="Срок итогового ответа, рабочих дней", min_value=1, max_value=60)


class CloseForm(forms.Form):
    reason = forms.ChoiceField(choices=NoAnswerReason.choices, label="Основание (п. 21)")
    comment = TextField(label="Комментарий", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FilterForm(forms.Form):
    """«Все сообщения»: the filters, all optional; bad values are simply not applied."""

    q = forms.CharField(label="Поиск по тексту и автору", required=False, max_length=200)
    status = forms.ChoiceField(label="Состояние", required=False)
    unit = forms.TypedChoiceField(label="Подразделение", required=False, coerce=int, empty_value=None)
    network = forms.ChoiceField(label="Соцсеть", required=False)
    topic = forms.CharField(label="Тема", required=False, max_length=200)
    importance = forms.ChoiceField(label="Важность", required=False)
    overdue = forms.BooleanField(label="Только просроченные", required=False)
    date_from = forms.DateField(label="Обнаружено с", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="по", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    municipality = forms.ChoiceField(label="МО", required=False)

    def __init__(self, *args: Any, units: Any, municipalities: Any, **kwargs: Any) -> None:
        from otklik.incidents.models import Status

        super().__init__(*args, **kwargs)
        any_ = [("", "любое")]
        cast("forms.ChoiceField", self.fields["status"]).choices = [*any_, *Status.choices]
        cast("forms.ChoiceField", self.fields["network"]).choices = [("", "любая"), *Network.choices]
        cast("forms.ChoiceField", self.fields["importance"]).choices = [("", "любая"), *Importance.choices]
        cast("forms.ChoiceField", self.fields["unit"]).choices = [("", "любое"), *((u.pk, u.name) for u in units)]
        if municipalities is None:
            del self.fields["municipality"]
        else:
            cast("forms.ChoiceField", self.fields["municipality"]).choices = [
                ("", "все"), *((m.slug, m.name) for m in municipalities)]
