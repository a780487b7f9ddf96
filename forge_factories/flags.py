"""Feature flags (``from forge_factories.flags import is_enabled, flag_summary``)."""

from __future__ import annotations

from .governance.flags import FLAGS, env_var, flag_summary, is_enabled

__all__ = ["FLAGS", "env_var", "flag_summary", "is_enabled"]
