from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    """Donors, in-kind inventory, micro-campaigns, recognition and the fair allocation of
    a Si/Gun/Gu's pooled resources."""

    name = "bokjihub.resources"
    label = "resources"
    verbose_name = "후원·자원"
