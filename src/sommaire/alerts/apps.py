from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "sommaire.alerts"
    verbose_name = "Alertes par courriel"
