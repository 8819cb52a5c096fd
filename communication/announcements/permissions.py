"""The announcements' rights.

Everyone of a school reads the announcements addressed to them; the direction writes, approves and
sets whether approval is needed, and may delegate writing (a CPE, a secretary) or approving (a deputy)
to one person.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from annuaire import roles
from annuaire.models import Profile
from schools.permissions import delegable

VIEW_ANNOUNCEMENTS = "communication.view_announcements"
WRITE_ANNOUNCEMENTS = "communication.write_announcements"
# Publish without waiting, approve the others' announcements, and choose whether approval is needed.
APPROVE_ANNOUNCEMENTS = "communication.approve_announcements"

roles.grant_table({
    roles.EVERY_PROFILE: [VIEW_ANNOUNCEMENTS],
    Profile.DIRECTION: [WRITE_ANNOUNCEMENTS, APPROVE_ANNOUNCEMENTS],
})  # fmt: skip
delegable(WRITE_ANNOUNCEMENTS, _("Écrire les actualités de l'établissement"))
delegable(APPROVE_ANNOUNCEMENTS, _("Valider les actualités de l'établissement"))
