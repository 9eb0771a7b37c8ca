from zhicheng.applications.management.commands.state_machine import Command

__all__ = ["Command"]
