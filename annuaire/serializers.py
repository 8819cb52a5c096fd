"""Serializers of the directory's API (read-only)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from annuaire.models import Division, Membership, Profile, TeachingAssignment, User
from annuaire.selectors.admin import AccountState
from schools.models import School


class PersonSerializer(serializers.ModelSerializer):
    """A person as others see them: names only."""

    full_name = serializers.CharField(source="get_full_name", read_only=True, help_text=_("NOM Prénom"))

    class Meta:
        model = User
        fields = ["id", "first_name", "last_name", "full_name"]
        read_only_fields = fields


# -- /api/v1/me/ ---------------------------------------------------------------------------


class MySchoolSerializer(serializers.Serializer):
    uai = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=School.Kind.choices)
    profiles = serializers.ListField(
        child=serializers.ChoiceField(choices=Profile.choices), help_text=_("Profils actifs dans l'établissement.")
    )
    children = PersonSerializer(many=True, help_text=_("Pour un responsable légal : ses enfants dans l'établissement."))


class MeSerializer(serializers.ModelSerializer):
    """The signed-in user; `context["schools"]` holds their schools, built from the selectors."""

    identifier = serializers.CharField(source="username", read_only=True, help_text=_("Identifiant de connexion."))
    full_name = serializers.CharField(source="get_full_name", read_only=True)
    schools = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "identifier", "first_name", "last_name", "full_name", "is_city_admin", "schools"]
        read_only_fields = fields

    @extend_schema_field(MySchoolSerializer(many=True))
    def get_schools(self, user: User) -> list[dict[str, Any]]:
        return list(MySchoolSerializer(self.context["schools"], many=True).data)


# -- divisions -----------------------------------------------------------------------------


class DivisionSerializer(serializers.ModelSerializer):
    level = serializers.CharField(source="mef.label", default=None, allow_null=True, help_text=_("Niveau (MEF)."))

    class Meta:
        model = Division
        fields = ["id", "code", "name", "level", "school_year"]
        read_only_fields = fields


class SubjectRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class DivisionTeacherSerializer(serializers.ModelSerializer):
    teacher = PersonSerializer()
    subject = SubjectRefSerializer()

    class Meta:
        model = TeachingAssignment
        fields = ["teacher", "subject", "is_head_teacher"]
        read_only_fields = fields


class DivisionStudentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="user.id")
    first_name = serializers.CharField(source="user.first_name")
    last_name = serializers.CharField(source="user.last_name")
    full_name = serializers.CharField(source="user.get_full_name")


class DivisionDetailSerializer(DivisionSerializer):
    teachers = DivisionTeacherSerializer(many=True, source="assignments_visible", read_only=True)
    students = DivisionStudentSerializer(
        many=True, source="students_visible", read_only=True, help_text=_("Les élèves que vous pouvez voir.")
    )

    class Meta(DivisionSerializer.Meta):
        fields = [*DivisionSerializer.Meta.fields, "teachers", "students"]
        read_only_fields = fields


# -- accounts (heads) ----------------------------------------------------------------------


class DivisionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AccountMembershipSerializer(serializers.ModelSerializer):
    profile_label = serializers.CharField(source="get_profile_display", read_only=True)
    functions = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text=_("Fonctions (CPE, documentaliste...).")
    )
    division = DivisionRefSerializer(allow_null=True, read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "profile", "profile_label", "functions", "active", "division", "created_at", "ended_at"]
        read_only_fields = fields


class AccountSerializer(serializers.Serializer):
    """One person of the school, as on the heads' accounts page (`annuaire.selectors.admin.AccountRow`)."""

    id = serializers.IntegerField(source="user.pk")
    identifier = serializers.CharField(source="user.username", help_text=_("Identifiant de connexion."))
    first_name = serializers.CharField(source="user.first_name")
    last_name = serializers.CharField(source="user.last_name")
    full_name = serializers.CharField(source="user.get_full_name")
    state = serializers.ChoiceField(choices=AccountState.choices, help_text=_("État du compte."))
    state_label = serializers.CharField()
    memberships = AccountMembershipSerializer(many=True, help_text=_("Ses appartenances à l'établissement."))


class AccountFilterSerializer(serializers.Serializer):
    """Query parameters of the accounts list."""

    profile = serializers.ChoiceField(choices=Profile.choices, required=False, help_text=_("Filtrer par profil."))
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text=_("Identifiant, nom, prénom ou e-mail (partie).")
    )
    state = serializers.ChoiceField(choices=AccountState.choices, required=False, help_text=_("Filtrer par état."))
