"""Vie scolaire: periods, timetable, grades, skills, report cards, roll call, absences."""
