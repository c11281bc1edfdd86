from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "bokjihub.orgs"
    verbose_name = "기관"
