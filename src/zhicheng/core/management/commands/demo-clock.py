from zhicheng.core.management.commands.demo_clock import Command

__all__ = ["Command"]
