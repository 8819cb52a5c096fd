"""The term's announcements and messages of every school of the Paris-scale world, as the portal would
hold them after the term so far (plain rows through COPY, `schools.bulk`: the services send one at a
time, with the policy and the rate limits, which is right for a person and a day's work for a city).

The rows keep the services' shape: a letter to a division's parents is one conversation per parent
(`communication.messaging.services.sending.send_message` separates copies as soon as a group is used), the
sender's participant row is `sent` and read, each recipient's `received` and unread until read; a reply
makes both sides senders and receivers. Announcements come with their audience rows, were told when
published (`notified_at`: the fan-out has nothing left to do), and some of their readers read them.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from annuaire.models import Guardianship, Membership, Profile, TeachingAssignment
from bench.paris.term import Moment, for_each_school
from communication.announcements.demo import write_demo_announcements
from communication.models import (
    Announcement,
    AnnouncementAudience,
    AnnouncementRead,
    Conversation,
    Message,
    Participant,
)
from schools.bulk import Row, insert_rows
from schools.models import School

# Announcements: two a school week besides the current ones (the demo's), to the whole school, the
# parents or one division; a third of their readers open them.
ANNOUNCEMENTS_PER_WEEK = 2
ANNOUNCEMENT_READ = 0.3
# Messages of a term: a quarter of the families write to one of the child's teachers (who mostly
# answer), each division's parents receive a letter every three weeks (15 school days), each teacher writes to a few
# colleagues, a few students to a teacher. What arrived in the last days is partly unread.
FAMILY_WRITES = 0.25
TEACHER_ANSWERS = 0.8
LETTER_EVERY_SCHOOL_DAYS = 15
COLLEAGUE_CONVERSATIONS = 5
STUDENT_WRITES = 0.1
RECENT = datetime.timedelta(days=7)
STILL_UNREAD = 0.6


@dataclass
class People:
    """One school's people, as the term's messages need them."""

    students: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))  # division -> students
    parents: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))  # student -> legal guardians
    teachers: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))  # division -> teachers
    staff: list[int] = field(default_factory=list)  # teachers and staff
    members: list[int] = field(default_factory=list)


def people_of(school: School) -> People:
    people = People()
    for user_id, profile, division_id in Membership.objects.filter(school=school, active=True).values_list(
        "user_id", "profile", "division_id"
    ):
        people.members.append(user_id)
        if profile == Profile.STUDENT and division_id:
            people.students[division_id].append(user_id)
        elif profile in (Profile.TEACHER, Profile.STAFF, Profile.DIRECTION):
            people.staff.append(user_id)
    for student_id, guardian_id in Guardianship.objects.filter(school=school, legal_representative=True).values_list(
        "student_id", "guardian_id"
    ):
        people.parents[student_id].append(guardian_id)
    for division_id, teacher_id in TeachingAssignment.objects.filter(school=school, division__isnull=False).values_list(
        "division_id", "teacher_id"
    ):
        if teacher_id not in people.teachers[division_id]:
            people.teachers[division_id].append(teacher_id)
    return people


def moment_in(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A time of that day between 7:00 and 22:00, on the school's clock."""
    at = datetime.time(rng.randint(7, 21), rng.randint(0, 59))
    return timezone.make_aware(datetime.datetime.combine(day, at))


def school_days(moment: Moment) -> list[datetime.date]:
    first, last = moment.past
    return [
        first + datetime.timedelta(days=n)
        for n in range((last - first).days + 1)
        if (first + datetime.timedelta(days=n)).weekday() < 5
    ]


# --- Announcements ---------------------------------------------------------------------------


def announcements(school: School, moment: Moment, rng: random.Random) -> dict[str, int]:
    counts = write_demo_announcements(school)
    people = people_of(school)
    author = next(
        iter(Membership.objects.filter(school=school, profile=Profile.DIRECTION).values_list("user_id", flat=True)),
        None,
    )
    divisions = sorted(people.students)
    parents = sorted({parent for guardians in people.parents.values() for parent in guardians})
    days = school_days(moment)
    weeks = max(1, len(days) // 5)
    rows, audiences, readers = [], [], []
    for index in range(weeks * ANNOUNCEMENTS_PER_WEEK):
        published = moment_in(rng.choice(days), rng)
        kind = rng.choice(("school", "parents", "division"))
        division = rng.choice(divisions) if divisions else None
        rows.append(
            (
                school.pk, f"Information n° {index + 1}", "Merci de prendre connaissance de cette information.",
                author, kind == "school", published, published + datetime.timedelta(days=14), published,
            )
        )  # fmt: skip
        if kind == "school":
            readers.append(people.members)
        elif kind == "parents" or division is None:
            readers.append(parents)
        else:
            students = people.students[division]
            readers.append(students + [parent for student in students for parent in people.parents[student]])
        audiences.append((kind, division))
    columns = ("school_id", "title", "body", "author_id", "whole_school", "publish_at", "expires_at", "notified_at")
    created = insert_rows(Announcement, columns, rows, returning=("id", "title"))
    number = {title: pk for pk, title in created}
    audience_rows: list[Row] = []
    read_rows: list[Row] = []
    for row, (kind, division), reached in zip(rows, audiences, readers, strict=True):
        pk = number[row[1]]
        if kind == "parents" or (kind == "division" and division is None):
            audience_rows.append((school.pk, pk, Profile.PARENT, None))
        elif kind == "division":
            audience_rows.append((school.pk, pk, "", division))
        read_rows += [(school.pk, pk, user) for user in sorted(set(reached)) if rng.random() < ANNOUNCEMENT_READ]
    insert_rows(AnnouncementAudience, ("school_id", "announcement_id", "profile", "division_id"), audience_rows)
    insert_rows(AnnouncementRead, ("school_id", "announcement_id", "user_id"), read_rows)
    counts["announcements of the term"] = len(rows)
    counts["announcement reads"] = len(read_rows)
    return counts


def write_announcements(moment: Moment, seed: int) -> dict[str, int]:
    return for_each_school(seed, "announcements", lambda school, rng: announcements(school, moment, rng))


# --- Messages --------------------------------------------------------------------------------


class Mailbag:
    """Conversations, participants and messages of one school, written together at the end."""

    def __init__(self, school: School, rng: random.Random) -> None:
        self.school, self.rng = school, rng
        self.now = timezone.now()
        self.conversations: list[tuple[object, ...]] = []
        self.messages: list[list[tuple[int, datetime.datetime, uuid.UUID, str]]] = []
        self.members: list[dict[int, tuple[bool, bool]]] = []  # user -> (sent, received)

    def batch(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def start(self, sender: int, recipients: list[int], subject: str, body: str, at: datetime.datetime,
              batch: uuid.UUID | None = None) -> int:  # fmt: skip
        self.conversations.append((self.school.pk, subject, sender, at, at))
        self.messages.append([(sender, at, batch or self.batch(), body)])
        self.members.append({sender: (True, False), **{user: (False, True) for user in recipients if user != sender}})
        return len(self.conversations) - 1

    def reply(self, index: int, sender: int, body: str, at: datetime.datetime) -> None:
        """A reply some hours later, or now when that would be in the future."""
        at = min(at, self.now)
        self.messages[index].append((sender, at, self.batch(), body))
        members = self.members[index]
        for user, (sent, received) in members.items():
            members[user] = (True, received) if user == sender else (sent, True)
        self.conversations[index] = (*self.conversations[index][:4], at)

    def write(self) -> dict[str, int]:
        ids = reserve_ids(Conversation, len(self.conversations))
        insert_rows(
            Conversation,
            ("id", "school_id", "subject", "created_by_id", "created_at", "last_message_at"),
            [(pk, *row) for pk, row in zip(ids, self.conversations, strict=True)],
        )
        message_rows, participant_rows = [], []
        for pk, messages, members in zip(ids, self.messages, self.members, strict=True):
            message_rows += [(self.school.pk, pk, author, body, at, batch) for author, at, batch, body in messages]
            last_author, last_at = messages[-1][0], messages[-1][1]
            for user, (sent, received) in members.items():
                unread = user != last_author and self.now - last_at < RECENT and self.rng.random() < STILL_UNREAD
                read_at = None if unread else min(self.now, last_at + datetime.timedelta(hours=self.rng.randint(1, 30)))
                participant_rows.append((self.school.pk, pk, user, received, sent, int(unread), read_at))
        insert_rows(Message, ("school_id", "conversation_id", "author_id", "body", "created_at", "batch"), message_rows)
        insert_rows(
            Participant,
            ("school_id", "conversation_id", "user_id", "received", "sent", "unread", "last_read_at"),
            participant_rows,
        )
        return {"conversations": len(ids), "messages": len(message_rows), "participants": len(participant_rows)}


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """`count` ids of the model's table taken from its sequence, so rows can point at rows written with them."""
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def messages(school: School, moment: Moment, rng: random.Random) -> dict[str, int]:
    people = people_of(school)
    days = school_days(moment)
    bag = Mailbag(school, rng)
    for division, students in people.students.items():
        teachers = people.teachers[division]
        if not teachers:
            continue
        for student in students:
            parents = people.parents[student]
            if parents and rng.random() < FAMILY_WRITES:
                parent, teacher, day = rng.choice(parents), rng.choice(teachers), rng.choice(days)
                at = moment_in(day, rng)
                index = bag.start(parent, [teacher], "Question sur le travail", FAMILY_TEXT, at)
                if rng.random() < TEACHER_ANSWERS:
                    bag.reply(index, teacher, TEACHER_TEXT, at + datetime.timedelta(hours=rng.randint(2, 40)))
            if rng.random() < STUDENT_WRITES:
                bag.start(student, [rng.choice(teachers)], "Exercice", STUDENT_TEXT, moment_in(rng.choice(days), rng))
        for number, day in enumerate(days[rng.randrange(LETTER_EVERY_SCHOOL_DAYS) :: LETTER_EVERY_SCHOOL_DAYS]):
            teacher, at, batch = rng.choice(teachers), moment_in(day, rng), bag.batch()
            recipients = sorted({parent for student in students for parent in people.parents[student]})
            for parent in recipients:
                bag.start(teacher, [parent], f"Information à la classe ({number + 1})", LETTER_TEXT, at, batch)
    for sender in people.staff:
        for _conversation in range(COLLEAGUE_CONVERSATIONS):
            others = [user for user in people.staff if user != sender]
            if not others:
                break
            colleagues = rng.sample(others, min(len(others), rng.randint(1, 3)))
            at = moment_in(rng.choice(days), rng)
            index = bag.start(sender, colleagues, "Organisation", COLLEAGUE_TEXT, at)
            bag.reply(index, rng.choice(colleagues), COLLEAGUE_TEXT, at + datetime.timedelta(hours=rng.randint(1, 24)))
    return bag.write()


def write_messages(moment: Moment, seed: int) -> dict[str, int]:
    return for_each_school(seed, "messages", lambda school, rng: messages(school, moment, rng))


FAMILY_TEXT = "Bonjour,\n\nPourriez-vous préciser le travail demandé pour la prochaine séance ?\n\nCordialement"
TEACHER_TEXT = "Bonjour,\n\nC'est l'exercice 4 page 52, je le reprendrai en classe.\n\nCordialement"
STUDENT_TEXT = "Bonjour, je n'ai pas compris la question 3 de l'exercice. Merci."
LETTER_TEXT = "Madame, Monsieur,\n\nVeuillez trouver ci-dessous les informations de la classe.\n\nCordialement"
COLLEAGUE_TEXT = "Bonjour, peut-on en parler à la récréation ?"
