from django.contrib import admin
from django.urls import include, path

from bokjihub.finding.api import api as partner_api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("audit/", include("bokjihub.audit.urls")),
    path("finding/", include("bokjihub.finding.urls")),
    path("api/", partner_api.urls),
    path("cases/", include("bokjihub.cases.urls")),
    path("directory/", include("bokjihub.directory.urls")),
    path("referrals/", include("bokjihub.referrals.urls")),
    path("resources/", include("bokjihub.resources.urls")),
    path("", include("bokjihub.web.urls")),
]
