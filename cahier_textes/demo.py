"""The demo schools' homework book (a `seed_demo` step): three weeks of lesson entries and homework,
next week's homework already given, students' ticks, and a visa of the head in each school."""

from __future__ import annotations

import datetime
import itertools
import random
from collections import defaultdict

from django.utils import timezone

from annuaire.models import Division, Membership, Profile
from annuaire.services.demo import DemoWorld, register_demo_step
from cahier_textes.models import Homework, HomeworkDone, LessonEntry, Visa
from schools.bulk import insert_rows
from schools.models import School
from schools.tenancy import school_scope
from vie_scolaire.models import Lesson, WeeklyLesson, WeeklyLessonDivision, WeeklyLessonGroup, WeeklyLessonTeacher

WEEKS_BACK = 3
TOPICS = (
    "Correction des exercices, puis cours : introduction du nouveau chapitre.",
    "Activité de découverte en groupes, mise en commun et trace écrite.",
    "Évaluation formative, puis reprise des notions mal comprises.",
    "Lecture du document, questions de compréhension, synthèse au tableau.",
    "Exercices d'application et méthode pour rédiger une réponse.",
)
HOMEWORK = (
    ("to_do", "Terminer les exercices commencés en classe.", 20),
    ("learn", "Apprendre la trace écrite de la séance.", 15),
    ("to_do", "Préparer les questions 1 à 4 du document.", 30),
    ("assessment", "Évaluation sur le chapitre : revoir les exercices corrigés.", 45),
)
GIVEN = 0.4
TICKED = 0.6


# A class as the book knows it: (subject, divisions, groups); a lesson: (id, date, start, weekly lesson id).
ClassKey = tuple[int, frozenset[int], frozenset[int]]
LessonRow = tuple[int, datetime.date, datetime.time, int]


def _class_keys(school: School) -> dict[int, ClassKey]:
    """Each weekly lesson's class (subject, divisions, groups), in three queries."""
    divisions: dict[int, set[int]] = defaultdict(set)
    for weekly_id, division_id in WeeklyLessonDivision.objects.filter(school=school).values_list(
        "weekly_lesson_id", "division_id"
    ):
        divisions[weekly_id].add(division_id)
    groups: dict[int, set[int]] = defaultdict(set)
    for weekly_id, group_id in WeeklyLessonGroup.objects.filter(school=school).values_list(
        "weekly_lesson_id", "group_id"
    ):
        groups[weekly_id].add(group_id)
    return {
        pk: (subject_id, frozenset(divisions[pk]), frozenset(groups[pk]))
        for pk, subject_id in WeeklyLesson.objects.filter(school=school).values_list("pk", "subject_id")
    }


def _next_lessons(lessons: list[LessonRow], keys: dict[int, ClassKey]) -> dict[int, LessonRow]:
    """Each lesson's class's next lesson, computed in memory (the service asks the database one by one)."""
    by_class: dict[ClassKey, list[LessonRow]] = defaultdict(list)
    for lesson in lessons:
        by_class[keys[lesson[3]]].append(lesson)
    following = {}
    for series in by_class.values():
        series.sort(key=lambda lesson: (lesson[1], lesson[2]))
        following.update({earlier[0]: later for earlier, later in itertools.pairwise(series)})
    return following


def write_book(
    school: School,
    first: datetime.date,
    last: datetime.date,
    rng: random.Random,
    *,
    ticked_from: datetime.date | None = None,
) -> dict[str, int]:
    """Entries for the lessons between two dates that have none, homework in some, due for the class's next
    lesson (looked up to three weeks ahead), and the students' ticks of the homework already due (from
    `ticked_from` on, when given). Plain rows through `schools.bulk`: a Paris term is a million entries."""
    lessons: list[LessonRow] = list(
        Lesson.objects.filter(
            school=school, cancelled=False, date__range=(first, last + datetime.timedelta(days=21))
        ).values_list("pk", "date", "start", "weekly_lesson_id")
    )
    written = set(
        LessonEntry.objects.filter(school=school, lesson__date__range=(first, last)).values_list("lesson_id", flat=True)
    )
    keys = _class_keys(school)
    authors: dict[int, int] = {}
    for weekly_id, teacher_id in (
        WeeklyLessonTeacher.objects.filter(school=school).order_by("pk").values_list("weekly_lesson_id", "teacher_id")
    ):
        authors.setdefault(weekly_id, teacher_id)
    following = _next_lessons(lessons, keys)
    entries, homework = [], []
    for pk, day, _start, weekly_id in lessons:
        if not first <= day <= last or pk in written:
            continue
        author = authors.get(weekly_id)
        entries.append((school.pk, pk, f"<p>{rng.choice(TOPICS)}</p>", author))
        due = following.get(pk)
        if due is not None and rng.random() < GIVEN:
            kind, text, minutes = rng.choice(HOMEWORK)
            homework.append((school.pk, pk, due[0], due[1], f"<p>{text}</p>", kind, minutes, author))
    insert_rows(LessonEntry, ("school_id", "lesson_id", "content", "author_id"), entries)
    given = insert_rows(
        Homework,
        ("school_id", "given_in_id", "due_lesson_id", "due_on", "description", "kind", "minutes", "author_id"),
        homework,
        returning=("id", "given_in_id", "due_on"),
    )
    weekly_of = {lesson[0]: lesson[3] for lesson in lessons}
    to_tick = [
        (pk, keys[weekly_of[given_in]][1])
        for pk, given_in, due_on in given
        if due_on <= last and (ticked_from is None or due_on >= ticked_from)
    ]
    ticks = _ticks(school, to_tick, rng)
    return {"contenus de séance": len(entries), "travaux à faire": len(homework), "travaux cochés": ticks}


def _ticks(school: School, homework: list[tuple[int, frozenset[int]]], rng: random.Random) -> int:
    """Some students of each homework's divisions ticked it done."""
    students_of: dict[int, list[int]] = defaultdict(list)
    for division_id, user_id in Membership.objects.filter(
        school=school, profile=Profile.STUDENT, active=True, division__isnull=False
    ).values_list("division_id", "user_id"):
        students_of[division_id].append(user_id)
    done = [
        (school.pk, pk, student)
        for pk, divisions in sorted(homework)
        for division in sorted(divisions)
        for student in students_of[division]
        if rng.random() < TICKED
    ]
    insert_rows(HomeworkDone, ("school_id", "homework_id", "student_id"), done)
    return len(done)


def _visa(school: School, today: datetime.date) -> int:
    """The head countersigned the first division's book of its first teacher, up to last Friday."""
    division = Division.objects.filter(school=school).order_by("code").first()
    head = Membership.objects.filter(school=school, profile=Profile.DIRECTION).select_related("user").first()
    entry = LessonEntry.objects.filter(school=school, lesson__weekly_lesson__divisions=division).first()
    if division is None or head is None or entry is None or entry.author is None:
        return 0
    friday = today - datetime.timedelta(days=today.weekday() + 3)
    Visa.objects.create(
        school=school, teacher=entry.author, division=division, signed_by=head.user, covers_until=friday,
        comment="Cahier tenu avec soin. Pensez à indiquer la durée estimée du travail.",
    )  # fmt: skip
    return 1


@register_demo_step(name="cahier de textes", order=40)
def seed_homework_book(world: DemoWorld) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    today = timezone.localdate()
    for school in world.schools.values():
        with school_scope(school):
            if LessonEntry.objects.filter(school=school).exists():
                continue
            first = today - datetime.timedelta(days=today.weekday() + 7 * WEEKS_BACK)
            for name, count in write_book(school, first, today, world.rng).items():
                counts[name] += count
            counts["visas"] += _visa(school, today)
    return dict(counts)
