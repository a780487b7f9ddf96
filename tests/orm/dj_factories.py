"""Django factories used by the ORM tests."""

from __future__ import annotations

from typing import Any

import forge_factories as factory
from forge_factories.django import DjangoModelFactory

from .djapp.models import Account, Badge, Careful, Coded, Member, Noisy, Restaurant, Stamped, Team

POST_SEEN: list[Any] = []


class AccountFactory(DjangoModelFactory[Account]):
    class Meta:
        model = Account

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


class TeamFactory(DjangoModelFactory[Team]):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"team {n}")


class MemberFactory(DjangoModelFactory[Member]):
    class Meta:
        model = Member

    team = factory.SubFactory(TeamFactory)
    name = factory.Faker("name")


class BadgeFactory(DjangoModelFactory[Badge]):
    class Meta:
        model = Badge

    member = factory.SubFactory(MemberFactory)
    label = factory.Sequence(lambda n: f"badge {n}")


class DecoratedMemberFactory(MemberFactory):
    """post_generation and RelatedFactory, which must see saved primary keys."""

    class Meta:
        skip_postgeneration_save = True

    badge = factory.RelatedFactory(BadgeFactory, factory_related_name="member")

    @factory.post_generation
    def seen(obj: Member, create: bool, extracted: Any, **kwargs: Any) -> None:
        POST_SEEN.append((obj.pk, obj.team_id))


class SemanticMemberFactory(MemberFactory):
    motto = factory.SemanticAttribute("the team motto {name} shouts", max_length=200)


class ReusingMemberFactory(MemberFactory):
    class Meta:
        forge_reuse_parents = True


class NoisyFactory(DjangoModelFactory[Noisy]):
    class Meta:
        model = Noisy

    name = factory.Sequence(lambda n: f"noisy {n}")


class OptedInNoisyFactory(NoisyFactory):
    class Meta:
        forge_bulk_with_signals = True


class CarefulFactory(DjangoModelFactory[Careful]):
    class Meta:
        model = Careful

    name = factory.Sequence(lambda n: f"careful {n}")


class StampedFactory(DjangoModelFactory[Stamped]):
    class Meta:
        model = Stamped

    name = factory.Sequence(lambda n: f"stamped {n}")


class RestaurantFactory(DjangoModelFactory[Restaurant]):
    class Meta:
        model = Restaurant

    name = factory.Sequence(lambda n: f"place {n}")
    serves = "soup"


class CodedFactory(DjangoModelFactory[Coded]):
    class Meta:
        model = Coded

    code = factory.Sequence(lambda n: f"c{n}")


class GetOrCreateCodedFactory(CodedFactory):
    class Meta:
        django_get_or_create = ("code",)


class NoBulkAccountFactory(AccountFactory):
    class Meta:
        forge_bulk = False


class OverriddenCreateTeamFactory(TeamFactory):
    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs["name"] = kwargs["name"].upper()
        return super()._create(model_class, *args, **kwargs)


ALL_FACTORIES = [
    AccountFactory, TeamFactory, MemberFactory, BadgeFactory, DecoratedMemberFactory, SemanticMemberFactory,
    ReusingMemberFactory, NoisyFactory, OptedInNoisyFactory, CarefulFactory, RestaurantFactory, CodedFactory,
    GetOrCreateCodedFactory, NoBulkAccountFactory, OverriddenCreateTeamFactory, StampedFactory,
]


class PerRowMemberFactory(MemberFactory):
    """Per-row (overridden _create) child of a bulk-capable parent factory."""

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        assert kwargs["team"].pk is not None, "the unsaved parent must be flushed before a per-row create"
        return super()._create(model_class, *args, **kwargs)


class SmallBatchTeamFactory(TeamFactory):
    class Meta:
        forge_batch_size = 100


ALL_FACTORIES += [PerRowMemberFactory, SmallBatchTeamFactory]
