"""Timetable imports: STS-Web, Index Éducation (EDT / PRONOTE) and UnDeuxTemps (UDT) files."""
