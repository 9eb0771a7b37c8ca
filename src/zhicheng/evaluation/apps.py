from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "zhicheng.evaluation"
    label = "evaluation"
    verbose_name = "评审会议"

    def ready(self) -> None:
        from . import guards  # noqa: F401  (registers quorum_present, two_thirds_yes)
