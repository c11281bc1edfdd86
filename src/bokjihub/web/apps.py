from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "bokjihub.web"
    verbose_name = "화면"
