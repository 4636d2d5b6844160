"""Competitions in the API, under the same rules as the pages (registry/access.py).

At the municipality: its competitions with every nominee; at a school: the
municipality's competitions and the school's own nominees. A jury member reads and
writes their own scores from their own organisation's address.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from mentorship.api import TenantViewSet
from mentorship.models import User
from mentorship.tenancy.scoping import unscoped_reads
from registry import access
from registry.api.serializers.competitions import (
    CompetitionSerializer,
    CompetitionWriteSerializer,
    JuryWriteSerializer,
    NomineeSerializer,
    NomineeWriteSerializer,
    ScoreSerializer,
    ScoreSheetSerializer,
)
from registry.models import Competition, Criterion, Nomination, Participant, Score
from registry.selectors import competitions as selectors
from registry.services import competitions as service


def _with_parts(competitions) -> list[Competition]:
    """Nominations and criteria in two queries for the whole page (unscoped: a school
    reads its municipality's competition)."""
    ids = [c.pk for c in competitions]
    with unscoped_reads():
        nominations = list(Nomination.objects.filter(competition_id__in=ids))
        criteria = list(Criterion.objects.filter(competition_id__in=ids))
    for competition in competitions:
        competition._prefetched_objects_cache = {
            "nominations": [n for n in nominations if n.competition_id == competition.pk],
            "criteria": [c for c in criteria if c.competition_id == competition.pk],
        }
    return competitions


class CompetitionViewSet(TenantViewSet):
    lookup_url_kwarg = "competition_id"
    schema_tags = ["competitions"]
    action_summaries = {
        "list": _("Конкурсы муниципалитета"),
        "retrieve": _("Конкурс: номинации и критерии"),
        "create": _("Объявить конкурс"),
        "nominees": _("Участники конкурса (в школе — только её заявки)"),
        "nominate": _("Выдвинуть наставника школы"),
        "jury": _("Добавить члена жюри"),
        "publish": _("Опубликовать итоги"),
    }
    serializer_class = CompetitionSerializer
    input_serializers = {
        "create": CompetitionWriteSerializer,
        "nominate": NomineeWriteSerializer,
        "jury": JuryWriteSerializer,
    }
    action_roles = {
        "list": access.COMPETITIONS_READ,
        "retrieve": access.COMPETITIONS_READ,
        "create": access.COMPETITIONS_MANAGE,
        "nominees": access.COMPETITIONS_READ,
        "nominate": access.COMPETITIONS_NOMINATE,
        "jury": access.COMPETITIONS_MANAGE,
        "publish": access.COMPETITIONS_MANAGE,
    }

    def get_queryset(self):
        return Competition.objects.none()

    def _competition(self, competition_id) -> Competition:
        return selectors.competition_of(self.tenant.organization, competition_id)

    def list(self, request: Request, org_slug: str) -> Response:
        competitions = selectors.competitions_for(self.tenant.organization)
        page = self.paginate_queryset(competitions)
        data = CompetitionSerializer(_with_parts(page), many=True).data
        return self.get_paginated_response(data)

    def retrieve(self, request: Request, org_slug: str, competition_id: int) -> Response:
        return self.output(_with_parts([self._competition(competition_id)])[0])

    @extend_schema(request=CompetitionWriteSerializer, responses={201: CompetitionSerializer})
    def create(self, request: Request, org_slug: str) -> Response:
        data = self.valid_input(request)
        data["criteria"] = [(c["title"], c["max_score"]) for c in data["criteria"]]
        competition = service.competition_create(
            actor=request.user, organization=self.tenant.organization, **data
        )
        return self.output(_with_parts([competition])[0], status.HTTP_201_CREATED)

    @extend_schema(responses=NomineeSerializer(many=True))
    def nominees(self, request: Request, org_slug: str, competition_id: int) -> Response:
        competition = self._competition(competition_id)
        if self.tenant.is_school:
            rows = selectors.school_nominees(competition)
            for row in rows:
                row.organization = self.tenant.organization
        else:
            rows = selectors.unscoped_competition_nominees(competition)
        return Response(NomineeSerializer(rows, many=True).data)

    @extend_schema(request=NomineeWriteSerializer, responses={201: NomineeSerializer})
    def nominate(self, request: Request, org_slug: str, competition_id: int) -> Response:
        school = self.tenant.organization
        competition = self._competition(competition_id)
        data = self.valid_input(request)
        nominations, _criteria = selectors.nominations_and_criteria(competition)
        nomination = next((n for n in nominations if n.pk == data["nomination"]), None)
        if nomination is None:
            raise ValidationError({"nomination": [_("Выберите номинацию этого конкурса.")]})
        participant = None
        if data["participant"] is not None:
            participant = Participant.objects.filter(pk=data["participant"]).first()
            if participant is None:
                raise ValidationError({"participant": [_("Выберите наставника из реестра школы.")]})
        nominee = service.nominee_create(
            actor=request.user,
            school=school,
            competition=competition,
            nomination=nomination,
            participant=participant,
            practice_title=data["practice_title"],
            description=data["description"],
        )
        nominee.organization = school
        return Response(NomineeSerializer(nominee).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=JuryWriteSerializer, responses={201: None})
    def jury(self, request: Request, org_slug: str, competition_id: int) -> Response:
        competition = self._competition(competition_id)
        data = self.valid_input(request)
        user = User.objects.filter(pk=data["user"]).first()
        if user is None:
            raise ValidationError({"user": [_("Такого сотрудника нет.")]})
        service.jury_add(actor=request.user, competition=competition, user=user)
        return Response(status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=CompetitionSerializer)
    def publish(self, request: Request, org_slug: str, competition_id: int) -> Response:
        competition = service.competition_publish(
            actor=request.user, competition=self._competition(competition_id)
        )
        return self.output(_with_parts([competition])[0])


class JuryScoresViewSet(TenantViewSet):
    """A jury member's own scores of one competition (nominee × criterion)."""

    schema_tags = ["competitions"]
    action_summaries = {
        "list": _("Мои оценки участников конкурса"),
        "save": _("Сохранить мои оценки (пустое значение снимает оценку)"),
    }
    serializer_class = ScoreSerializer
    input_serializers = {"save": ScoreSheetSerializer}
    action_roles = {"list": access.COMPETITIONS_JURY, "save": access.COMPETITIONS_JURY}

    def get_queryset(self):
        return Score.objects.none()

    def _seat(self, jury_competition_id):
        try:
            return selectors.unscoped_jury_seat(
                self.request.user, self.tenant.organization, jury_competition_id
            )
        except Http404:
            raise Http404(_("Запись не найдена.")) from None

    def _scores(self, seat) -> list[dict]:
        with unscoped_reads():
            scores = Score.objects.filter(juror=seat).order_by("nominee_id", "criterion_id")
            return [
                {"nominee": s.nominee_id, "criterion": s.criterion_id, "value": s.value}
                for s in scores
            ]

    @extend_schema(responses=ScoreSerializer(many=True))
    def list(self, request: Request, org_slug: str, jury_competition_id: int) -> Response:
        seat = self._seat(jury_competition_id)
        return Response(ScoreSerializer(self._scores(seat), many=True).data)

    @extend_schema(request=ScoreSheetSerializer, responses=ScoreSerializer(many=True))
    def save(self, request: Request, org_slug: str, jury_competition_id: int) -> Response:
        seat = self._seat(jury_competition_id)
        data = self.valid_input(request)
        values = {(s["nominee"], s["criterion"]): s["value"] for s in data["scores"]}
        service.scores_save(actor=request.user, seat=seat, values=values)
        return Response(ScoreSerializer(self._scores(seat), many=True).data)
