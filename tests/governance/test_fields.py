"""Governance field descriptions come from the auto factories' introspection (one reading of a model)."""

from __future__ import annotations

import dataclasses
import enum
import uuid
from typing import Annotated, Any, Literal, NotRequired, TypedDict

import attrs
import pytest
from pydantic import BaseModel, Field, computed_field
from sqlalchemy import Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from forge_factories.auto import AutoFactoryError, model_info
from forge_factories.auto.annotations import EmailText, resolve, value_kind
from forge_factories.governance import describe_model
from forge_factories.governance.fields import describe_field, marker_level


def _by_name(model: Any) -> dict[str, Any]:
    return {d.name: d for d in describe_model(model)}


class Signup(BaseModel):
    first: str = Field(alias="firstName", json_schema_extra={"sensitivity": "sensitive"})
    age: Annotated[int, Field(ge=18), {"sensitivity": "dangerous"}]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def shout(self) -> str:
        return self.first.upper()


def test_pydantic_attribute_names_declarations_and_computed_fields() -> None:
    info = model_info(Signup)
    assert [(f.name, f.attribute) for f in info.fields] == [("firstName", "first"), ("age", ""), ("shout", "")]
    descs = _by_name(Signup)
    assert list(descs) == ["first", "age"]  # attribute names; a computed property is no stored field
    assert descs["first"].sensitivity == "sensitive" and descs["first"].kind == "str"
    assert descs["age"].sensitivity == "dangerous" and descs["age"].ge == 18 and descs["age"].bounded


def test_dataclass_with_unresolvable_hints_is_still_described() -> None:
    class Local:
        pass

    @dataclasses.dataclass
    class Holder:
        ref: Local
        code: str = dataclasses.field(default="x", metadata={"sensitivity": "sensitive"})

    Holder.__annotations__["ref"] = "Local"  # a forward reference nothing can resolve
    with pytest.raises(AutoFactoryError, match="cannot resolve"):
        model_info(Holder)
    descs = _by_name(Holder)  # the raw annotations are kept
    assert list(descs) == ["ref", "code"] and descs["ref"].annotation == "Local"
    assert descs["code"].sensitivity == "sensitive"


@attrs.define
class Badge:
    _secret: str = attrs.field(metadata={"sensitivity": "sensitive"})
    size: int = attrs.field(default=1, validator=[attrs.validators.ge(1), attrs.validators.le(9)])
    mode: str = attrs.field(default="x", validator=attrs.validators.in_(["x", "y"]))


def test_attrs_private_names_validators_and_metadata() -> None:
    assert model_info(Badge).field("secret").attribute == "_secret"
    descs = _by_name(Badge)
    assert list(descs) == ["_secret", "size", "mode"]
    assert descs["_secret"].sensitivity == "sensitive"
    assert (descs["size"].kind, descs["size"].ge, descs["size"].le) == ("int", 1, 9)
    assert (descs["mode"].kind, descs["mode"].choices) == ("enum", ("x", "y"))


class Point(TypedDict):
    x: int
    label: str


def test_typeddict_is_described() -> None:
    assert [(d.name, d.kind) for d in describe_model(Point)] == [("x", "int"), ("label", "str")]


def test_unknown_kind_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="cannot describe the fields of"):
        describe_model(int)


class _Base(DeclarativeBase):
    pass


class Mood(enum.Enum):
    HAPPY = "happy"
    SAD = "sad"


class GovOwner(_Base):
    __tablename__ = "gov_fields_owner"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(20), info={"sensitivity": "sensitive"})


class GovPet(_Base):
    __tablename__ = "gov_fields_pet"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("gov_fields_owner.id"))
    owner: Mapped[GovOwner] = relationship()
    note: Mapped[str | None] = mapped_column(Text, comment="vet notes [forge:sensitive]")
    mood: Mapped[str] = mapped_column(Enum("happy", "sad", name="gov_mood", native_enum=False))
    mood2: Mapped[Mood] = mapped_column(Enum(Mood))


def test_sqlalchemy_columns_not_relationships() -> None:
    info = model_info(GovPet)
    assert [f.name for f in info.fields] == ["owner", "id", "note", "mood", "mood2"]  # what a factory sets
    assert [f.name for f in info.columns] == ["id", "owner_id", "note", "mood", "mood2"]  # what is stored
    descs = _by_name(GovPet)
    assert list(descs) == ["id", "owner_id", "note", "mood", "mood2"]
    assert descs["id"].auto and not descs["id"].relation
    assert descs["owner_id"].relation and descs["owner_id"].kind == "int"
    assert descs["note"].sensitivity == "sensitive" and descs["note"].optional
    assert (descs["mood"].kind, descs["mood"].choices) == ("enum", ("happy", "sad"))
    assert descs["mood2"].kind == "enum" and descs["mood2"].choices == (Mood.HAPPY, Mood.SAD)
    assert descs["mood"].type_name == "Enum"
    assert _by_name(GovOwner)["name"].sensitivity == "sensitive"


def test_django_fields() -> None:
    from tests.django_setup import configure_django

    configure_django()
    from django.db import models

    class GovKennel(models.Model):
        class Meta:
            app_label = "governance_tests"

    class GovDog(models.Model):
        name = models.CharField(max_length=30, help_text="[forge:sensitive] the dog's name")
        nickname = models.CharField(max_length=30, blank=True, null=True)
        owner_email = models.EmailField()
        home = models.URLField(blank=True)
        size = models.CharField(max_length=1, choices=[("s", "small"), ("l", "large")])
        kennel = models.ForeignKey(GovKennel, on_delete=models.CASCADE)
        chip = models.CharField(max_length=15, db_comment="[forge:safe]")

        class Meta:
            app_label = "governance_tests"

    descs = _by_name(GovDog)
    assert list(descs) == ["id", "name", "nickname", "owner_email", "home", "size", "kennel", "chip"]
    assert descs["id"].auto and descs["id"].type_name == "AutoField"
    assert descs["name"].sensitivity == "sensitive" and descs["name"].min_length == 1  # full_clean: not blank
    assert descs["name"].max_length == 30 and not descs["name"].optional
    assert descs["nickname"].optional and descs["nickname"].min_length is None
    assert (descs["owner_email"].kind, descs["home"].kind) == ("email", "url")
    assert (descs["size"].kind, descs["size"].choices, descs["size"].min_length) == ("enum", ("s", "l"), 1)
    assert descs["kennel"].relation and descs["kennel"].kind == "int"
    assert descs["chip"].sensitivity == "safe"
    assert model_info(GovDog).field("nickname").blank


def test_marker_level() -> None:
    assert marker_level("Notes [FORGE:Sensitive]") == "sensitive"
    assert marker_level("no marker") is None and marker_level(None) is None


class Slot(TypedDict, total=False):
    size: NotRequired[Annotated[int, Field(ge=2)]]


@dataclasses.dataclass
class Reading:
    level: Annotated[int | None, Field(ge=1, le=5), {"sensitivity": "sensitive"}]
    unit: Literal["c", "f"] = "c"


def test_governance_reads_fields_through_the_auto_field_model() -> None:
    info = model_info(Reading).field("level")
    desc = describe_field(info)
    assert desc == _by_name(Reading)["level"]
    assert desc.constraints == resolve(info.annotation).constraints  # the auto model's Constraints, not a copy
    assert (desc.kind, desc.ge, desc.le, desc.optional, desc.sensitivity) == ("int", 1, 5, True, "sensitive")
    assert (_by_name(Reading)["unit"].kind, _by_name(Reading)["unit"].choices) == ("enum", ("c", "f"))
    size = _by_name(Slot)["size"]  # NotRequired[...] is unwrapped as the generators unwrap it
    assert (size.kind, size.ge, size.annotation) == ("int", 2, int)


def test_value_kinds_come_from_the_auto_field_model() -> None:
    assert [value_kind(t) for t in (bool, Mood, list[int], Signup, uuid.UUID, EmailText)] == [
        "bool", "enum", "list", "model", "uuid", "email"]
