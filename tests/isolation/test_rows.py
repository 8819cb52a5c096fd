"""The hand-written reads (schools.rows) keep the tenancy's rules: the scope's school, closed without one."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from schools.rows import aware, school_rows
from schools.tenancy import ScopeError, school_scope
from tests.factories import SchoolFactory, SubjectFactory

pytestmark = pytest.mark.django_db

SUBJECTS = "SELECT code FROM annuaire_subject WHERE school_id = %(school)s AND code IN %(codes)s ORDER BY code"


def test_a_read_sees_the_school_in_scope_only() -> None:
    school, other = SchoolFactory(), SchoolFactory()
    for code in ("ANG", "FRA", "MATH"):
        SubjectFactory(school=school, code=code)
    SubjectFactory(school=other, code="FRA")
    with school_scope(school):
        assert school_rows(SUBJECTS, codes=("FRA", "MATH", "SVT")) == [("FRA",), ("MATH",)]
    with school_scope(other):
        assert school_rows(SUBJECTS, codes=["FRA", "MATH"]) == [("FRA",)]


def test_an_empty_list_matches_nothing_and_is_refused_after_not_in() -> None:
    school = SchoolFactory()
    SubjectFactory(school=school, code="FRA")
    with school_scope(school):
        assert school_rows(SUBJECTS, codes=()) == []
        assert school_rows("SELECT code FROM annuaire_subject WHERE id IN %(ids)s", ids=[]) == []
        with pytest.raises(ValueError, match="NOT IN"):
            school_rows(SUBJECTS.replace(" IN ", " NOT IN "), codes=[])
        assert school_rows(SUBJECTS.replace(" IN ", " NOT IN "), codes=["ANG"]) == [("FRA",)]


def test_without_a_school_in_scope_the_read_fails_closed() -> None:
    SubjectFactory(code="FRA")
    with pytest.raises(ScopeError):
        school_rows(SUBJECTS, codes=["FRA"])


def test_dates_and_times_are_sent_as_the_orm_sends_them() -> None:
    """SQLite's driver takes no time of day: the read adapts each parameter as the ORM does."""
    school = SchoolFactory()
    sql = "SELECT id FROM schools_school WHERE id = %(school)s AND %(morning)s < %(noon)s AND %(day)s = %(day)s"
    with school_scope(school):
        found = school_rows(sql, morning=datetime.time(8, 5), noon=datetime.time(12), day=datetime.date(2026, 12, 7))
    assert found == [(school.pk,)]


def test_a_stored_time_is_read_in_utc() -> None:
    utc = datetime.datetime(2026, 12, 7, 7, 15, tzinfo=datetime.UTC)
    paris = timezone.localtime(utc)
    assert aware(utc.replace(tzinfo=None)) == utc
    assert aware(paris) is paris
    assert aware(None) is None
