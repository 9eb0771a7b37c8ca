"""zhicheng: a city's professional-title evaluation season (职称评审), end to end."""

__version__ = "0.1.0"
