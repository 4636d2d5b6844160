"""Issuing the order on pairs, and where its document stands."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from mentorship.documents.services import MAX_NUMBER_LENGTH
from mentorship.query import IdField

# --- The order ------------------------------------------------------------------------------


class OrderRequestSerializer(serializers.Serializer):
    pair_ids = serializers.ListField(
        child=IdField(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "Пары приказа; без них — все предложенные и утверждённые пары программ текущего года."
        ),
    )
    date = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "Дата приказа (не дальше двух недель вперёд); без неё — сегодня. Пары начинаются "
            "с этой даты."
        ),
    )
    number = serializers.CharField(
        max_length=MAX_NUMBER_LENGTH,
        required=False,
        allow_blank=True,
        allow_null=True,
        trim_whitespace=False,
        default=None,
        help_text=_(
            "Номер приказа по книге приказов школы; без него — следующий по журналу портала "
            "за год. Пустой номер не принимается; номер другого приказа на пары за тот же "
            "год — 409."
        ),
    )


class OrderSerializer(serializers.Serializer):
    document = serializers.IntegerField(source="pk")
    number = serializers.CharField()
    date = serializers.DateField()
    status = serializers.CharField()
    error = serializers.CharField()
    pair_ids = serializers.ListField(child=serializers.IntegerField(), source="params.pair_ids")
    detail_url = serializers.CharField()
    download_url = serializers.CharField(allow_null=True)
