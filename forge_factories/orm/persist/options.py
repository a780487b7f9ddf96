"""Meta options shared by the Django and SQLAlchemy factories (bulk, parent reuse)."""

from __future__ import annotations

from typing import Any

from factory import base as fb_base
from factory import builder as fb_builder
from factory import declarations as fb_declarations

from forge_factories.common.errors import ForgeConfigError
from forge_factories.core.declarations_registry import as_registry_subfactory
from forge_factories.orm.executors import OBJECTS, check_executor_option


def _check_bool(meta: Any, value: Any) -> None:
    if not isinstance(value, bool):
        raise ForgeConfigError(f"{meta}: this forge option must be True or False, got {value!r}")


def _check_reuse(meta: Any, value: Any) -> None:
    if isinstance(value, bool):
        return
    if isinstance(value, str) or not all(isinstance(v, str) for v in value):
        raise ForgeConfigError(
            f"Meta.forge_reuse_parents must be True/False or a list of SubFactory field names, got {value!r}"
        )


def _check_batch_size(meta: Any, value: Any) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ForgeConfigError(f"Meta.forge_batch_size must be a positive int or None, got {value!r}")


class BulkOptionsMixin:
    """``forge_bulk`` (default True): ``create`` saves in bulk where safe;
    ``forge_batch_size``: rows per INSERT (None: the backend's maximum);
    ``forge_reuse_parents``: True (every ``SubFactory``) or field names whose parents are
    taken from the FK registry (see :class:`~forge_factories.core.declarations_registry.RegistrySubFactory`);
    ``forge_existing_parents``: reused parents are drawn from every row of the parent's table
    (read once by primary key), not only from rows forge saved; implies ``forge_reuse_parents``
    for every ``SubFactory`` when that is not set; ``forge_executor``: ``"objects"`` (default)
    or ``"columns"`` (see :mod:`forge_factories.orm.executors`).
    """

    def _build_default_options(self) -> list[fb_base.OptionDefault]:
        return super()._build_default_options() + [  # type: ignore[misc]
            fb_base.OptionDefault("forge_bulk", True, inherit=True, checker=_check_bool),
            fb_base.OptionDefault("forge_batch_size", None, inherit=True, checker=_check_batch_size),
            fb_base.OptionDefault("forge_reuse_parents", False, inherit=True, checker=_check_reuse),
            fb_base.OptionDefault("forge_existing_parents", False, inherit=True, checker=_check_bool),
            fb_base.OptionDefault("forge_executor", OBJECTS, inherit=True, checker=check_executor_option),
        ]

    def contribute_to_class(self, factory: Any, meta: Any = None, base_meta: Any = None, base_factory: Any = None,
                            params: Any = None) -> None:
        super().contribute_to_class(  # type: ignore[misc]
            factory, meta=meta, base_meta=base_meta, base_factory=base_factory, params=params,
        )
        reuse = self.forge_reuse_parents or self.forge_existing_parents  # type: ignore[attr-defined]
        if not reuse:
            return
        names = None if reuse is True else set(reuse)
        declarations: dict[str, Any] = self.base_declarations  # type: ignore[attr-defined]
        if names is not None:
            missing = sorted(n for n in names if not isinstance(declarations.get(n), fb_declarations.SubFactory))
            if missing:
                raise ForgeConfigError(
                    f"{factory.__name__}: Meta.forge_reuse_parents names {', '.join(missing)}, "
                    "which are not SubFactory fields"
                )
        changed = False
        for name, decl in list(declarations.items()):
            if type(decl) is fb_declarations.SubFactory and (names is None or name in names):
                declarations[name] = as_registry_subfactory(decl)
                changed = True
        if changed:
            opts: Any = self
            opts.pre_declarations, opts.post_declarations = fb_builder.parse_declarations(opts.declarations)
