"""The models of vie scolaire: the calendar and the timetable, attendance, grades, skills, report cards."""

from vie_scolaire.calendar.models import DaySpan, Holiday, Period, SchoolCalendar, WeekKind, WeekOverride
from vie_scolaire.models.attendance import (
    Absence,
    AbsenceReason,
    AttendanceSettings,
    AttendanceWithholding,
    EarlyDeparture,
    Justification,
    Lateness,
    RollCall,
)
from vie_scolaire.models.grades import Assessment, Grade, GradeCode, SubjectCoefficient
from vie_scolaire.models.report_cards import CouncilDecision, ReportCard, ReportCardRun, SubjectComment
from vie_scolaire.models.skills import CyclePositioning, SkillEvaluation, SkillLevel, SocleComponent
from vie_scolaire.timetable.models import (
    CalendarFeed,
    Lesson,
    Room,
    TimeSlot,
    WeeklyLesson,
    WeeklyLessonDivision,
    WeeklyLessonGroup,
    WeeklyLessonTeacher,
    WeekPattern,
)

__all__ = [
    "Absence",
    "AbsenceReason",
    "Assessment",
    "AttendanceSettings",
    "AttendanceWithholding",
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
