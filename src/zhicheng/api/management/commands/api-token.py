from zhicheng.api.management.commands.api_token import Command

__all__ = ["Command"]
