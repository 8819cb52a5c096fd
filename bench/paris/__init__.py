"""The Paris-scale world of the Monday 8:00 load test: `python -m bench.paris.seed` (see `seed.py`).

96 establishments imported by the real AAF importer from the benchmark's generated export, every
account activated with one password, then the current term as the portal's bulk paths write it:
timetables (`term.py`), grades, roll calls and absences, the homework book, announcements and messages
(`communication.py`).
"""
