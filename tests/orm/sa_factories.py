"""SQLAlchemy factories used by the ORM tests (session: the running test's, see sa_models.CURRENT)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import forge_factories as factory
from forge_factories.alchemy import SQLAlchemyModelFactory

from .sa_models import SAAccount, SABadge, SABook, SACoded, SAMember, SAShelf, SATeam, current_session

POST_SEEN: list[Any] = []


class Base(SQLAlchemyModelFactory[Any]):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = current_session
        sqlalchemy_session_persistence = "flush"


class SAAccountFactory(Base):
    class Meta:
        model = SAAccount

    username = factory.Sequence(lambda n: f"user{n:06d}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    city = factory.Faker("city")
    country = factory.Faker("country")
    bio = factory.Faker("sentence")
    age = factory.Faker("pyint", min_value=18, max_value=90)
    score = factory.Faker("pyfloat", min_value=0, max_value=100)
    is_active = True


class SATeamFactory(Base):
    class Meta:
        model = SATeam

    name = factory.Sequence(lambda n: f"team {n}")


class SAMemberFactory(Base):
    class Meta:
        model = SAMember

    team = factory.SubFactory(SATeamFactory)
    name = factory.Faker("name")


class SABadgeFactory(Base):
    class Meta:
        model = SABadge

    member = factory.SubFactory(SAMemberFactory)
    label = factory.Sequence(lambda n: f"badge {n}")


class SADecoratedMemberFactory(SAMemberFactory):
    badge = factory.RelatedFactory(SABadgeFactory, factory_related_name="member")

    @factory.post_generation
    def seen(obj: SAMember, create: bool, extracted: Any, **kwargs: Any) -> None:
        POST_SEEN.append((obj.id, obj.team_id))


class SASemanticMemberFactory(SAMemberFactory):
    motto = factory.SemanticAttribute("the team motto {name} shouts", max_length=200)


class SAReusingMemberFactory(SAMemberFactory):
    class Meta:
        forge_reuse_parents = ("team",)


class SACodedFactory(Base):
    class Meta:
        model = SACoded

    code = factory.Sequence(lambda n: f"c{n}")


class SAGetOrCreateCodedFactory(SACodedFactory):
    class Meta:
        sqlalchemy_get_or_create = ("code",)


class SANoBulkAccountFactory(SAAccountFactory):
    class Meta:
        forge_bulk = False


class SAOverriddenCreateTeamFactory(SATeamFactory):
    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs["name"] = kwargs["name"].upper()
        return super()._create(model_class, *args, **kwargs)


class SACommitTeamFactory(SATeamFactory):
    class Meta:
        sqlalchemy_session_persistence = "commit"


class SAAddOnlyTeamFactory(SATeamFactory):
    class Meta:
        sqlalchemy_session_persistence = None


class SAShelfFactory(Base):
    class Meta:
        model = SAShelf

    label = factory.Sequence(lambda n: f"shelf {n}")
    tags = factory.Iterator([["oak", "tall"], [], ["pine"]])
    is_open = factory.Iterator([True, False])
    stocked = factory.Iterator([datetime(2024, 5, 17, 9, 30), None])


class SABookFactory(Base):
    class Meta:
        model = SABook

    title = factory.Sequence(lambda n: f"book {n}")
    shelf = factory.SubFactory(SAShelfFactory)
