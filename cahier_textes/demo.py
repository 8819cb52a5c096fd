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
from schools.models import School
from schools.tenancy import school_scope
from vie_scolaire.models import Lesson

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


def _class_key(lesson: Lesson) -> tuple[int, frozenset[int], frozenset[int]]:
    weekly = lesson.weekly_lesson
    return (
        weekly.subject_id,
        frozenset(d.pk for d in weekly.divisions.all()),
        frozenset(g.pk for g in weekly.groups.all()),
    )


def _next_lessons(lessons: list[Lesson]) -> dict[int, Lesson]:
    """Each lesson's class's next lesson, computed in memory (the service asks the database one by one)."""
    by_class: dict[tuple[int, frozenset[int], frozenset[int]], list[Lesson]] = defaultdict(list)
    for lesson in lessons:
        by_class[_class_key(lesson)].append(lesson)
    following = {}
    for series in by_class.values():
        series.sort(key=lambda lesson: (lesson.date, lesson.start))
        following.update({earlier.pk: later for earlier, later in itertools.pairwise(series)})
    return following


def write_book(school: School, first: datetime.date, last: datetime.date, rng: random.Random) -> dict[str, int]:
    """Entries for the lessons between two dates that have none, homework in some, due for the class's next
    lesson (looked up to three weeks ahead), and the students' ticks of the homework already due."""
    lessons = list(
        Lesson.objects.filter(school=school, cancelled=False, date__range=(first, last + datetime.timedelta(days=21)))
        .select_related("weekly_lesson", "entry")
        .prefetch_related("weekly_lesson__divisions", "weekly_lesson__groups", "weekly_lesson__teachers")
    )
    following = _next_lessons(lessons)
    entries, homework = [], []
    for lesson in lessons:
        if not first <= lesson.date <= last or getattr(lesson, "entry", None) is not None:
            continue
        author = next(iter(lesson.weekly_lesson.teachers.all()), None)
        entries.append(LessonEntry(school=school, lesson=lesson, content=f"<p>{rng.choice(TOPICS)}</p>", author=author))
        due = following.get(lesson.pk)
        if due is not None and rng.random() < GIVEN:
            kind, text, minutes = rng.choice(HOMEWORK)
            homework.append(
                Homework(
                    school=school, given_in=lesson, due_lesson=due, due_on=due.date, description=f"<p>{text}</p>",
                    kind=kind, minutes=minutes, author=author,
                )
            )  # fmt: skip
    LessonEntry.objects.bulk_create(entries, batch_size=2000)
    Homework.objects.bulk_create(homework, batch_size=2000)
    ticks = _ticks(school, [h for h in homework if h.due_on <= last], rng)
    return {"contenus de séance": len(entries), "travaux à faire": len(homework), "travaux cochés": ticks}


def _ticks(school: School, homework: list[Homework], rng: random.Random) -> int:
    students_of: dict[int, list[int]] = defaultdict(list)
    for division_id, user_id in Membership.objects.filter(
        school=school, profile=Profile.STUDENT, active=True, division__isnull=False
    ).values_list("division_id", "user_id"):
        students_of[division_id].append(user_id)
    done = [
        HomeworkDone(school=school, homework=item, student_id=student)
        for item in homework
        for division in item.given_in.weekly_lesson.divisions.all()
        for student in students_of[division.pk]
        if rng.random() < TICKED
    ]
    HomeworkDone.objects.bulk_create(done, batch_size=5000)
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
