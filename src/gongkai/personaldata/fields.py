"""Model fields for personal data: an encrypted column and the keyed hash kept beside it.

``EncryptedTextField`` stores ``gk1:<key id>:<ciphertext>`` (:mod:`gongkai.personaldata.keys`)
and gives the model plain text; "" stays "" (an empty field reveals only that it is empty).
Because encryption is randomised, the column cannot be searched: a look-up other than
``isnull`` or ``= ""`` raises, so no query silently finds nothing. Equality look-ups go
through a :class:`LookupHashField` (``Model.objects.filter(id_number_hash=lookup_hash(…))``).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull

from gongkai.personaldata.keys import decrypt, encrypt, lookup_hash

__all__ = ["EncryptedTextField", "LookupHashField", "encrypted_fields", "lookup_fields"]


class _EmptyOnly(Exact):
    """``field = ""`` (is it blank?): the only equality an encrypted column answers."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None) and not hasattr(self.rhs, "resolve_expression"):
            raise FieldError(
                f"{self.lhs.target.name} 已加密，不能按值查询，请用其查询散列列 / "
                f"{self.lhs.target.name} is encrypted: look it up by its hash column"
            )
        return self.rhs


class EncryptedTextField(models.TextField):
    """Text encrypted at rest; ``plain_max_length`` bounds the plaintext (forms, validation)."""

    def __init__(self, *args, plain_max_length: int | None = None, **kwargs):
        self.plain_max_length = plain_max_length
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.plain_max_length is not None:
            kwargs["plain_max_length"] = self.plain_max_length
        return name, path, args, kwargs

    @property
    def context(self) -> str:
        """What a ciphertext is bound to: ``app_label.model.field``."""
        return f"{self.model._meta.label_lower}.{self.name}"

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return decrypt(value, context=self.context)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value, context=self.context)

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return _EmptyOnly
        if lookup_name == "isnull":
            return IsNull
        return None  # Django raises FieldError: "Unsupported lookup"

    def formfield(self, **kwargs):
        return forms.CharField(max_length=self.plain_max_length, **kwargs)


class LookupHashField(models.CharField):
    """The keyed hash (HMAC-SHA256) of another field, set on every save; "" when that is blank.

    ``purpose`` separates the hashes of different kinds of value (an ID number and a phone
    that happen to share digits hash differently). Set on ``save()``; a ``save(update_fields=…)``
    or ``QuerySet.update()`` that changes the source must change this field too.
    """

    def __init__(self, *args, source: str = "", purpose: str = "", **kwargs):
        self.source = source
        self.purpose = purpose or source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["purpose"] = self.purpose
        for default in ("max_length", "blank", "default", "editable"):
            kwargs.pop(default, None)
        return name, path, args, kwargs

    def hash_of(self, value: str) -> str:
        return lookup_hash(value, purpose=self.purpose)

    def pre_save(self, model_instance, add):
        value = self.hash_of(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value


def encrypted_fields(model) -> list[EncryptedTextField]:
    """Return the encrypted columns of ``model`` (concrete, in declaration order)."""
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def lookup_fields(model) -> list[LookupHashField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, LookupHashField)]
