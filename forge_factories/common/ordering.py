"""One topological sort (:mod:`graphlib`): things after what they depend on, level by level.

Used for the factories of a seeding run, the models of a ``Forge.swarm`` and the semantic fields
of a factory. Level by level: first everything that depends on nothing in the set, then what
depends only on those, and so on; inside a level, the given order. A cycle raises one error
naming its members as ``a -> b -> a`` (``a`` depends on ``b``), unless the caller asks to keep
the given order on a cycle.
"""

from __future__ import annotations

import graphlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from forge_factories.common.errors import ForgeConfigError

T = TypeVar("T")

__all__ = ["dependency_levels", "parents_first"]


def _sorter(needs: list[set[int]]) -> graphlib.TopologicalSorter[int]:
    sorter: graphlib.TopologicalSorter[int] = graphlib.TopologicalSorter()
    for i, wanted in enumerate(needs):
        sorter.add(i, *wanted)
    sorter.prepare()
    return sorter


def _break_cycle(needs: list[set[int]], cycle: list[int]) -> None:
    """Drop the dependency of the cycle's earliest-given member on a later one (given order wins)."""
    edges = [(cycle[k + 1], cycle[k]) for k in range(len(cycle) - 1)]  # (dependent, what it needs)
    backward = [(child, parent) for child, parent in edges if parent >= child] or edges
    child, parent = min(backward)
    needs[child].discard(parent)


def dependency_levels(nodes: Sequence[T], needs: Callable[[T], Iterable[T]], *,
                      label: Callable[[T], str] = str, cycle_error: str = "dependencies form a cycle",
                      error: type[Exception] = ForgeConfigError, keep_order_on_cycle: bool = False
                      ) -> list[list[T]]:
    """``nodes`` in levels: each node after every node of ``nodes`` that ``needs(node)`` names.

    What a node needs outside ``nodes`` does not hold it back; needing itself is a cycle. A cycle
    raises ``error(f"{cycle_error}: a -> b -> a")`` (``label`` names each node); with
    ``keep_order_on_cycle`` its members keep their given order instead.
    """
    position = {node: i for i, node in enumerate(nodes)}
    wanted: list[set[int]] = []
    for i, node in enumerate(nodes):
        found = {position[n] for n in needs(node) if n in position}
        wanted.append(found - {i} if keep_order_on_cycle else found)
    while True:
        try:
            sorter = _sorter(wanted)
            break
        except graphlib.CycleError as exc:
            cycle: list[int] = exc.args[1]
            if not keep_order_on_cycle:
                names = " -> ".join(label(nodes[i]) for i in reversed(cycle))
                raise error(f"{cycle_error}: {names}") from None
            _break_cycle(wanted, cycle)
    levels: list[list[T]] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready())
        levels.append([nodes[i] for i in ready])
        sorter.done(*ready)
    return levels


def parents_first(nodes: Sequence[T], needs: Callable[[T], Iterable[T]], **options: Any) -> list[T]:
    """``nodes`` flattened from :func:`dependency_levels` (same options)."""
    return [node for level in dependency_levels(nodes, needs, **options) for node in level]
