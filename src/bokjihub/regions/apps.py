from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "bokjihub.regions"
    verbose_name = _("행정구역")
