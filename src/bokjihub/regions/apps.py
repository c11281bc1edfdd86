from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "bokjihub.regions"
    verbose_name = "행정구역"
