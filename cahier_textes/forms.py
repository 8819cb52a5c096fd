"""Forms of the homework book: a lesson's entry, a homework, a visa."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from cahier_textes.models import MAX_HOMEWORK_MINUTES, Homework
from cahier_textes.selectors import SourceClass
from cahier_textes.services import MAX_COPIED, HomeworkData
from vie_scolaire.models import Lesson


class EntryForm(forms.Form):
    content = forms.CharField(
        label=_("Contenu de la séance"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Mise en forme simple et liens autorisés ; les scripts et les images externes sont retirés."),
    )


class HomeworkForm(forms.Form):
    description = forms.CharField(label=_("Travail à faire"), widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label=_("Type"), choices=Homework.Kind.choices)
    minutes = forms.IntegerField(
        label=_("Durée estimée (minutes)"), required=False, min_value=1, max_value=MAX_HOMEWORK_MINUTES
    )
    due_lesson = forms.TypedChoiceField(label=_("Pour la séance du"), coerce=int, required=False, empty_value=None)
    due_on = forms.DateField(
        label=_("ou pour le"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Laissez vide pour la séance choisie ci-dessus."),
    )

    def __init__(self, *args: Any, upcoming: list[Lesson], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        due_lesson = self.fields["due_lesson"]
        assert isinstance(due_lesson, forms.TypedChoiceField)
        due_lesson.choices = [
            (lesson.pk, f"{formats.date_format(lesson.date, 'l j F')} {lesson.start:%H:%M}") for lesson in upcoming
        ]

    def data_object(self) -> HomeworkData:
        data = self.cleaned_data
        due_on = data.get("due_on")
        return HomeworkData(
            description=data["description"],
            kind=data["kind"],
            minutes=data.get("minutes"),
            due_lesson_id=None if due_on else data.get("due_lesson"),
            due_on=due_on,
        )


class VisaForm(forms.Form):
    comment = forms.CharField(
        label=_("Commentaire du visa"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AttachmentForm(forms.Form):
    target = forms.TypedChoiceField(label=_("Joindre à"), coerce=int)
    name = forms.CharField(label=_("Nom affiché"), max_length=200, required=False)
    file = forms.FileField(label=_("Fichier"), required=False)
    url = forms.CharField(label=_("ou lien"), max_length=500, required=False, widget=forms.URLInput())

    def __init__(self, *args: Any, given: list[Homework], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target = self.fields["target"]
        assert isinstance(target, forms.TypedChoiceField)
        target.choices = [(0, _("Contenu de la séance"))] + [
            (homework.pk, _("Travail pour le %(date)s") % {"date": formats.date_format(homework.due_on, "j F")})
            for homework in given
        ]
        self.given = {homework.pk: homework for homework in given}

    def attachment(self) -> dict[str, Any]:
        """The service's arguments: the chosen homework of the lesson (none: its entry), the file or the link."""
        data = self.cleaned_data
        return {
            "homework": self.given.get(data["target"]),
            "name": data["name"],
            "file": data["file"],
            "url": data["url"],
        }


class CopyForm(forms.Form):
    """Reuse a progression: entries of another class of the teacher's (this year or an earlier one)."""

    source = forms.TypedChoiceField(label=_("Classe dont reprendre les contenus"), coerce=int)
    first_day = forms.DateField(
        label=_("À partir de la séance du"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    count = forms.IntegerField(label=_("Nombre de séances"), min_value=1, max_value=MAX_COPIED, initial=5)

    def __init__(self, *args: Any, sources: list[SourceClass], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        source = self.fields["source"]
        assert isinstance(source, forms.TypedChoiceField)
        source.choices = [(item.weekly.pk, f"{item.label} ({item.entries})") for item in sources]
        self.sources = {item.weekly.pk: item.weekly for item in sources}
