"""The models of vie scolaire: the calendar and the timetable, attendance, grades, skills, report cards."""

from vie_scolaire.models.attendance import Absence, AbsenceReason, EarlyDeparture, Justification, Lateness, RollCall
from vie_scolaire.models.grades import Assessment, Grade, GradeCode, SubjectCoefficient
from vie_scolaire.models.report_cards import CouncilDecision, ReportCard, ReportCardRun, SubjectComment
from vie_scolaire.models.skills import CyclePositioning, SkillEvaluation, SkillLevel, SocleComponent
from vie_scolaire.models.timetable import (
    CalendarFeed,
    DaySpan,
    Holiday,
    Lesson,
    Period,
    Room,
    SchoolCalendar,
    TimeSlot,
    WeekKind,
    WeeklyLesson,
    WeeklyLessonDivision,
    WeeklyLessonGroup,
    WeeklyLessonTeacher,
    WeekOverride,
    WeekPattern,
)

__all__ = [
    "Absence",
    "AbsenceReason",
    "Assessment",
    "CalendarFeed",
    "CouncilDecision",
    "CyclePositioning",
    "DaySpan",
    "EarlyDeparture",
    "Grade",
    "GradeCode",
    "Holiday",
    "Justification",
    "Lateness",
    "Lesson",
    "Period",
    "ReportCard",
    "ReportCardRun",
    "RollCall",
    "Room",
    "SchoolCalendar",
    "SkillEvaluation",
    "SkillLevel",
    "SocleComponent",
    "SubjectCoefficient",
    "SubjectComment",
    "TimeSlot",
    "WeekKind",
    "WeekOverride",
    "WeekPattern",
    "WeeklyLesson",
    "WeeklyLessonDivision",
    "WeeklyLessonGroup",
    "WeeklyLessonTeacher",
]
