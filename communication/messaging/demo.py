"""The demo schools' messaging (a `seed_demo` step): in each school of the demo family, the parent asks a
teacher of the child about homework and the teacher answers, and a teacher writes to the parents of the
child's division (one copy per family). Written through the services, so the policy and limits hold."""

from __future__ import annotations

from collections import defaultdict

from annuaire.models import Membership, Profile, TeachingAssignment, User
from annuaire.services.demo import DEMO_PARENT, DemoWorld, register_demo_step
from communication.messaging.models import Conversation, Participant
from communication.messaging.services.sending import reply, send_message
from schools.models import School
from schools.tenancy import school_scope


def _letter(author: User, greeting: str, words: str, closing: str = "Cordialement") -> str:
    """A demo message's body: the greeting, the words, the closing and the author's name."""
    return f"{greeting}\n\n{words}\n\n{closing},\n{author.first_name} {author.last_name}"


def _family_conversation(school: School, parent: User, child: Membership, teacher: User) -> int:
    name = child.user.first_name
    question = (
        f"{name} n'a pas bien compris l'exercice donné pour la semaine prochaine. "
        "Pourriez-vous lui indiquer la page du manuel ?"
    )
    body = _letter(parent, "Bonjour,", question, closing="Bien cordialement")
    conversation = send_message(
        school=school, sender=parent, recipients=[f"user:{teacher.pk}"], subject=f"Devoirs de {name}", body=body
    )[0]
    participant = Participant.objects.get(school=school, conversation=conversation, user=teacher)
    answer = "C'est l'exercice 4 page 52. Je le reprendrai en classe au début de la prochaine séance."
    reply(school=school, sender=teacher, participant=participant, body=_letter(teacher, "Bonjour,", answer))
    return 1


def _division_letter(school: School, child: Membership, teacher: User) -> int:
    outing = (
        "La classe visitera le musée des Arts et Métiers jeudi prochain, de 9 h à 12 h. "
        "Merci de signer l'autorisation jointe au carnet de liaison."
    )
    copies = send_message(
        school=school,
        sender=teacher,
        recipients=[f"division_parents:{child.division_id}"],
        subject=f"Sortie au musée de la classe de {child.division}",
        body=_letter(teacher, "Madame, Monsieur,", outing),
    )
    return len(copies)


@register_demo_step(name="messagerie", order=60)
def seed_messaging(world: DemoWorld) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    parent = User.objects.filter(username=DEMO_PARENT.username).first()
    if parent is None:
        return {}
    for school in world.schools.values():
        with school_scope(school):
            if Conversation.objects.filter(school=school).exists():
                continue
            children = Membership.objects.filter(
                school=school, profile=Profile.STUDENT, user__guardians_links__guardian=parent, division__isnull=False
            ).select_related("user", "division")
            for child in children[:1]:
                teachers = list(
                    TeachingAssignment.objects.filter(school=school, division=child.division)
                    .select_related("teacher")
                    .order_by("subject__name")[:2]
                )
                if not teachers:
                    continue
                counts["conversations"] += _family_conversation(school, parent, child, teachers[0].teacher)
                counts["copies of a letter to a division's parents"] += _division_letter(
                    school, child, teachers[-1].teacher
                )
    return dict(counts)
