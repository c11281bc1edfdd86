from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bokjihub.directory"
    label = "directory"
    verbose_name = "복지서비스·자원 목록"
