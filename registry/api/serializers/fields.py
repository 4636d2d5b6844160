"""Enum fields with schema names of their own, shared by the registry's serializers."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from registry.models import (
    Category,
    ConsentGiver,
    ConsentPurpose,
    ConsentState,
    PairStatus,
    PartnerKind,
)

# --- Enums with names of their own ------------------------------------------------------
# Several apps have a `kind`, a `category` or a `state`: a name per enum keeps the
# schema generator from inventing (or colliding on) one.


def enum_field(choices: type, component: str) -> type[serializers.ChoiceField]:
    @extend_schema_field({"type": "string", "enum": list(choices.values)}, component_name=component)
    class Field(serializers.ChoiceField):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(choices=choices.choices, **kwargs)

    Field.__name__ = f"{component}Field"
    return Field


CategoryField = enum_field(Category, "ParticipantCategoryEnum")
ConsentStateField = enum_field(ConsentState, "ConsentStateEnum")
ConsentGiverField = enum_field(ConsentGiver, "ConsentGiverEnum")
ConsentPurposeField = enum_field(ConsentPurpose, "ConsentPurposeEnum")
PartnerKindField = enum_field(PartnerKind, "PartnerKindEnum")


@extend_schema_field(
    {"type": "string", "enum": list(PairStatus.values)}, component_name="PairStatusEnum"
)
class PairStatusField(serializers.ChoiceField):
    """The pair's status as its own schema component (meetings have other enums)."""
