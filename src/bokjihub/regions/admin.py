"""Admin for the administrative hierarchy.

The codes are reference data owned by `regions_load`, so they are read-only here; the one
editable field is `Sigungu.hub_level`, a per-region setting.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from bokjihub.regions.models import EupMyeonDong, ReferenceDataset, Sido, Sigungu
from bokjihub.regions.services import sigungu_hub_level_set


class ReferenceDataAdmin(admin.ModelAdmin):
    """Browse and search; rows change only through `bokjihub regions load`."""

    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        editable = set(getattr(self, "editable_fields", ()))
        return [f.name for f in self.model._meta.fields if f.name not in editable]


@admin.register(Sido)
class SidoAdmin(ReferenceDataAdmin):
    list_display = ["code", "name_ko", "name_en", "valid_from", "valid_to"]
    search_fields = ["code", "name_ko", "name_en"]


@admin.register(Sigungu)
class SigunguAdmin(ReferenceDataAdmin):
    editable_fields = ("hub_level",)
    list_display = [
        "code",
        "full_name_ko",
        "kind",
        "is_unit",
        "hub_level",
        "valid_from",
        "valid_to",
    ]
    list_editable = ["hub_level"]
    list_filter = ["kind", "is_unit", "hub_level", "sido"]
    list_select_related = ["sido"]
    search_fields = ["code", "name_ko", "full_name_ko"]

    def save_model(self, request: HttpRequest, obj: Sigungu, form: Any, change: bool) -> None:
        sigungu_hub_level_set(sigungu=obj, hub_level=obj.hub_level)


@admin.register(EupMyeonDong)
class EupMyeonDongAdmin(ReferenceDataAdmin):
    list_display = ["code", "name_ko", "kind", "sigungu", "code_status", "valid_from", "valid_to"]
    list_filter = ["kind", "code_status", "sigungu__sido"]
    list_select_related = ["sigungu"]
    search_fields = ["code", "kostat_code", "name_ko", "sigungu__full_name_ko"]
    raw_id_fields = ["sigungu", "predecessor"]


@admin.register(ReferenceDataset)
class ReferenceDatasetAdmin(ReferenceDataAdmin):
    list_display = ["name", "as_of", "licence", "sha256", "loaded_at"]
    search_fields = ["name", "source"]
