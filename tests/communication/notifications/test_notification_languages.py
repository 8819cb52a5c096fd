"""Notifications are stored as a message and its arguments, and read in each reader's language."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy, gettext_noop

from annuaire.models import User
from communication.models import Digest, Notification, NotificationPreferences
from communication.notifications import sms
from communication.notifications.services.digest import send_digests
from communication.notifications.services.notices import EMAIL, SMS, Notice, notify_each
from communication.notifications.texts import Text
from schools.tenancy import cross_school, school_scope
from tests.communication.conftest import send

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 12, 7)
ABSENT = gettext_noop("%(name)s absent(e) en %(subject)s le %(date)s à %(time)s")


def absent(name: str = "Léa") -> Text:
    return Text(ABSENT, name=name, subject="Mathématiques", date=MONDAY, time=datetime.time(8, 30))


def reader(user: User, language: str | None = None) -> Client:
    """A signed-in client; with a language, chosen with the footer's switch as the person would."""
    client = Client()
    client.force_login(user)
    if language:
        assert client.post(reverse("set_language"), {"language": language, "next": "/"}).status_code == 302
    return client


def api_titles(client: Client) -> list[str]:
    return [row["title"] for row in client.get("/api/v1/notifications/").json()["results"]]


# --- the value type ----------------------------------------------------------------------------


def test_a_text_renders_in_the_language_asked_with_its_date_and_time_formatted_for_it():
    text = absent()
    assert text.render("fr") == "Léa absent(e) en Mathématiques le lundi 7 décembre à 08:30"
    assert text.render("en") == "Léa absent from Mathématiques on Monday 7 December at 8:30 a.m."
    with translation.override("en"):
        assert text.render() == text.render("en")  # the active language by default


def test_a_text_survives_json_and_refuses_what_would_freeze_a_language():
    text = absent()
    assert Text.decoded(text.message, text.encoded_arguments()) == text
    assert text.encoded_arguments()["date"] == {"date": "2026-12-07"}
    with pytest.raises(TypeError):
        Text(ABSENT, name=gettext_lazy("Élève"))  # translated when written: a nested language
    with pytest.raises(TypeError):
        Text(ABSENT, date=timezone.now())  # a moment, whose local day depends on where it is read


# --- pages and API: the request's language ---------------------------------------------------


def test_written_in_english_read_in_french_by_a_french_reader_and_in_english_by_an_english_reader(world):
    a = world.a
    with translation.override("en"):  # the teacher's interface is in English
        send(a, a.teacher, [f"user:{a.parent.pk}", f"user:{a.student.pk}"], subject="Sortie au musée")
    with school_scope(a.school):
        stored = Notification.objects.filter(kind="message.new").first()
    assert stored is not None and stored.message == "Nouveau message de %(name)s : %(subject)s"
    assert stored.title.startswith("Nouveau message de")  # the French rendering, for searches
    french, english = reader(a.parent), reader(a.student, "en")
    name = a.teacher.get_full_name()
    assert f"Nouveau message de {name} : Sortie au musée" in french.get(reverse("notifications:list")).content.decode()
    assert f"New message from {name}: Sortie au musée" in english.get(reverse("notifications:list")).content.decode()
    assert api_titles(french) == [f"Nouveau message de {name} : Sortie au musée"]
    assert api_titles(english) == [f"New message from {name}: Sortie au musée"]


def test_an_old_notification_without_a_message_still_shows_its_title(world):
    a = world.a
    with school_scope(a.school):
        Notification.objects.create(
            school=a.school, recipient=a.parent, kind="timetable.changed", title="Cours déplacé"
        )  # written before notifications kept their message
    english = reader(a.parent, "en")
    assert "Cours déplacé" in english.get(reverse("notifications:list")).content.decode()
    assert api_titles(english) == ["Cours déplacé"]


def test_a_code_written_body_is_translated_and_a_typed_one_stays_as_typed(world):
    a = world.a
    notices = [
        Notice(a.parent, absent(), body=Text(gettext_noop("Aucune notification."))),
        Notice(a.parent, absent(), body="Merci de rappeler la vie scolaire."),
    ]
    with school_scope(a.school):
        coded, typed = notify_each(school=a.school, kind="attendance.absent", notices=notices)
    assert (coded.body, coded.display_body("en")) == ("Aucune notification.", "No notifications.")
    assert typed.display_body("en") == "Merci de rappeler la vie scolaire."


# --- what is sent: the recipient's language ---------------------------------------------------


def test_e_mail_and_text_message_go_out_in_each_recipients_language(world):
    a = world.a
    a.parent.phone, a.parent.language = "06 12 34 56 78", "en"
    a.parent.save(update_fields=["phone", "language"])
    a.staff.phone = "06 98 76 54 32"  # no language chosen: French
    a.staff.save(update_fields=["phone"])
    with translation.override("en"), school_scope(a.school), TestCase.captureOnCommitCallbacks(execute=True):
        notify_each(
            school=a.school,
            kind="attendance.absent",
            notices=[Notice(a.parent, absent(), url="/x/"), Notice(a.staff, absent(), url="/x/")],
            channels=frozenset({EMAIL, SMS}),
        )
    english = "Léa absent from Mathématiques on Monday 7 December at 8:30 a.m."
    french = "Léa absent(e) en Mathématiques le lundi 7 décembre à 08:30"
    mails = {message.to[0]: message for message in mail.outbox}
    assert mails[a.parent.email].subject == f"[ENT Paris] {english}"
    assert mails[a.staff.email].subject == f"[ENT Paris] {french}"
    assert mails[a.parent.email].extra_headers["Content-Language"] == "en"
    texts = {message.to: message.text for message in sms.outbox}
    assert texts["06 12 34 56 78"].startswith(english) and texts["06 98 76 54 32"].startswith(french)


def test_the_digest_is_written_in_the_persons_language(world):
    a = world.a
    User.objects.filter(pk=a.parent.pk).update(language="en")
    NotificationPreferences.objects.create(user=a.parent, digest=Digest.DAILY)
    with school_scope(a.school):
        notify_each(school=a.school, kind="attendance.absent", notices=[Notice(a.parent, absent())])
    with cross_school():
        send_digests(frequency=Digest.DAILY, moment=timezone.now() + datetime.timedelta(seconds=1))
    [digest] = mail.outbox
    assert digest.subject == "[ENT Paris] Your notifications"
    assert "Léa absent from Mathématiques on Monday 7 December at 8:30 a.m." in digest.body
