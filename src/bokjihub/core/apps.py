from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bokjihub.core"
    verbose_name = "공통"
