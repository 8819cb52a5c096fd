"""Messaging's rights.

Everyone of a school uses the messaging (whom they may write to is the policy's business,
`communication.messaging.policy`); the direction sets the school's rules, reads the reports and may
address a whole profile of the school, and may delegate the last two; the suspension switch is the
direction's and the city admin's (it stops sending at once, it shows no message).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from annuaire import roles
from annuaire.models import Profile
from schools.permissions import delegable

USE_MESSAGING = "communication.use_messaging"
# Addressing every student, parent, teacher or staff member of the school in one sending.
ADDRESS_WHOLE_SCHOOL = "communication.address_whole_school"
# The policy matrix, the sending limits and the parents' reading option.
MANAGE_MESSAGING = "communication.manage_messaging"
SUSPEND_MESSAGING = "communication.suspend_messaging"
# The reports of messages and the moderation log.
MODERATE_MESSAGES = "communication.moderate_messages"

roles.grant_table({
    roles.EVERY_PROFILE: [USE_MESSAGING],
    Profile.DIRECTION: [ADDRESS_WHOLE_SCHOOL, MANAGE_MESSAGING, SUSPEND_MESSAGING, MODERATE_MESSAGES],
    roles.CITY: [SUSPEND_MESSAGING],
})  # fmt: skip
delegable(ADDRESS_WHOLE_SCHOOL, _("Écrire à tout un profil de l'établissement (messagerie)"))
delegable(MODERATE_MESSAGES, _("Traiter les signalements de la messagerie"))
