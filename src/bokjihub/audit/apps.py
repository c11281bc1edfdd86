from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "bokjihub.audit"
    verbose_name = "감사·접속기록"
