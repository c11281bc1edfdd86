from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "bokjihub.cases"
    verbose_name = "사례관리"
