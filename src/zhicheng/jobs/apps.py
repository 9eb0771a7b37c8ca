from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "zhicheng.jobs"
    label = "jobs"
    verbose_name = "后台任务"

    def ready(self) -> None:
        # App registry: the kinds import the feature apps' models, the task registers with Celery.
        from . import imports, kinds, tasks  # noqa: F401
