"""A programme's matching suggestions with their reasons, and accepting them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from mentorship.query import IdField

# --- Suggestions ----------------------------------------------------------------------------


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()
    points = serializers.FloatField()


class SuggestionSerializer(serializers.Serializer):
    mentor = PersonRefSerializer()
    mentee = PersonRefSerializer()
    score = serializers.FloatField()
    reasons = ReasonSerializer(many=True)


class SuggestionsSerializer(serializers.Serializer):
    programme = serializers.IntegerField()
    suggestions = SuggestionSerializer(many=True)
    unmatched = PersonRefSerializer(
        many=True, help_text=_("Наставляемые без пары: поддержка и продолжение поиска.")
    )
    without_consent = serializers.IntegerField(
        help_text=_("Сколько людей формы программы не вошли в подбор: нет согласия.")
    )
    total_score = serializers.FloatField()


class ChosenPairSerializer(serializers.Serializer):
    mentor = IdField()
    mentee = IdField()


class AcceptSerializer(serializers.Serializer):
    pairs = ChosenPairSerializer(many=True, allow_empty=False)
