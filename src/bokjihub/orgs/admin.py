from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from bokjihub.orgs.models import Membership, Network, NetworkMember, Organisation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, (_("복지허브"), {"fields": ["display_name"]}))
    list_display = ["username", "display_name", "is_active", "last_login"]
    inlines = [MembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "sector", "sigungu", "emd", "is_active"]
    list_filter = ["sector", "kind", "is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["sigungu", "emd"]
    filter_horizontal = ["service_area"]


class NetworkMemberInline(admin.TabularInline):
    model = NetworkMember
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "sigungu", "signed_on", "expires_on"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [NetworkMemberInline]
