"""Forms of the timetable: one lesson's change, slots, rooms, the import's files; grades' assessments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from annuaire.models import User
from schools.models import School
from vie_scolaire.calendar.forms import date_input, time_input
from vie_scolaire.timetable.models import Lesson, Room
from vie_scolaire.timetable.selectors import school_teachers
from vie_scolaire.timetable.services import REASON_MAX_LENGTH, LessonChange


class TeacherChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name()


class LessonChangeForm(forms.Form):
    cancelled = forms.BooleanField(label=_("Annuler le cours"), required=False)
    date = forms.DateField(label=_("Date"), widget=date_input())
    start = forms.TimeField(label=_("Début"), widget=time_input())
    end = forms.TimeField(label=_("Fin"), widget=time_input())
    room = forms.ModelChoiceField(label=_("Salle"), queryset=Room.objects.none(), required=False)
    replacement_teacher = TeacherChoiceField(
        label=_("Enseignant remplaçant"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— aucun —"),
    )
    reason = forms.CharField(
        label=_("Motif"),
        max_length=REASON_MAX_LENGTH,
        help_text=_("Montré aux élèves, aux familles et aux enseignants concernés."),
    )

    def __init__(self, *args: Any, school: School, lesson: Lesson, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "cancelled": lesson.cancelled,
                "date": lesson.date,
                "start": lesson.start,
                "end": lesson.end,
                "room": lesson.room_id,
                "replacement_teacher": lesson.replacement_teacher_id,
                "reason": lesson.change_reason,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.filter(school=school)  # type: ignore[attr-defined]
        self.fields["replacement_teacher"].queryset = school_teachers(school)  # type: ignore[attr-defined]

    def change(self) -> LessonChange:
        data = self.cleaned_data
        return LessonChange(
            reason=data["reason"],
            cancelled=data["cancelled"],
            date=data["date"],
            start=data["start"],
            end=data["end"],
            room=data["room"],
            replacement_teacher=data["replacement_teacher"],
        )


class SlotForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=10, help_text=_("Par exemple M1 ou S4."))
    start = forms.TimeField(label=_("Début"), widget=time_input())
    end = forms.TimeField(label=_("Fin"), widget=time_input())


class RoomForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=30)
    name = forms.CharField(label=_("Nom"), max_length=100, required=False, help_text=_("Facultatif, par exemple CDI."))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern): cleans to a list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class TimetableFilesForm(forms.Form):
    """The files of one timetable export, uploaded by the head."""

    MAX_FILES = 4
    MAX_BYTES = 20 * 1024 * 1024
    EXTENSIONS = (".xml", ".csv", ".txt")

    export = MultipleFileField(
        label=_("Fichiers de l'emploi du temps"),
        widget=MultipleFileInput(attrs={"accept": ".xml,.csv,.txt"}),
        error_messages={"required": _("Choisissez au moins un fichier.")},
        help_text=_(
            "STS-Web : les deux fichiers sts_emp et emp_sts ; EDT ou PRONOTE : l'export en clair ; "
            "UnDeuxTemps : le CSV. 20 Mo au plus par fichier."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Simulation : montrer ce qui changerait, sans rien écrire"), required=False, initial=True
    )

    def clean_export(self) -> list[Any]:
        uploaded: list[Any] = self.cleaned_data["export"]
        if not uploaded:
            raise forms.ValidationError(self.fields["export"].error_messages["required"])
        if len(uploaded) > self.MAX_FILES:
            raise forms.ValidationError(_("%(max)d fichiers au plus par import.") % {"max": self.MAX_FILES})
        for file in uploaded:
            name = (file.name or "")[:100]
            if not name.lower().endswith(self.EXTENSIONS):
                raise forms.ValidationError(_("« %(name)s » n'est ni un fichier XML ni un CSV.") % {"name": name})
            if file.size > self.MAX_BYTES:
                raise forms.ValidationError(
                    _("« %(name)s » dépasse 20 Mo : ce n'est pas un export d'emploi du temps.") % {"name": name}
                )
        return uploaded
