"""`publicity_closed` is sent (robustly, after commit) when the close task ends a publicity.

    from zhicheng.publicity.signals import publicity_closed
    publicity_closed.connect(handler)   # handler(sender, publicity, **kwargs)

The review chain may use it to fire `close_pre_evaluation_publicity` (a SYSTEM transition).
"""

from django.dispatch import Signal

publicity_closed = Signal()
