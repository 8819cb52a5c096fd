"""Django admin for the platform team: read-mostly views of people, memberships and divisions.

The directory is written by the importers and the heads' pages; here one may look, and
switch an account or a membership off. Tenant tables are read across schools on
purpose, through their explicitly named `unscoped` manager.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from annuaire.models import Division, Membership, User


class CrossSchoolAdmin(admin.ModelAdmin):
    """A tenant table seen by the platform team: every school, no creation, no deletion."""

    actions = None

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.model.unscoped.all()  # type: ignore[attr-defined]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "last_name", "first_name", "email", "is_active", "is_city_admin", "activated_at")
    list_filter = ("is_active", "is_city_admin", "is_staff", "is_superuser")
    search_fields = ("username", "first_name", "last_name", "email", "external_id")
    readonly_fields = ("external_id", "activated_at", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Identité"), {"fields": ("last_name", "first_name", "email", "phone", "birth_date")}),
        (_("Annuaire"), {"fields": ("external_id", "activated_at", "last_login", "date_joined")}),
        (_("Droits"), {"fields": ("is_active", "is_city_admin", "is_staff", "is_superuser")}),
    )
    actions = None

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Membership)
class MembershipAdmin(CrossSchoolAdmin):
    list_display = ("user", "school", "profile", "active", "division")
    list_filter = ("profile", "active", "school")
    search_fields = ("user__username", "user__last_name", "school__uai", "school__name")
    list_select_related = ("user", "school", "division")
    fields = ("user", "school", "profile", "functions", "division", "external_id", "active", "created_at", "ended_at")
    readonly_fields = ("user", "school", "profile", "functions", "division", "external_id", "created_at", "ended_at")


@admin.register(Division)
class DivisionAdmin(CrossSchoolAdmin):
    list_display = ("name", "code", "school", "school_year", "mef")
    list_filter = ("school_year", "school")
    search_fields = ("name", "code", "school__uai", "school__name")
    list_select_related = ("school", "mef")
    fields = ("school", "code", "name", "mef", "school_year", "external_id")
    readonly_fields = fields

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
