"""Reading a parent that bulk saving has not saved yet.

In a bulk ``create``, SubFactory parents are built unsaved and saved together later. A
declaration that reads what the database assigns them (a primary key, a server default, a
generic relation's object id) would see ``None`` where stock factory_boy, which saves each
parent first, sees the value. So a declaration evaluated inside another one gets such a
parent wrapped in :class:`UnsavedParent`: reading an attribute that is still ``None``
pauses the object (:class:`~forge_factories.core.engine.Pause`) until the engine has saved the
parents, in bulk, and then resumes it, exactly as for semantic fields.
"""

from __future__ import annotations

from typing import Any


class UnsavedParent:
    """A read-only view of an unsaved parent that pauses on reading a not-yet-assigned value."""

    __slots__ = ("_forge_target", "_forge_waiting")

    def __init__(self, target: Any, waiting: Any) -> None:
        object.__setattr__(self, "_forge_target", target)
        object.__setattr__(self, "_forge_waiting", waiting)

    def __getattr__(self, name: str) -> Any:
        target = object.__getattribute__(self, "_forge_target")
        waiting = object.__getattribute__(self, "_forge_waiting")
        value = getattr(target, name)
        if not waiting.is_unsaved(target):
            return value
        if value is None:
            waiting.wait_for_save()
        return waiting.view(value)

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # isinstance(view, Model) holds, as for the parent itself
        return type(object.__getattribute__(self, "_forge_target"))

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(object.__getattribute__(self, "_forge_target"), name, value)

    def __repr__(self) -> str:
        return repr(object.__getattribute__(self, "_forge_target"))

    def __str__(self) -> str:
        return str(object.__getattribute__(self, "_forge_target"))

    def __eq__(self, other: object) -> bool:
        return bool(object.__getattribute__(self, "_forge_target") == unwrap(other))

    def __hash__(self) -> int:
        return hash(object.__getattribute__(self, "_forge_target"))


def unwrap(value: Any) -> Any:
    """The object behind an :class:`UnsavedParent` (anything else unchanged)."""
    if type(value) is UnsavedParent:
        return object.__getattribute__(value, "_forge_target")
    return value


class UnsavedTracking:
    """The engine's side: which objects wait to be saved in bulk, and the pause while one is read."""

    pause: type[BaseException]

    def __init__(self) -> None:
        self.unsaved_ids: set[int] = set()

    def is_unsaved(self, obj: Any) -> bool:
        """Whether ``obj`` was built for bulk saving and is not saved yet."""
        return id(obj) in self.unsaved_ids

    def view(self, value: Any) -> Any:
        """``value`` itself, or an :class:`UnsavedParent` view of it while it is unsaved."""
        if self.unsaved_ids and id(value) in self.unsaved_ids:
            return UnsavedParent(value, self)
        return value

    def wait_for_save(self) -> None:
        """Pause the object being resolved until the unsaved parents are saved."""
        raise self.pause

    def check_kwargs(self, factory_cls: Any, kwargs: dict[str, Any]) -> None:
        """Pause when the model would read an unsaved parent's key while it is built (e.g. a
        generic relation); foreign keys that bulk saving resolves itself do not pause."""
        if not self.unsaved_ids:
            return
        needs_saved = getattr(factory_cls, "_forge_needs_saved_parent", None)
        for name, value in kwargs.items():
            if id(value) in self.unsaved_ids and (needs_saved is None or needs_saved(name)):
                raise self.pause
