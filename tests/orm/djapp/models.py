"""Django models used by the ORM adapter tests."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.signals import post_save
from django.dispatch import receiver


class Account(models.Model):
    """Ten fields besides the primary key."""

    username = models.CharField(max_length=60, unique=True)
    email = models.CharField(max_length=120)
    first_name = models.CharField(max_length=60)
    last_name = models.CharField(max_length=60)
    city = models.CharField(max_length=80)
    country = models.CharField(max_length=80)
    bio = models.TextField()
    age = models.IntegerField()
    score = models.FloatField()
    is_active = models.BooleanField(default=True)

    class Meta:
        app_label = "djapp"


class Team(models.Model):
    name = models.CharField(max_length=80)

    class Meta:
        app_label = "djapp"


class Member(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=80)
    motto = models.TextField(default="")

    class Meta:
        app_label = "djapp"


class Badge(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="badges")
    label = models.CharField(max_length=80)

    class Meta:
        app_label = "djapp"


class Match(models.Model):
    """Two parents of the same model (saved together, in the order they were built)."""

    home = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    away = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        app_label = "djapp"


class Noisy(models.Model):
    """Has a post_save receiver."""

    name = models.CharField(max_length=80)

    class Meta:
        app_label = "djapp"


SAVED: list[int] = []


@receiver(post_save, sender=Noisy)
def _noisy_saved(sender: type, instance: Noisy, created: bool, **kwargs: object) -> None:
    SAVED.append(instance.pk)


class Careful(models.Model):
    """Overrides save()."""

    name = models.CharField(max_length=80)
    saved_by_save = models.BooleanField(default=False)

    def save(self, *args: object, **kwargs: object) -> None:
        self.saved_by_save = True
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    class Meta:
        app_label = "djapp"


class StampingManager(models.Manager["Stamped"]):
    """A manager whose create() does more than the INSERT."""

    def create(self, **kwargs: Any) -> Stamped:
        kwargs["stamped"] = True
        return super().create(**kwargs)


class Stamped(models.Model):
    """Its manager overrides create()."""

    name = models.CharField(max_length=80)
    stamped = models.BooleanField(default=False)

    objects = StampingManager()

    class Meta:
        app_label = "djapp"


class Place(models.Model):
    name = models.CharField(max_length=80)

    class Meta:
        app_label = "djapp"


class Restaurant(Place):
    """Multi-table inheritance."""

    serves = models.CharField(max_length=80)

    class Meta:
        app_label = "djapp"


class Coded(models.Model):
    code = models.CharField(max_length=20, unique=True)

    class Meta:
        app_label = "djapp"


ALL_MODELS = [Account, Team, Member, Badge, Match, Noisy, Careful, Stamped, Place, Restaurant, Coded]
