"""Django admin for the platform team: schools and deployment waves."""

from __future__ import annotations

from django.contrib import admin

from schools.forms import SchoolAdminForm
from schools.models import School, Wave


class SchoolInline(admin.TabularInline):
    model = School
    fields = ("uai", "name", "kind", "status")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Wave)
class WaveAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "opens_on")
    ordering = ("number",)
    inlines = (SchoolInline,)


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    form = SchoolAdminForm
    list_display = ("uai", "name", "kind", "status", "wave", "uai_check_warning")
    list_filter = ("kind", "status", "wave")
    search_fields = ("uai", "name")
    list_select_related = ("wave",)
    readonly_fields = ("uai_check_warning",)
    fieldsets = (
        (None, {"fields": ("uai", "uai_check_warning", "name", "kind", "status", "wave")}),
        ("Adresse", {"fields": ("address", "postal_code", "city")}),
        ("Charte d'usage", {"fields": ("charter",)}),
    )
