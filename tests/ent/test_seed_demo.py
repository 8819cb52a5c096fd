"""`manage.py seed_demo`: the demo world, deterministic and idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from annuaire.aaf.report import WRITE_SUFFIXES
from annuaire.models import (
    CharterAcceptance,
    Division,
    Guardianship,
    ImportRun,
    Mef,
    Membership,
    Profile,
    TeachingAssignment,
    User,
)
from annuaire.services import demo
from annuaire.services.demo import plan, steps, world
from schools.models import School
from schools.tenancy import cross_school
from schools.uai import has_valid_check_letter

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_demo_uais_have_the_right_check_letter():
    assert len(world.DEMO_SCHOOLS) == 3
    assert all(has_valid_check_letter(spec.uai) for spec in world.DEMO_SCHOOLS)
    assert len(demo.DEMO_PASSWORD) >= 12


def test_seed_demo_builds_the_demo_world():
    output = seed()

    schools = {school.uai: school for school in School.objects.all()}
    assert len(schools) == 3
    kinds = sorted(school.kind for school in schools.values())
    assert kinds == [School.Kind.COLLEGE, School.Kind.COLLEGE, School.Kind.LYCEE]
    assert all(school.wave_id is not None and school.status == School.Status.OPEN for school in schools.values())
    assert set(Mef.objects.values_list("code", flat=True)) >= {code for code, _label in world.MEFS.values()}

    with cross_school():
        for school in schools.values():
            divisions = Division.objects.filter(school=school)
            expected_levels = {"6", "5", "4", "3"} if school.kind == School.Kind.COLLEGE else {"2", "1", "T"}
            assert {d.code[0] for d in divisions} == expected_levels
            assert divisions.count() == len(expected_levels) * world.DIVISIONS_PER_LEVEL
            assert all(d.mef is not None for d in divisions)
            # ~25 students in every division, each with 1 or 2 legal representatives.
            per_division = Membership.objects.filter(school=school, profile=Profile.STUDENT).order_by()
            counts = per_division.values("division").annotate(n=Count("id")).values_list("division", "n")
            assert dict(counts) == {d.pk: world.STUDENTS_PER_DIVISION for d in divisions}
            guardians = (
                Guardianship.objects.filter(school=school).order_by().values("student").annotate(n=Count("guardian"))
            )
            assert {row["n"] for row in guardians} <= {1, 2}
            assert guardians.count() == divisions.count() * world.STUDENTS_PER_DIVISION
            # Every division: a teacher for each subject of its level, and exactly one head teacher.
            spec = next(spec for spec in world.DEMO_SCHOOLS if spec.uai == school.uai)
            for division in divisions:
                assignments = TeachingAssignment.objects.filter(school=school, division=division)
                taught = sorted(assignments.values_list("subject__code", flat=True))
                assert taught == sorted(s.code for s in spec.subjects if division.code[0] in s.levels)
                assert assignments.filter(is_head_teacher=True).count() == 1
            # A head and a CPE per school.
            assert Membership.objects.filter(school=school, profile=Profile.DIRECTION).count() == 1
            cpe = Membership.objects.get(school=school, profile=Profile.STAFF)
            assert cpe.functions == ["CPE"]

        # Parents with children in two schools, one of them the demo parent.
        spread = (
            Guardianship.objects.order_by()
            .values("guardian__username")
            .annotate(n=Count("school", distinct=True))
            .filter(n__gt=1)
        )
        assert spread.count() >= 10
        demo_children = Guardianship.objects.filter(guardian__username="parent.demo")
        assert {(g.student.username, g.school.kind) for g in demo_children} == {
            ("eleve.demo", School.Kind.COLLEGE),
            ("eleve.lycee", School.Kind.LYCEE),
        }
        assert Membership.objects.filter(user__username="parent.demo", profile=Profile.PARENT).count() == 2
        # The shared teacher teaches in both collèges.
        martin = Membership.objects.filter(user__username="prof.martin", profile=Profile.TEACHER)
        assert {m.school.kind for m in martin} == {School.Kind.COLLEGE}
        assert martin.count() == 2
        assert (
            TeachingAssignment.objects.filter(teacher__username="prof.martin").values("school").distinct().count() == 2
        )
        # Activated accounts accepted their schools' charter.
        assert CharterAcceptance.objects.filter(user__username="eleve.demo").count() == 1

    city_admin = User.objects.get(username="ville.admin")
    assert city_admin.is_city_admin
    assert not Membership.unscoped.filter(user=city_admin).exists()
    for account in demo.demo_accounts():
        user = User.objects.get(username=account.username)
        assert user.activated_at is not None
        assert user.check_password(demo.DEMO_PASSWORD)
        assert account.username in output
    assert demo.DEMO_PASSWORD in output
    # Accounts not yet activated cannot sign in before their activation letter.
    pending = User.objects.filter(activated_at=None)
    assert pending.exists()
    assert not pending.first().has_usable_password()


def test_second_run_creates_nothing_and_says_so():
    seed()
    before = {
        "users": User.objects.count(),
        "memberships": Membership.unscoped.count(),
        "guardianships": Guardianship.unscoped.count(),
        "assignments": TeachingAssignment.unscoped.count(),
        "divisions": Division.unscoped.count(),
        "schools": School.objects.count(),
        "passwords": dict(User.objects.values_list("username", "password")),
    }

    output = seed()

    after = {
        "users": User.objects.count(),
        "memberships": Membership.unscoped.count(),
        "guardianships": Guardianship.unscoped.count(),
        "assignments": TeachingAssignment.unscoped.count(),
        "divisions": Division.unscoped.count(),
        "schools": School.objects.count(),
        "passwords": dict(User.objects.values_list("username", "password")),
    }
    assert after == before
    assert "rien n'a changé" in output
    assert "principal.voltaire" in output


def rows_written(run: ImportRun) -> int:
    return sum(count for key, count in run.counts.items() if key.endswith(WRITE_SUFFIXES))


def test_the_demo_runs_through_the_directory_import():
    output = seed()

    run = ImportRun.objects.get(origin="demo")
    assert run.status == ImportRun.Status.APPLIED
    assert not run.errors
    assert len(run.files) == 6
    assert all(name.startswith("DEMO_ENTPARIS_Complet_20260901_") for name in run.files)
    assert run.counts["accounts_created"] == User.objects.exclude(username="ville.admin").count()
    assert "comptes créés" in output
    # Schools and people carry their AAF identity; the demo accounts kept their fixed identifiers.
    for spec in world.DEMO_SCHOOLS:
        school = School.objects.get(uai=spec.uai)
        assert (school.external_source, school.external_id) == ("PARIS", spec.jointure)
    people = User.objects.exclude(username="ville.admin")
    assert not people.filter(external_source="").exists()
    assert not people.filter(external_id="").exists()
    assert people.values("external_id").distinct().count() == people.count()
    for account in demo.demo_accounts():
        user = User.objects.get(username=account.username)
        if user.is_city_admin:
            assert (user.external_source, user.external_id) == ("", "")
        else:
            assert user.external_source == "PARIS" and user.external_id
    assert not Membership.unscoped.filter(from_directory=False).exists()

    second_output = seed()

    second = ImportRun.objects.filter(origin="demo").exclude(pk=run.pk).get()
    assert second.status == ImportRun.Status.APPLIED
    assert rows_written(second) == 0
    assert second.counts["read_Eleve"] == run.counts["read_Eleve"] > 0
    assert "rien n'a changé" in second_output


def test_the_plan_is_deterministic():
    first, second = plan.build_plan(), plan.build_plan()
    assert first.people == second.people
    assert first.memberships == second.memberships
    assert first.guardianships == second.guardianships
    assert first.assignments == second.assignments


def test_a_demo_account_signs_in_with_the_demo_password(client):
    seed()

    assert client.login(username="parent.demo", password=demo.DEMO_PASSWORD)
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Collège Voltaire" in page
    assert "Lycée Hélène-Boucher" in page
    client.logout()
    assert not client.login(username="parent.demo", password="mauvais mot de passe")


def test_module_demo_steps_run_after_the_directory(monkeypatch):
    monkeypatch.setattr(steps, "_demo_steps", [])
    seen: list[tuple[set[str], int]] = []

    @demo.register_demo_step(name="test-step")
    def step(world: demo.DemoWorld) -> dict[str, int]:
        seen.append((set(world.schools), world.school_year))
        return {"test rows": 0 if len(seen) > 1 else 4}

    first = demo.seed_demo_world()
    second = demo.seed_demo_world()

    assert seen == [({"voltaire", "brassens", "boucher"}, world.DEMO_SCHOOL_YEAR)] * 2
    assert first.created["test rows"] == 4
    assert second.changed is False
