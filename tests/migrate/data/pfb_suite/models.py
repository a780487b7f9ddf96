"""Plain models of the suite."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Author:
    name: str
    gender: str = "F"
    age: int = 30


@dataclass
class Book:
    title: str
    author: Author
    summary: str = ""
    tags: list[str] = field(default_factory=list)


class Foo:
    def __init__(self, value: int) -> None:
        self.value = value


class Bar:
    def __init__(self, foo: Foo) -> None:
        self.foo = foo
