"""The STS-Web import on ENT-NG's eight cases (sts_emp + emp_sts pairs), and on bad files."""

from __future__ import annotations

import datetime

import pytest

from tests.vie_scolaire.timetable_support import TIMETABLE, school, teacher
from vie_scolaire.models import Lesson, WeeklyLesson
from vie_scolaire.timetable_import.importer import import_timetable

STS = TIMETABLE / "sts-web" / "open-ent-ng-edt"
UAI = "0771991W"
TODAY = datetime.date(2025, 1, 6)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not STS.is_dir(), reason=f"the STS-Web samples are not at {STS}"),
]


def pair(case: str) -> list:
    return [STS / case / "sts_emp.xml", STS / case / "emp_sts.xml"]


def test_case1_smoke():
    target = school(UAI)
    teacher(target, "Doe", "Jane")
    report = import_timetable(school=target, paths=pair("case1"), today=TODAY)
    print(report)
    assert not report.refused, report.errors
    print(list(WeeklyLesson.unscoped.values()))
    print(list(Lesson.unscoped.values_list("date", "start", "end")))
