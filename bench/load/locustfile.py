"""The Monday 8:00 mix, for Locust (`make load` runs it headless, bounded in time, on loopback).

Each simulated person signs in once through the real sign-in form, then reads pages with think
times, as the city's families and teachers do at the start of the week: students (their school
home, the week's timetable, homework, grades, inbox, announcements, some through the phone
app's API or an agenda feed), parents (the same for a child, the absences too), and teachers
(the day's roll call, a grade grid and one grade typed in it, their timetable). The people come from the cast file
written by `bench.load.run` (`LOAD_CAST`), drawn from the dataset's real accounts.

The load generator speaks plain HTTP to gunicorn and says, as the city's TLS proxy would, that
the request came over HTTPS and from which address (`X-Forwarded-Proto`, `X-Forwarded-For`):
the portal runs with its production settings, secure cookies included, which is why the
cookies are carried by hand. The `Floor` user reads one floor view instead (bench.load.calibration).
"""

from __future__ import annotations

import datetime
import json
import os
import random
import re
import time
from collections.abc import Callable
from typing import Any

from locust import FastHttpUser, between, task
from locust.exception import StopUser

CAST: dict[str, list[dict[str, Any]]] = json.loads(open(os.environ["LOAD_CAST"]).read())  # noqa: SIM115
PASSWORD = os.environ["LOAD_PASSWORD"]
SIGN_IN_ATTEMPTS = 5
FLOOR = os.environ.get("LOAD_FLOOR", "calibration")
THINK = between(float(os.environ.get("LOAD_THINK_MIN", "1")), float(os.environ.get("LOAD_THINK_MAX", "4")))
_MONDAY = datetime.date.today() - datetime.timedelta(days=datetime.date.today().weekday())
WEEK = {"monday": _MONDAY.isoformat(), "friday": (_MONDAY + datetime.timedelta(days=4)).isoformat()}
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
GRADE_CELL = re.compile(rb'data-url="([^"]+)"\s+data-student="(\d+)" data-version="(\d+)"')
COOKIE = re.compile(r"(csrftoken|sessionid)=([^;]+)")


class Person(FastHttpUser):
    abstract = True
    wait_time = THINK
    profile = ""

    def on_start(self) -> None:
        self.person = random.choice(CAST[self.profile])
        self.cookies: dict[str, str] = {}
        self.address = f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
        self.sign_in()

    def headers(self) -> dict[str, str]:
        return {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "Origin": f"https://{(self.host or '').removeprefix('http://')}",
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
        }

    def keep_cookies(self, response: Any) -> None:
        for header, value in response.headers.items() if response.headers else ():
            if header.lower() == "set-cookie":
                for name, cookie in COOKIE.findall(value):
                    self.cookies[name] = cookie

    def sign_in(self) -> None:
        """The real sign-in form; a busy portal's 503 is waited out as its Retry-After says, as a
        person would try again, and any other refusal sends the person away."""
        for _attempt in range(SIGN_IN_ATTEMPTS):
            page = self.client.get("/accounts/login/", headers=self.headers(), name="sign-in form")
            self.keep_cookies(page)
            if page.status_code == 503:
                time.sleep(retry_after(page))
                continue
            token = CSRF_INPUT.search(page.content or b"")
            form = {"login": self.person["username"], "password": PASSWORD}
            form["csrfmiddlewaretoken"] = token.group(1).decode() if token else ""
            # Not followed: the session cookie comes with the redirect, and it is secure, so the
            # client's own cookie jar would not send it back over plain HTTP.
            with self.client.post(
                "/accounts/login/",
                data=form,
                headers=self.headers(),
                name="sign-in",
                catch_response=True,
                allow_redirects=False,
            ) as response:
                self.keep_cookies(response)
                if "sessionid" in self.cookies:
                    return
                if response.status_code != 503:
                    response.failure(f"sign-in refused ({response.status_code}) for {self.person['username']}")
                    raise StopUser
            time.sleep(retry_after(response))
        raise StopUser

    def read(self, path: str, name: str) -> bytes:
        with self.client.get(path, headers=self.headers(), name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            return response.content or b""

    def post(self, path: str, name: str, form: dict[str, str], expected: tuple[int, ...] = (200, 302)) -> None:
        form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        with self.client.post(
            path, data=form, headers=self.headers(), name=name, catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code not in expected:
                response.failure(f"{response.status_code}")


def retry_after(response: Any) -> float:
    """The seconds a busy portal's 503 asks to wait (5 when it does not say)."""
    return float(str(response.headers.get("Retry-After", "5")) if response.headers else 5)


def page(name: str, path: str) -> Callable[[Person], None]:
    """A task reading one page; `path` is filled from the person (uai, student) and this week."""

    def read(person: Person) -> None:
        person.read(path.format(**person.person, **WEEK), name)

    read.__name__ = name.replace(" ", "_")
    return read


class Student(Person):
    weight = 45
    profile = "students"
    tasks = {  # type: ignore[assignment]  # Locust takes {task: weight} too
        page("school home", "/{uai}/"): 6,
        page("timetable week", "/{uai}/emploi-du-temps/"): 3,
        page("homework", "/{uai}/cahier-de-textes/"): 3,
        page("grades and averages", "/{uai}/notes/eleves/{student}/"): 2,
        page("inbox", "/{uai}/messagerie/"): 1,
        page("announcements", "/{uai}/actualites/"): 1,
        page("api timetable", "/api/v1/{uai}/timetable/?from={monday}&to={friday}"): 1,
    }


class Parent(Person):
    weight = 40
    profile = "parents"
    tasks = {  # type: ignore[assignment]  # Locust takes {task: weight} too
        page("school home", "/{uai}/"): 4,
        page("timetable week", "/{uai}/emploi-du-temps/eleves/{student}/"): 2,
        page("homework", "/{uai}/cahier-de-textes/eleves/{student}/"): 2,
        page("grades and averages", "/{uai}/notes/eleves/{student}/"): 2,
        page("absences", "/{uai}/absences/eleves/{student}/"): 2,
        page("inbox", "/{uai}/messagerie/"): 1,
    }


class Teacher(Person):
    weight = 15
    profile = "teachers"
    tasks = {  # type: ignore[assignment]
        page("timetable week", "/{uai}/emploi-du-temps/"): 2,
        page("school home", "/{uai}/"): 1,
    }

    @task(3)
    def roll_call(self) -> None:
        if self.person["lessons"]:
            path = f"/{self.person['uai']}/emploi-du-temps/seances/{random.choice(self.person['lessons'])}/appel/"
            self.read(path, "roll call")
            # Everyone present: refused (and shown so) outside the lesson's window, taken inside it.
            self.post(path, "roll call: all present", {"action": "all_present"})

    @task(2)
    def grade_grid(self) -> None:
        if self.person["assignments"]:
            assignment = random.choice(self.person["assignments"])
            grid = self.read(f"/{self.person['uai']}/notes/services/{assignment}/", "grade entry grid")
            cells = GRADE_CELL.findall(grid)
            if cells:
                # One cell typed again as the grid's script saves it: a new value over the version read
                # (within every scale: 5 is the smallest), a 409 when someone changed it meanwhile (the
                # portal's answer, not a failure).
                url, student, version = random.choice(cells)
                form = {"student": student.decode(), "version": version.decode(), "value": str(random.randint(0, 5))}
                self.post(url.decode(), "grade entry: one cell", form, expected=(200, 409))


class Floor(Person):
    """A signed-in student reading one floor view (`LOAD_FLOOR`: hello or calibration) on and on."""

    profile = "students"

    @task
    def floor(self) -> None:
        if FLOOR == "hello":
            self.read("/bench/hello", "hello")
        else:
            self.read(f"/bench/calibration?uai={self.person['uai']}", "calibration")
