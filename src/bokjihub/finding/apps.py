from django.apps import AppConfig


class FindingConfig(AppConfig):
    name = "bokjihub.finding"
    verbose_name = "위기가구 발굴"
