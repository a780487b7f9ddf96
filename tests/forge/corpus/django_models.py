"""Django models (validated with ``full_clean()`` and saved on SQLite).

Imported lazily, once Django settings are configured (see ``tests/forge/conftest.py``).
"""

from __future__ import annotations

from django.core import validators
from django.db import models

APP = "forge_corpus"


class DJCompany(models.Model):
    name = models.CharField(max_length=100, unique=True)
    website = models.URLField(blank=True)
    founded = models.DateField()
    employees = models.PositiveIntegerField(validators=[validators.MaxValueValidator(100_000)])

    class Meta:
        app_label = APP


class DJAuthor(models.Model):
    first_name = models.CharField(max_length=30)
    last_name = models.CharField(max_length=30)
    email = models.EmailField(unique=True)
    bio = models.TextField(blank=True)
    slug = models.SlugField(max_length=40, unique=True)
    company = models.ForeignKey(DJCompany, on_delete=models.CASCADE, null=True)
    joined = models.DateTimeField()

    class Meta:
        app_label = APP


class DJBook(models.Model):
    GENRES = [("fic", "Fiction"), ("sci", "Science"), ("his", "History")]
    title = models.CharField(max_length=200)
    isbn = models.CharField(max_length=13, unique=True, validators=[validators.RegexValidator(r"^\d{13}$")])
    genre = models.CharField(max_length=3, choices=GENRES)
    price = models.DecimalField(max_digits=6, decimal_places=2, validators=[validators.MinValueValidator(1)])
    pages = models.IntegerField(validators=[validators.MinValueValidator(10), validators.MaxValueValidator(2000)])
    author = models.ForeignKey(DJAuthor, on_delete=models.CASCADE)
    published = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = APP


class DJProfile(models.Model):
    author = models.OneToOneField(DJAuthor, on_delete=models.CASCADE)
    nickname = models.CharField(max_length=20, blank=True, null=True)
    ip = models.GenericIPAddressField(protocol="IPv4")
    uid = models.UUIDField(unique=True)
    rating = models.FloatField(validators=[validators.MinValueValidator(0.0), validators.MaxValueValidator(5.0)])
    code = models.CharField(max_length=8, validators=[validators.MinLengthValidator(6)])

    class Meta:
        app_label = APP


class DJEvent(models.Model):
    KIND = [(1, "meeting"), (2, "call"), (3, "deadline")]
    kind = models.SmallIntegerField(choices=KIND)
    starts = models.TimeField()
    duration = models.DurationField()
    notes = models.TextField(null=True, blank=True)
    payload = models.JSONField(default=dict)
    attendees = models.PositiveSmallIntegerField()

    class Meta:
        app_label = APP


class DJCategory(models.Model):
    """Self-referencing, nullable: the parent is an existing category or nobody."""

    name = models.CharField(max_length=50)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        app_label = APP


# Many-to-many needs an installed app: Django finds reverse relations only among installed apps' models.
M2M_APP = "djapp"  # tests.orm.djapp


class DJTag(models.Model):
    label = models.CharField(max_length=30)

    class Meta:
        app_label = M2M_APP


class DJArticle(models.Model):
    """Many-to-many: tags are filled on create (registered tags first), related articles are existing ones."""

    title = models.CharField(max_length=120)
    tags = models.ManyToManyField(DJTag)
    related = models.ManyToManyField("self", blank=True)

    class Meta:
        app_label = M2M_APP


MODELS: list[type[models.Model]] = [DJCompany, DJAuthor, DJBook, DJProfile, DJEvent, DJCategory, DJTag, DJArticle]
