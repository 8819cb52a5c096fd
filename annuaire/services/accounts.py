"""A head's actions on one account of their school: deactivate, reactivate, reset the password,
edit the contact details, create a local account for someone outside the rectorat's directory.

Hand edits survive imports: the importer writes e-mail and phone only while they still equal
what the directory last said (`directory_email`, `directory_phone`), and never ends a
membership created here (`from_directory=False`).

Every function takes keyword arguments, runs in one transaction, and refuses bad requests
with a `ValidationError` whose message is in French (nothing is changed then). Callers run
inside the school's scope (the request's, or `school_scope` in a task).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from annuaire.logins import allocate_login, login_base
from annuaire.models import Membership, Profile, User
from annuaire.selectors import forget_cached_rights, profiles_in
from annuaire.services.activation import IssuedCode, issue_activation_codes
from schools.models import School
from schools.tenancy import cross_school


@dataclass(frozen=True)
class ActivationLetter:
    """What a printed activation letter carries; `code` is clear here and nowhere else."""

    school: School
    user: User
    code: str
    expires_at: datetime


def _check_may_act(*, membership: Membership, actor: User, own_account_message: str) -> None:
    if membership.user_id == actor.pk:
        raise ValidationError(own_account_message)
    school = membership.school
    target_is_head = Membership.objects.filter(school=school, user_id=membership.user_id, profile=Profile.DIRECTION)
    actor_is_head = Profile.DIRECTION in profiles_in(actor, school) or actor.is_city_admin
    if not actor_is_head and target_is_head.exists():
        # A delegate must not take over or lock out the head who delegated to them.
        raise ValidationError(_("Seule la direction peut agir sur le compte d'un membre de la direction."))


def _locked_user(*, membership: Membership, actor: User, own_account_message: str) -> User:
    """The person's account, locked for the change, once the actor is known to be allowed to make it."""
    _check_may_act(membership=membership, actor=actor, own_account_message=own_account_message)
    return User.objects.select_for_update().get(pk=membership.user_id)


def _memberships_here(membership: Membership) -> list[Membership]:
    return list(
        Membership.objects.select_for_update().filter(school_id=membership.school_id, user_id=membership.user_id)
    )


@transaction.atomic
def deactivate_account(*, membership: Membership, deactivated_by: User) -> int:
    """End the person's memberships in this school; with none left anywhere, the account itself.

    Returns the number of memberships deactivated.
    """
    user = _locked_user(
        membership=membership,
        actor=deactivated_by,
        own_account_message=_("Vous ne pouvez pas désactiver votre propre compte."),
    )
    active = [m for m in _memberships_here(membership) if m.active]
    if not active:
        raise ValidationError(_("Ce compte est déjà désactivé dans l'établissement."))
    now = timezone.now()
    Membership.objects.filter(pk__in=[m.pk for m in active]).update(active=False, ended_at=now)
    # Cross-school by nature: does the person still belong to another school?
    with cross_school():
        elsewhere = Membership.unscoped.filter(user=user, active=True).exists()
    if not elsewhere and user.is_active and not user.is_city_admin:
        user.is_active = False
        user.save(update_fields=["is_active"])
    forget_cached_rights(membership.user)
    return len(active)


@transaction.atomic
def reactivate_account(*, membership: Membership, reactivated_by: User) -> int:
    """Give the person back their memberships in this school (and their account). Returns how many."""
    user = _locked_user(
        membership=membership,
        actor=reactivated_by,
        own_account_message=_("Vous ne pouvez pas réactiver votre propre compte."),
    )
    inactive = [m for m in _memberships_here(membership) if not m.active]
    if not inactive and user.is_active:
        raise ValidationError(_("Ce compte est déjà actif dans l'établissement."))
    Membership.objects.filter(pk__in=[m.pk for m in inactive]).update(active=True, ended_at=None)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    forget_cached_rights(membership.user)
    return len(inactive)


@transaction.atomic
def reset_password(*, membership: Membership, reset_by: User) -> ActivationLetter:
    """Make the old password unusable and issue a new activation code for a printed letter.

    The person goes through activation again (code, new password); open sessions end,
    since they are tied to the old password.
    """
    user = _locked_user(
        membership=membership,
        actor=reset_by,
        own_account_message=_("Pour changer votre propre mot de passe, passez par « Mot de passe oublié »."),
    )
    if (
        not user.is_active
        or not Membership.objects.filter(school_id=membership.school_id, user_id=user.pk, active=True).exists()
    ):
        raise ValidationError(_("Ce compte est désactivé : réactivez-le avant de lui donner un nouveau code."))
    user.set_unusable_password()
    # `activated_at` keeps the first activation (the city's activation figures count it).
    user.save(update_fields=["password"])
    return letters_for(school=membership.school, issued=issue_activation_codes(users=[user]))[0]


def letters_for(*, school: School, issued: Iterable[IssuedCode]) -> list[ActivationLetter]:
    """The letters printing codes just issued (`issue_activation_codes`) in `school`."""
    return [
        ActivationLetter(school=school, user=item.user, code=item.code, expires_at=item.expires_at) for item in issued
    ]


# --- Contact details (hand edits that survive imports) -----------------------------------

# Separators people type inside a phone number.
_PHONE_SEPARATORS = re.compile(r"[\s.\-/()]")
_FRENCH_PHONE = re.compile(r"0[1-9][0-9]{8}")
_INTERNATIONAL_PHONE = re.compile(r"\+[1-9][0-9]{6,14}")
PHONE_MAX_LENGTH = User._meta.get_field("phone").max_length or 30
EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length or 254


def normalize_phone(value: str) -> str:
    """A French (`06 12 34 56 78`) or international (`+33 6 12 34 56 78`, `0044 20...`) number,
    without its separators; empty stays empty. Raises a `ValidationError` in French otherwise."""
    compact = _PHONE_SEPARATORS.sub("", value.strip())
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+330"):  # "+33 (0)6..." written with the national zero
        compact = "+33" + compact[4:]
    if not compact or _FRENCH_PHONE.fullmatch(compact) or _INTERNATIONAL_PHONE.fullmatch(compact):
        return compact
    raise ValidationError(
        _(
            "Saisissez un numéro de téléphone français (10 chiffres, par exemple 06 12 34 56 78) "
            "ou international (par exemple +33 6 12 34 56 78)."
        ),
        code="invalid_phone",
    )


def normalize_email(value: str) -> str:
    """A real e-mail address (domain in lower case), or empty. Raises a `ValidationError` in French."""
    email = value.strip()
    if not email:
        return ""
    message = _("Saisissez une adresse électronique valide, par exemple prenom.nom@example.org.")
    if len(email) > EMAIL_MAX_LENGTH:
        raise ValidationError(message, code="invalid_email")
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(message, code="invalid_email") from None
    local, _at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def contact_edit_refusal(*, membership: Membership, actor: User) -> str | None:
    """Why `actor` may not edit this person's contact details here, in French; None when they may."""
    try:
        _check_may_act(
            membership=membership,
            actor=actor,
            own_account_message=_("Vos propres coordonnées ne se modifient pas depuis cette page."),
        )
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def _normalized_contact(*, email: str, phone: str, errors: dict[str, ValidationError]) -> tuple[str, str]:
    """The e-mail and phone as they are stored; one that does not parse is put in `errors` under its field."""
    try:
        email = normalize_email(email)
    except ValidationError as error:
        errors["email"] = error
    try:
        phone = normalize_phone(phone)
    except ValidationError as error:
        errors["phone"] = error
    return email, phone


@transaction.atomic
def update_contact_details(*, membership: Membership, email: str, phone: str, edited_by: User) -> User:
    """Set the person's e-mail and phone by hand. Returns the user.

    A value that differs from the directory's is kept by later imports; the directory's own
    value (or `revert_contact_details`) lets imports update it again.
    """
    user = _locked_user(
        membership=membership,
        actor=edited_by,
        own_account_message=_("Vos propres coordonnées ne se modifient pas depuis cette page."),
    )
    errors: dict[str, ValidationError] = {}
    email, phone = _normalized_contact(email=email, phone=phone, errors=errors)
    if errors:
        raise ValidationError(errors)
    if (user.email, user.phone) != (email, phone):
        user.email, user.phone = email, phone
        user.save(update_fields=["email", "phone"])
    return user


@transaction.atomic
def revert_contact_details(*, membership: Membership, reverted_by: User) -> User:
    """Give the person back the directory's e-mail and phone, so later imports update them again."""
    user = _locked_user(
        membership=membership,
        actor=reverted_by,
        own_account_message=_("Vos propres coordonnées ne se modifient pas depuis cette page."),
    )
    if not user.external_id:
        raise ValidationError(
            _("Ce compte a été créé dans l'établissement : l'annuaire académique ne connaît pas ses coordonnées.")
        )
    if (user.email, user.phone) == (user.directory_email, user.directory_phone):
        raise ValidationError(_("Ces coordonnées sont déjà celles de l'annuaire académique."))
    user.email, user.phone = user.directory_email, user.directory_phone
    user.save(update_fields=["email", "phone"])
    return user


# --- Local accounts (people outside the rectorat's directory) ---------------------------

LOCAL_PROFILES = (Profile.TEACHER, Profile.STAFF)
NAME_MAX_LENGTH = User._meta.get_field("last_name").max_length or 150


def split_functions(text: str) -> list[str]:
    """`Intervenant théâtre ; Service civique` -> two labels, as the directory stores functions."""
    return [label for label in (part.strip() for part in re.split(r"[;,\n]", text)) if label][:10]


@transaction.atomic
def create_local_account(
    *,
    school: School,
    first_name: str,
    last_name: str,
    profile: str,
    functions: str | list[str],
    email: str,
    phone: str,
    created_by: User,
) -> tuple[Membership, ActivationLetter]:
    """An account for someone the rectorat's directory does not list (an outside speaker, a
    volunteer, a city employee): a new user with a `prenom.nom` login and an activation code,
    and a membership no import ever ends. Returns it with the letter to print."""
    first_name, last_name = " ".join(first_name.split()), " ".join(last_name.split())
    errors: dict[str, ValidationError] = {}
    if not first_name:
        errors["first_name"] = ValidationError(_("Saisissez le prénom."))
    elif len(first_name) > NAME_MAX_LENGTH:
        errors["first_name"] = ValidationError(_("Le prénom est trop long (150 caractères au plus)."))
    if not last_name:
        errors["last_name"] = ValidationError(_("Saisissez le nom."))
    elif len(last_name) > NAME_MAX_LENGTH:
        errors["last_name"] = ValidationError(_("Le nom est trop long (150 caractères au plus)."))
    if profile not in LOCAL_PROFILES:
        errors["profile"] = ValidationError(_("Un compte local est celui d'un enseignant ou d'un membre du personnel."))
    email, phone = _normalized_contact(email=email, phone=phone, errors=errors)
    if errors:
        raise ValidationError(errors)
    labels = split_functions(functions) if isinstance(functions, str) else [f.strip() for f in functions if f.strip()]
    # Serialise the creations of one school, so two clicks cannot make the same person twice.
    School.objects.select_for_update().filter(pk=school.pk).first()
    twin = Membership.objects.filter(
        school=school,
        active=True,
        user__is_active=True,
        user__first_name__iexact=first_name,
        user__last_name__iexact=last_name,
    ).exists()
    if twin:
        raise ValidationError(
            _(
                "%(first)s %(last)s a déjà un compte actif dans l'établissement : "
                "cherchez-le dans la liste des comptes plutôt que d'en créer un second."
            )
            % {"first": first_name, "last": last_name}
        )
    base = login_base(first_name, last_name)
    taken = set(User.objects.filter(username__startswith=base).values_list("username", flat=True))
    user = User.objects.create(
        username=allocate_login(base, taken),
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        password=make_password(None),
    )
    membership = Membership.objects.create(
        school=school, user=user, profile=profile, functions=labels, active=True, from_directory=False
    )
    letter = letters_for(school=school, issued=issue_activation_codes(users=[user]))[0]
    return membership, letter
