"""Factories of the async tests. SQLAlchemy ones get their session from the fixtures
(``Meta.sqlalchemy_session`` set per test, see conftest.py)."""

from __future__ import annotations

from typing import Any

import forge_factories as factory
from forge_factories import SemanticAttribute
from forge_factories.alchemy import SQLAlchemyModelFactory
from forge_factories.core.declarations_registry import RegistrySubFactory
from forge_factories.django import DjangoModelFactory

from .models import AioDjMember, AioDjTag, AioDjTeam, SAMember, SATag, SATeam

BIO = "A one-line staff bio of {name}, member of {team.name}."


class SABase(SQLAlchemyModelFactory[Any]):
    class Meta:
        abstract = True
        sqlalchemy_session_persistence = "flush"


class SATeamFactory(SABase):
    class Meta:
        model = SATeam

    name = factory.Sequence(lambda n: f"team {n}")


class SAMemberFactory(SABase):
    class Meta:
        model = SAMember

    team = factory.SubFactory(SATeamFactory)
    name = factory.Sequence(lambda n: f"Member {n}")
    bio = SemanticAttribute(BIO, max_length=300)


class SAReusingMemberFactory(SAMemberFactory):
    """Members who join teams that exist already (the FK registry)."""

    team = RegistrySubFactory(SATeamFactory)


class SATagFactory(SABase):
    class Meta:
        model = SATag

    team = factory.SubFactory(SATeamFactory)
    code = factory.Sequence(lambda n: f"t{n}")


SA_FACTORIES = (SATeamFactory, SAMemberFactory, SAReusingMemberFactory, SATagFactory)


class DjTeamFactory(DjangoModelFactory[AioDjTeam]):
    class Meta:
        model = AioDjTeam

    name = factory.Sequence(lambda n: f"team {n}")


class DjMemberFactory(DjangoModelFactory[AioDjMember]):
    class Meta:
        model = AioDjMember

    team = factory.SubFactory(DjTeamFactory)
    name = factory.Sequence(lambda n: f"Member {n}")
    bio = SemanticAttribute(BIO, max_length=300)


class DjReusingMemberFactory(DjMemberFactory):
    team = RegistrySubFactory(DjTeamFactory)


class DjTagFactory(DjangoModelFactory[AioDjTag]):
    class Meta:
        model = AioDjTag

    team = factory.SubFactory(DjTeamFactory)
    code = factory.Sequence(lambda n: f"t{n}")


DJ_FACTORIES = (DjTeamFactory, DjMemberFactory, DjReusingMemberFactory, DjTagFactory)
