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


class BlockerSerializer(serializers.Serializer):
    mentee = PersonRefSerializer()
    code = serializers.ChoiceField(
        choices=["no_consent", "no_mentor", "age", "rules", "low_score", "capacity", "skipped"],
        help_text=_(
            "Почему без пары: нет согласия, нет наставников формы, возрастное правило формы, "
            "другие правила формы, оценка ниже порога, места наставников заняты, отклонено."
        ),
    )
    text = serializers.CharField()
    fix = serializers.CharField(
        help_text=_("Что исправить: consent, consent_queue, mentors, card, capacity, restore.")
    )
    mentor_ids = serializers.ListField(child=serializers.IntegerField())


class MentorCapacitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    capacity = serializers.IntegerField(help_text=_("Сколько наставляемых берёт всего."))
    load = serializers.IntegerField(help_text=_("Наставляемых уже в парах."))
    free = serializers.IntegerField()
    source = serializers.ChoiceField(
        choices=["questionnaire", "registry", "default"],
        help_text=_("Откуда число: анкета, реестр (без анкеты), по умолчанию (анкеты нет)."),
    )
    filled_on = serializers.DateField(allow_null=True)


class SuggestionsSerializer(serializers.Serializer):
    programme = serializers.IntegerField()
    suggestions = SuggestionSerializer(many=True)
    unmatched = PersonRefSerializer(
        many=True, help_text=_("Наставляемые без пары: поддержка и продолжение поиска.")
    )
    blocked = BlockerSerializer(
        many=True,
        help_text=_("Каждый наставляемый программы без предложения, с причиной (и без согласия)."),
    )
    mentors = MentorCapacitySerializer(many=True)
    without_consent = serializers.IntegerField(
        help_text=_("Сколько людей формы программы не вошли в подбор: нет согласия.")
    )
    total_score = serializers.FloatField()


class ChosenPairSerializer(serializers.Serializer):
    mentor = IdField()
    mentee = IdField()


class AcceptSerializer(serializers.Serializer):
    pairs = ChosenPairSerializer(many=True, allow_empty=False)


class CapacityItemSerializer(serializers.Serializer):
    mentor = serializers.IntegerField(min_value=1)
    capacity = serializers.IntegerField()


class CapacitySerializer(serializers.Serializer):
    capacities = CapacityItemSerializer(many=True, allow_empty=False)
