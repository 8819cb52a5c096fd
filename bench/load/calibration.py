"""The floors the portal's pages are measured against, served by the same gunicorn as the portal.

`/bench/hello`: a constant answer, the cost of the server and the network alone.
`/bench/calibration`: a student's school home page read with hand-written SQL and no
middleware: the session cookie decoded, the account checked against the session's hash, the
school, the person's profiles there, the modules switched on, the next lesson, the homework for
the next school day with the ticks, and the five newest announcements for the audience with
what is read: the data the portal's home shows, as a plain HTML page. What the portal costs
above it is the ORM, the middleware, tenancy, permissions and templates.

Mounted by `bench.load.wsgi` only: the portal itself never serves these paths.
"""

from __future__ import annotations

import datetime
import html
import pickle
import threading
from collections.abc import Callable, Iterable
from http.cookies import SimpleCookie
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import redis
from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

PARIS = ZoneInfo("Europe/Paris")
SESSION_SALT = "django.contrib.sessions.SessionStore"
HASH_SALT = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"

USER_SQL = "SELECT password, first_name, last_name FROM annuaire_user WHERE id = %s AND is_active"
SCHOOL_SQL = "SELECT id, name FROM schools_school WHERE uai = %s"
MEMBERSHIPS_SQL = """
SELECT id, profile, division_id FROM annuaire_membership
WHERE school_id = %s AND user_id = %s AND active"""
SERVICES_SQL = "SELECT module, state FROM schools_schoolservice WHERE school_id = %s"
# The lessons of the student's division or groups, as the timetable's audience reads them.
AUDIENCE = """
SELECT wl.id FROM vie_scolaire_weeklylesson wl
WHERE wl.school_id = %(school)s AND (
  EXISTS (SELECT 1 FROM vie_scolaire_weeklylessondivision d
          WHERE d.weekly_lesson_id = wl.id AND d.division_id = %(division)s)
  OR EXISTS (SELECT 1 FROM vie_scolaire_weeklylessongroup g
             JOIN annuaire_groupmembership gm ON gm.group_id = g.group_id AND gm.membership_id = %(membership)s
             WHERE g.weekly_lesson_id = wl.id))"""
NEXT_LESSON_SQL = f"""
SELECT l.start, l."end", l.cancelled, s.name, coalesce(r2.name, r1.name, '')
FROM vie_scolaire_lesson l
JOIN vie_scolaire_weeklylesson wl ON wl.id = l.weekly_lesson_id
JOIN annuaire_subject s ON s.id = wl.subject_id
LEFT JOIN vie_scolaire_room r1 ON r1.id = wl.room_id
LEFT JOIN vie_scolaire_room r2 ON r2.id = l.room_id
WHERE l.school_id = %(school)s AND l.date = %(today)s AND l."end" > %(now)s
  AND l.weekly_lesson_id IN ({AUDIENCE})
ORDER BY l.start LIMIT 1"""  # noqa: S608 (constant text, no input)
HOMEWORK_SQL = f"""
SELECT h.id, h.description, h.kind, s.name,
       EXISTS (SELECT 1 FROM cahier_textes_homeworkdone d WHERE d.homework_id = h.id AND d.student_id = %(user)s)
FROM cahier_textes_homework h
JOIN vie_scolaire_lesson l ON l.id = h.given_in_id
JOIN vie_scolaire_weeklylesson wl ON wl.id = l.weekly_lesson_id
JOIN annuaire_subject s ON s.id = wl.subject_id
WHERE h.school_id = %(school)s AND h.due_on = %(day)s AND l.weekly_lesson_id IN ({AUDIENCE})
ORDER BY s.name, h.id"""  # noqa: S608 (constant text, no input)
ANNOUNCEMENTS_SQL = """
SELECT a.id, a.title, a.publish_at,
       EXISTS (SELECT 1 FROM communication_announcementread r WHERE r.announcement_id = a.id AND r.user_id = %(user)s)
FROM communication_announcement a
WHERE a.school_id = %(school)s AND a.status = 'published' AND a.publish_at <= %(at)s
  AND (a.expires_at IS NULL OR a.expires_at > %(at)s)
  AND (a.whole_school OR EXISTS (
        SELECT 1 FROM communication_announcementaudience x
        WHERE x.announcement_id = a.id AND (x.profile = 'student' OR x.division_id = %(division)s)))
ORDER BY a.publish_at DESC, a.id DESC LIMIT 5"""

_local = threading.local()


def _connection() -> psycopg.Connection[Any]:
    connection = getattr(_local, "connection", None)
    if connection is None or connection.closed:
        database = settings.DATABASES["default"]
        connection = psycopg.connect(
            dbname=database["NAME"],
            user=database["USER"],
            password=database["PASSWORD"] or None,
            host=database["HOST"],
            port=database["PORT"] or 5432,
            autocommit=True,
        )
        _local.connection = connection
    return connection


def _redis() -> redis.Redis:
    client = getattr(_local, "redis", None)
    if client is None:
        client = _local.redis = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    return client


def _session(cursor: psycopg.Cursor[Any], key: str) -> dict[str, Any] | None:
    if settings.SESSION_ENGINE.endswith(".cache"):
        prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
        raw: bytes | None = _redis().get(f"{prefix}:1:django.contrib.sessions.cache{key}")  # type: ignore[assignment]
        return pickle.loads(raw) if raw else None  # noqa: S301 (written by our own session store)
    # Expired by the portal's clock, as Django's session store reads it, not the database server's.
    cursor.execute(
        "SELECT session_data FROM django_session WHERE session_key = %s AND expire_date > %s", [key, timezone.now()]
    )
    row = cursor.fetchone()
    if row is None:
        return None
    data: dict[str, Any] = signing.loads(row[0], salt=SESSION_SALT, serializer=signing.JSONSerializer)
    return data


def _respond(start_response: Callable[..., Any], status: str, body: str) -> list[bytes]:
    payload = body.encode()
    start_response(status, [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(payload)))])
    return [payload]


def hello(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    return _respond(start_response, "200 OK", "<!doctype html><title>ENT</title><p>Bonjour</p>")


def calibration(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """`/bench/calibration?uai=...`: the student's home of that school, for the session's user."""
    cookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))
    uai = environ.get("QUERY_STRING", "").removeprefix("uai=")
    if settings.SESSION_COOKIE_NAME not in cookie:
        return _respond(start_response, "403 Forbidden", "no session")
    with _connection().cursor() as cursor:
        body = _home(cursor, cookie[settings.SESSION_COOKIE_NAME].value, uai)
    return _respond(start_response, "200 OK", body) if body else _respond(start_response, "403 Forbidden", "")


def _home(cursor: psycopg.Cursor[Any], session_key: str, uai: str) -> str | None:
    session = _session(cursor, session_key)
    if not session or "_auth_user_id" not in session:
        return None
    user_id = int(session["_auth_user_id"])
    cursor.execute(USER_SQL, [user_id])
    user = cursor.fetchone()
    expected = salted_hmac(HASH_SALT, user[0] if user else "", algorithm="sha256").hexdigest()
    if user is None or not constant_time_compare(session.get("_auth_user_hash", ""), expected):
        return None
    cursor.execute(SCHOOL_SQL, [uai])
    school = cursor.fetchone()
    if school is None:
        return None
    cursor.execute(MEMBERSHIPS_SQL, [school[0], user_id])
    student = next((row for row in cursor.fetchall() if row[1] == "student"), None)
    if student is None:
        return None
    cursor.execute(SERVICES_SQL, [school[0]])
    services = dict(cursor.fetchall())
    now = datetime.datetime.now(PARIS)
    audience = {"school": school[0], "division": student[2], "membership": student[0], "user": user_id}
    cursor.execute(NEXT_LESSON_SQL, {**audience, "today": now.date(), "now": now.time()})
    lesson = cursor.fetchone()
    cursor.execute(HOMEWORK_SQL, {**audience, "day": _next_school_day(now.date())})
    homework = cursor.fetchall()
    cursor.execute(ANNOUNCEMENTS_SQL, {**audience, "at": now})
    announcements = cursor.fetchall()
    return _page(f"{user[1]} {user[2]}", school[1], services, lesson, homework, announcements)


def _next_school_day(day: datetime.date) -> datetime.date:
    day += datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _page(name: str, school: str, services: dict[str, str], lesson: Any, homework: Any, announcements: Any) -> str:
    escape = html.escape
    parts = [f"<!doctype html><title>{escape(school)}</title><h1>{escape(name)}</h1>"]
    parts.append(f"<p>{len(services)} services</p>")
    if lesson:
        parts.append(f"<p>{lesson[0]:%H:%M} {escape(lesson[3])} {escape(lesson[4])}</p>")
    parts += [f"<li>{escape(row[3])}: {escape(row[1][:200])}{' ✓' if row[4] else ''}</li>" for row in homework]
    parts += [f"<li>{escape(row[1])}{'' if row[3] else ' •'}</li>" for row in announcements]
    return "".join(parts)
