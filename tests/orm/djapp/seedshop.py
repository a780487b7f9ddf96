"""A small shop schema for the seeding tests (Django): composite unique, one-to-one, a generic relation."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class DCustomer(models.Model):
    name = models.CharField(max_length=100)
    email = models.CharField(max_length=200, unique=True)

    class Meta:
        app_label = "djapp"


class DProduct(models.Model):
    name = models.CharField(max_length=120)

    class Meta:
        app_label = "djapp"


class DOrder(models.Model):
    customer = models.ForeignKey(DCustomer, on_delete=models.CASCADE)
    note = models.CharField(max_length=300)

    class Meta:
        app_label = "djapp"


class DOrderLine(models.Model):
    order = models.ForeignKey(DOrder, on_delete=models.CASCADE)
    product = models.ForeignKey(DProduct, on_delete=models.CASCADE)
    quantity = models.IntegerField()

    class Meta:
        app_label = "djapp"
        constraints = [models.UniqueConstraint(fields=["order", "product"], name="uq_d_line_order_product")]


class DProfile(models.Model):
    customer = models.OneToOneField(DCustomer, on_delete=models.CASCADE)
    bio = models.CharField(max_length=300)

    class Meta:
        app_label = "djapp"


class DNote(models.Model):
    text = models.CharField(max_length=100)

    class Meta:
        app_label = "djapp"


class DTag(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    label = models.CharField(max_length=100)

    class Meta:
        app_label = "djapp"


TABLES_CHILDREN_FIRST = [DTag, DNote, DProfile, DOrderLine, DOrder, DProduct, DCustomer]
