"""The models of vie scolaire: the calendar and the timetable, then grades."""

from vie_scolaire.models.grades import Assessment, Grade, GradeCode, SubjectCoefficient
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
    "Assessment",
    "CalendarFeed",
    "DaySpan",
    "Grade",
    "GradeCode",
    "Holiday",
    "Lesson",
    "Period",
    "Room",
    "SchoolCalendar",
    "SubjectCoefficient",
    "TimeSlot",
    "WeekKind",
    "WeekOverride",
    "WeekPattern",
    "WeeklyLesson",
    "WeeklyLessonDivision",
    "WeeklyLessonGroup",
    "WeeklyLessonTeacher",
]
