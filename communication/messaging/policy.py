"""The school's communication policy: who may write to whom, and why not.

A policy is a matrix (sender's profile -> recipient's profile -> reach), stored as data
(`PolicyRule` rows, only where the school departs from the safe defaults below), with the
per-profile sending limits and the school's switches. One function, `addressable`, answers
"whom may this person write to?" as a queryset, so a list of choices and the check of one
recipient never disagree; `explain` answers "why (not)?" by naming the rule.

Reach "within the division" links people through divisions and groups:
- a student: their division and groups; a parent: their children's; a teacher: those they teach;
- staff and direction serve every division: for them it is the whole school;
- on the recipient's side, staff "of the division" is the vie scolaire office (staff whose
  directory functions name it: CPE, education, assistants), and the direction is the direction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from annuaire.models import Division, GroupMembership, Guardianship, Membership, Profile, TeachingAssignment
from annuaire.selectors import profiles_in
from communication.messaging.models import MessagingSettings, PolicyRule, Reach, SendingLimit
from schools.models import School

P = Profile
# The profiles in the order the matrix shows them.
PROFILES: tuple[str, ...] = (P.STUDENT, P.PARENT, P.TEACHER, P.STAFF, P.DIRECTION)
STAFF_SIDE = frozenset({P.TEACHER, P.STAFF, P.DIRECTION})
FAMILY_SIDE = frozenset({P.STUDENT, P.PARENT})

# The safe defaults (issue 8): students write to the teachers and the vie scolaire of their divisions,
# to classmates only if the school allows it; parents to their children's teachers, the vie scolaire
# office and the direction; teachers, staff and direction to everyone of the school.
DEFAULT_REACH: dict[tuple[str, str], str] = {
    (P.STUDENT, P.STUDENT): Reach.NOBODY,
    (P.STUDENT, P.PARENT): Reach.NOBODY,
    (P.STUDENT, P.TEACHER): Reach.DIVISION,
    (P.STUDENT, P.STAFF): Reach.DIVISION,
    (P.STUDENT, P.DIRECTION): Reach.NOBODY,
    (P.PARENT, P.STUDENT): Reach.NOBODY,
    (P.PARENT, P.PARENT): Reach.NOBODY,
    (P.PARENT, P.TEACHER): Reach.DIVISION,
    (P.PARENT, P.STAFF): Reach.DIVISION,
    (P.PARENT, P.DIRECTION): Reach.SCHOOL,
    **{(sender, recipient): Reach.SCHOOL for sender in STAFF_SIDE for recipient in PROFILES},
}


@dataclass(frozen=True)
class Limits:
    max_recipients: int
    max_per_minute: int


# Hijacked student accounts sent threats to every mailbox (March 2024): students and parents get
# tight limits, the school's team enough for a division's families.
DEFAULT_LIMITS: dict[str, Limits] = {
    P.STUDENT: Limits(max_recipients=30, max_per_minute=5),
    P.PARENT: Limits(max_recipients=10, max_per_minute=5),
    P.TEACHER: Limits(max_recipients=300, max_per_minute=20),
    P.STAFF: Limits(max_recipients=2000, max_per_minute=20),
    P.DIRECTION: Limits(max_recipients=5000, max_per_minute=30),
}

# Words of the directory's functions that name the vie scolaire office (ENTPersonFonctions labels).
VIE_SCOLAIRE_WORDS = ("CPE", "EDUCATION", "ÉDUCATION", "VIE SCOLAIRE", "AED")


@dataclass
class Policy:
    """One school's policy as read once per request or sending (three queries)."""

    school: School
    reach: dict[tuple[str, str], str]
    limits: dict[str, Limits]
    settings: MessagingSettings

    def reach_of(self, sender_profile: str, recipient_profile: str) -> str:
        return self.reach.get((sender_profile, recipient_profile), Reach.NOBODY)

    def limits_for(self, profiles: set[str]) -> Limits:
        """The most generous limits among the person's profiles (a teacher who is also a parent)."""
        known = [self.limits[profile] for profile in profiles if profile in self.limits] or [self.limits[P.STUDENT]]
        return Limits(max(x.max_recipients for x in known), max(x.max_per_minute for x in known))

    def suspended_profiles(self) -> set[str]:
        suspended: set[str] = set()
        if self.settings.students_suspended:
            suspended.add(P.STUDENT)
        if self.settings.parents_suspended:
            suspended.add(P.PARENT)
        return suspended

    def is_suspended(self, profiles: set[str]) -> bool:
        """Sending stops for a suspended profile, unless the person also works in the school."""
        return bool(profiles & self.suspended_profiles()) and not profiles & STAFF_SIDE


def load_policy(school: School) -> Policy:
    reach = dict(DEFAULT_REACH)
    for rule in PolicyRule.objects.filter(school=school):
        reach[(rule.sender_profile, rule.recipient_profile)] = rule.reach
    limits = dict(DEFAULT_LIMITS)
    for row in SendingLimit.objects.filter(school=school):
        limits[row.profile] = Limits(row.max_recipients, row.max_per_minute)
    found = MessagingSettings.objects.filter(school=school).first() or MessagingSettings(school=school)
    return Policy(school=school, reach=reach, limits=limits, settings=found)


# --- who is "in the division" of whom ------------------------------------------------------------


@dataclass(frozen=True)
class Anchors:
    """The divisions and groups (subqueries) through which a sender is linked to others, and their children."""

    divisions: Any
    groups: Any
    children: Any = None


def _anchors(user: Any, school: School, profile: str) -> Anchors | None:
    """None for staff and direction: they serve every division."""
    if profile == P.STUDENT:
        own = Membership.objects.filter(school=school, user=user, profile=P.STUDENT, active=True)
        groups = GroupMembership.objects.filter(school=school, membership__in=own).values("group")
        return Anchors(divisions=own.exclude(division=None).values("division"), groups=groups)
    if profile == P.PARENT:
        children = Guardianship.objects.filter(school=school, guardian=user).values("student")
        memberships = Membership.objects.filter(school=school, user__in=children, profile=P.STUDENT, active=True)
        groups = GroupMembership.objects.filter(school=school, membership__in=memberships).values("group")
        return Anchors(
            divisions=memberships.exclude(division=None).values("division"), groups=groups, children=children
        )
    if profile == P.TEACHER:
        taught = TeachingAssignment.objects.filter(school=school, teacher=user)
        return Anchors(
            divisions=taught.exclude(division=None).values("division"),
            groups=taught.exclude(group=None).values("group"),
        )
    return None


def vie_scolaire_condition() -> Q:
    condition = Q(pk__in=[])
    for word in VIE_SCOLAIRE_WORDS:
        condition |= Q(functions__icontains=word)
    return Q(profile=P.STAFF) & condition


def _related(school: School, anchors: Anchors | None, recipient_profile: str) -> Q:
    """The recipients of one profile "in the division" of a sender anchored there."""
    if anchors is None or recipient_profile == P.DIRECTION:
        return Q(profile=recipient_profile)
    if recipient_profile == P.STAFF:
        return vie_scolaire_condition()
    if recipient_profile == P.TEACHER:
        assignments = TeachingAssignment.objects.filter(school=school).filter(
            Q(division__in=anchors.divisions) | Q(group__in=anchors.groups)
        )
        return Q(profile=P.TEACHER, user__in=assignments.values("teacher"))
    students = Membership.objects.filter(school=school, profile=P.STUDENT, active=True).filter(
        Q(division__in=anchors.divisions) | Q(groups__in=anchors.groups)
    )
    if recipient_profile == P.STUDENT:
        # A parent's "division" reach to students is their own children only.
        if anchors.children is not None:
            return Q(profile=P.STUDENT, user__in=anchors.children)
        return Q(profile=P.STUDENT, pk__in=students.values("pk"))
    guardians = Guardianship.objects.filter(school=school, student__in=students.values("user"))
    return Q(profile=P.PARENT, user__in=guardians.values("guardian"))


def rule_condition(user: Any, school: School, sender_profile: str, recipient_profile: str, reach: str) -> Q | None:
    """The recipients one cell of the matrix lets this sender address (None: nobody)."""
    if reach == Reach.SCHOOL:
        return Q(profile=recipient_profile)
    if reach == Reach.DIVISION:
        return _related(school, _anchors(user, school, sender_profile), recipient_profile)
    return None


def addressable(user: Any, school: School, policy: Policy) -> QuerySet[Membership]:
    """The active memberships of the school this user may write to (themselves excluded)."""
    condition = Q(pk__in=[])
    for sender_profile in profiles_in(user, school):
        for recipient_profile in PROFILES:
            reach = policy.reach_of(sender_profile, recipient_profile)
            found = rule_condition(user, school, sender_profile, recipient_profile, reach)
            if found is not None:
                condition |= found
    return (
        Membership.objects.filter(school=school, active=True, user__is_active=True).filter(condition).exclude(user=user)
    )


# --- why (not) ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str


def rule_name(sender_profile: str, recipient_profile: str) -> str:
    return _("« %(sender)s → %(recipient)s »") % {
        "sender": P(sender_profile).label,
        "recipient": P(recipient_profile).label,
    }


def explain(user: Any, school: School, recipient: Any, policy: Policy) -> Verdict:
    """May `user` write to `recipient` in this school, and which rule says so."""
    sender_profiles = profiles_in(user, school)
    if policy.is_suspended(sender_profiles):
        return Verdict(False, _("L'envoi de messages est suspendu pour votre profil dans l'établissement."))
    if recipient.pk == user.pk:
        return Verdict(False, _("Vous ne pouvez pas vous écrire à vous-même."))
    memberships = list(
        Membership.objects.filter(school=school, user=recipient, active=True, user__is_active=True).values_list(
            "pk", "profile"
        )
    )
    if not memberships:
        return Verdict(False, _("Cette personne n'a pas de compte actif dans l'établissement."))
    refusals = []
    for sender_profile in sorted(sender_profiles):
        for pk, recipient_profile in memberships:
            verdict = _cell_verdict(user, school, policy, sender_profile, recipient_profile, pk, recipient)
            if verdict.allowed:
                return verdict
            refusals.append(verdict.reason)
    return Verdict(False, " ".join(refusals))


def _cell_verdict(
    user: Any, school: School, policy: Policy, sender_profile: str, recipient_profile: str, pk: int, recipient: Any
) -> Verdict:
    rule = rule_name(sender_profile, recipient_profile)
    reach = policy.reach_of(sender_profile, recipient_profile)
    if reach == Reach.NOBODY:
        return Verdict(False, _("La règle %(rule)s de l'établissement ne permet d'écrire à personne.") % {"rule": rule})
    if reach == Reach.SCHOOL:
        return Verdict(True, _("La règle %(rule)s permet d'écrire dans tout l'établissement.") % {"rule": rule})
    condition = rule_condition(user, school, sender_profile, recipient_profile, reach)
    if condition is not None and Membership.objects.filter(school=school, pk=pk).filter(condition).exists():
        return Verdict(
            True, _("La règle %(rule)s permet d'écrire dans la division, et vous y êtes liés.") % {"rule": rule}
        )
    return Verdict(
        False,
        _("La règle %(rule)s ne permet d'écrire que dans la division, et %(name)s n'y est pas lié(e) à vous.")
        % {"rule": rule, "name": recipient.get_full_name()},
    )


def division_choices(user: Any, school: School) -> QuerySet[Division]:
    """The divisions whose groups of people (students, parents, teachers) this user may pick from."""
    profiles = profiles_in(user, school)
    base = Division.objects.filter(school=school)
    if profiles & {P.STAFF, P.DIRECTION}:
        return base.order_by("name")
    condition = Q(pk__in=[])
    for profile in profiles & {P.TEACHER, P.PARENT, P.STUDENT}:
        anchors = _anchors(user, school, profile)
        if anchors is not None:
            condition |= Q(pk__in=anchors.divisions) | Q(groups__in=anchors.groups)
    return base.filter(condition).distinct().order_by("name")
