from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "sommaire.jobs"
    verbose_name = "Tâches planifiées"
