from django.apps import AppConfig


class SimulationConfig(AppConfig):
    name = "zhicheng.simulation"
    label = "simulation"
    verbose_name = "Simulation"
