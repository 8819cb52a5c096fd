"""The homework book's rights (circulaire n° 2010-136).

Students and parents read the book of their own divisions and groups; a teacher writes in their
own lessons (and the replacement in the lessons they take) and reads their colleagues' for the
divisions they teach; the direction reads every book of the school and countersigns it (visa), and
may delegate either right to one person (an inspector's account reads every book of one school).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from annuaire import roles
from annuaire.models import Profile
from schools.permissions import delegable

VIEW_BOOK = "cahier_textes.view_book"
# On a lesson: its teachers and its replacement (rules.py).
WRITE_BOOK = "cahier_textes.write_book"
# Every teacher's book of the school, whatever the division.
READ_ALL_BOOKS = "cahier_textes.read_all_books"
SIGN_VISA = "cahier_textes.sign_visa"
# A student ticks their own homework as done.
TICK_HOMEWORK = "cahier_textes.tick_homework"

roles.grant_table({
    roles.EVERY_PROFILE: [VIEW_BOOK],
    Profile.TEACHER: [WRITE_BOOK],
    Profile.STUDENT: [TICK_HOMEWORK],
    Profile.DIRECTION: [READ_ALL_BOOKS, SIGN_VISA],
})  # fmt: skip
# The head may hand them to one person (a deputy, or an inspector's local account).
delegable(READ_ALL_BOOKS, _("Lire tous les cahiers de textes"))
delegable(SIGN_VISA, _("Viser les cahiers de textes"))
