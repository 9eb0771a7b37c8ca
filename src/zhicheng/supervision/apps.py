from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "zhicheng.supervision"
    label = "supervision"
    verbose_name = "评审监督"
