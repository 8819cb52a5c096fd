"""The timetable's rights: who sees which timetable, who changes a lesson or the calendar.

The role table is in `annuaire.roles`; the relationship rules (a parent sees their
children's timetable, a teacher their own) are the selectors' `visible_*` querysets.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from annuaire import roles
from annuaire.models import Profile
from schools.permissions import delegable

VIEW_TIMETABLE = "vie_scolaire.view_timetable"
# Every teacher's timetable (staff and heads); a teacher always sees their own.
VIEW_STAFF_TIMETABLES = "vie_scolaire.view_staff_timetables"
VIEW_ROOMS = "vie_scolaire.view_rooms"
CHANGE_LESSONS = "vie_scolaire.change_lessons"
MANAGE_CALENDAR = "vie_scolaire.manage_calendar"
IMPORT_TIMETABLE = "vie_scolaire.import_timetable"
# The zone's holidays, entered once by the city for every school.
MANAGE_ZONE_HOLIDAYS = "vie_scolaire.manage_zone_holidays"

# A head may hand the timetable's day-to-day changes and the calendar to one person (a deputy, a teacher).
delegable(CHANGE_LESSONS, _("Modifier les séances (annulation, déplacement, remplacement)"))
delegable(MANAGE_CALENDAR, _("Gérer le calendrier de l'établissement"))

# --- Grades ----------------------------------------------------------------------------------
VIEW_GRADES = "vie_scolaire.view_grades"
# On a teaching assignment or an assessment: its teacher only (the rule below).
ENTER_GRADES = "vie_scolaire.enter_grades"

# --- Report cards ----------------------------------------------------------------------------
# On a division: the direction, and the division's head teacher (professeur principal).
WRITE_COUNCIL = "vie_scolaire.write_council"
GENERATE_REPORT_CARDS = "vie_scolaire.generate_report_cards"
MANAGE_COEFFICIENTS = "vie_scolaire.manage_coefficients"

# --- Attendance ------------------------------------------------------------------------------
# On a lesson: its teachers and its replacement on the day, the office at any time (rules.py).
TAKE_ROLL_CALL = "vie_scolaire.take_roll_call"

# Every profile reads attendance: students their own, parents their children's (the relationship is
# `annuaire.selectors.access_student`), the office and the direction anyone's of the school.
VIEW_ATTENDANCE = "vie_scolaire.view_attendance"
# The office's desk: absences from/to, justifications accepted or refused, histories, statistics,
# the legal count of unjustified half-days.
MANAGE_ATTENDANCE = "vie_scolaire.manage_attendance"
# On a student's membership (rules.py): a legal representative who follows the student justifies
# their absences and declares future ones; so does an adult student, for their own.
JUSTIFY_ABSENCES = "vie_scolaire.justify_absences"
# On one's own membership (rules.py): an adult student keeps their attendance from their parents,
# when the school's rules allow it.
WITHHOLD_ATTENDANCE = "vie_scolaire.withhold_attendance"
# The school's attendance rules: when the roll call opens, when families hear of an absence, whether an
# adult student may keep their attendance from their parents (the school's internal rules decide).
SET_ATTENDANCE_RULES = "vie_scolaire.set_attendance_rules"
delegable(SET_ATTENDANCE_RULES, _("Fixer les règles de la vie scolaire (appel, avis aux familles, élèves majeurs)"))

# --- Who holds what --------------------------------------------------------------------------
roles.grant_table({
    roles.EVERY_PROFILE: [VIEW_TIMETABLE, VIEW_GRADES, VIEW_ATTENDANCE],
    Profile.STUDENT: [JUSTIFY_ABSENCES, WITHHOLD_ATTENDANCE],
    Profile.PARENT: [JUSTIFY_ABSENCES],
    Profile.TEACHER: [VIEW_ROOMS, ENTER_GRADES, WRITE_COUNCIL, TAKE_ROLL_CALL],
    Profile.STAFF: [VIEW_ROOMS, VIEW_STAFF_TIMETABLES, CHANGE_LESSONS, TAKE_ROLL_CALL, MANAGE_ATTENDANCE],
    Profile.DIRECTION: [
        VIEW_ROOMS, VIEW_STAFF_TIMETABLES, CHANGE_LESSONS, MANAGE_CALENDAR, IMPORT_TIMETABLE,
        WRITE_COUNCIL, GENERATE_REPORT_CARDS, MANAGE_COEFFICIENTS,
        TAKE_ROLL_CALL, MANAGE_ATTENDANCE, SET_ATTENDANCE_RULES,
    ],
    roles.CITY: [MANAGE_ZONE_HOLIDAYS],
})  # fmt: skip
