"""One object of a compiled row plan (:mod:`forge_factories.core.rowplan`): the field kinds a
node is compiled to, and the resolver lazy declarations read other fields through."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from factory import declarations as fb_declarations
from factory import errors

#: Field kinds of a compiled node.
CONST, FAKER, SEQUENCE, LAZY, SUB, LAZY_ATTR, LAZY_ATTR_SEQ, SELF = range(8)
#: Kinds that read other fields of the object (or its parents): they need a :class:`Row`.
READS = frozenset((LAZY_ATTR, LAZY_ATTR_SEQ, SELF))
#: Declarations compiled to their ``function`` (exact types: a subclass may evaluate otherwise).
CALLED: dict[type, int] = {
    fb_declarations.Sequence: SEQUENCE,
    fb_declarations.LazyFunction: LAZY,
    fb_declarations.LazyAttribute: LAZY_ATTR,
    fb_declarations.LazyAttributeSequence: LAZY_ATTR_SEQ,
}


class Row:
    """factory_boy's ``Resolver`` for one object of a compiled node: a field's value is computed
    when the object's declarations (or a lazy one reading it) first ask for it, and kept."""

    __slots__ = ("__node", "__values", "__pending", "__sequence", "__parent", "__make")

    def __init__(self, node: Any, sequence: int, parent: Row | None, make: Callable[..., Any]) -> None:
        # node: the compiled node (``rowplan._Node``: factory, by_name, declarations)
        self.__node = node
        self.__values: dict[str, Any] = {}
        self.__pending: list[str] = []
        self.__sequence = sequence
        self.__parent = parent
        self.__make = make

    @property
    def factory_parent(self) -> Row | None:
        """The resolver of the object this one is a SubFactory of."""
        return self.__parent

    def __repr__(self) -> str:
        return f"<Resolver for {self.__node.factory.__name__} (compiled)>"

    def __getattr__(self, name: str) -> Any:
        return self.__value(name)

    def __value(self, name: str) -> Any:
        """The value of field ``name``: kept, or computed now (its declaration evaluated)."""
        if name == "factory_parent":  # the property shadows a field of that name, as in factory_boy
            return self.__parent
        values = self.__values
        if name in values:
            return values[name]
        pending = self.__pending
        if name in pending:
            raise errors.CyclicDefinitionError(
                f"Cyclic lazy attribute definition for {name!r}; cycle found in {pending!r}.")
        node = self.__node
        entry = node.by_name.get(name)
        if entry is None:
            raise AttributeError(f"The parameter {name!r} is unknown. Evaluated attributes are {values!r}, "
                                 f"definitions are {node.declarations!r}.")
        kind, payload = entry
        if kind == CONST:
            value = payload
        else:
            pending.append(name)
            try:
                value = self.__evaluate(kind, payload)
            finally:
                pending.pop()
        values[name] = value
        return value

    def __evaluate(self, kind: int, payload: Any) -> Any:
        if kind in (FAKER, LAZY):
            return payload()
        if kind == SUB:
            return self.__make(payload, self)
        if kind == SEQUENCE:
            return payload(int(self.__sequence))
        if kind == LAZY_ATTR:
            return payload(self)
        if kind == LAZY_ATTR_SEQ:
            return payload(self, int(self.__sequence))
        depth, attribute, default = payload  # SELF: SelfAttribute.evaluate
        target: Any = self
        for _ in range(depth - 1):  # factory_boy's ``step.chain[depth - 1]``
            target = target.__parent
            if target is None:
                raise IndexError("tuple index out of range")
        return fb_declarations.deepgetattr(target, attribute, default)

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_Row__"):  # its own slots (name-mangled)
            object.__setattr__(self, name, value)
            return
        raise AttributeError("Setting of object attributes is not allowed")
