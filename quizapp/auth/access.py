"""Access rules for views: one decorator per rule, so no view repeats an `if`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from quizapp.auth.models import Role


def role_required(*roles: Role) -> Callable:
    """Let signed-in people with one of `roles` through; others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
