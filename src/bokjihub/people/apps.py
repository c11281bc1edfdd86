from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "bokjihub.people"
    verbose_name = "가구·대상자"
