"""REST API of monitoring under /api/v1/o/<org_slug>/, in the namespace `monitoring_api`.

Routes are spelled out, with the URL kwargs of the web pages (`questionnaire_id`,
`campaign_id`, `school_campaign_id`), so the permission matrix fills them in by name.
"""

from django.urls import path

from monitoring.api.intake import IntakeViewSet
from monitoring.api.viewsets import (
    CampaignViewSet,
    PracticeBankViewSet,
    PracticeViewSet,
    QuestionnaireViewSet,
    SchoolCampaignViewSet,
)

app_name = "monitoring_api"

urlpatterns = [
    path(
        "monitoring/questionnaires/",
        QuestionnaireViewSet.as_view({"get": "list"}),
        name="questionnaire_list",
    ),
    path(
        "monitoring/questionnaires/<int:questionnaire_id>/",
        QuestionnaireViewSet.as_view({"get": "retrieve"}),
        name="questionnaire_detail",
    ),
    path(
        "monitoring/campaigns/",
        CampaignViewSet.as_view({"get": "list", "post": "create"}),
        name="campaign_list",
    ),
    path(
        "monitoring/campaigns/<int:campaign_id>/",
        CampaignViewSet.as_view({"get": "retrieve"}),
        name="campaign_detail",
    ),
    path(
        "monitoring/school-campaigns/",
        SchoolCampaignViewSet.as_view({"get": "list"}),
        name="school_campaign_list",
    ),
    path(
        "monitoring/school-campaigns/<int:school_campaign_id>/",
        SchoolCampaignViewSet.as_view({"get": "retrieve"}),
        name="school_campaign_detail",
    ),
    path(
        "monitoring/school-campaigns/<int:school_campaign_id>/invite/",
        SchoolCampaignViewSet.as_view({"post": "invite"}),
        name="school_campaign_invite",
    ),
    path(
        "monitoring/school-campaigns/<int:school_campaign_id>/results/",
        SchoolCampaignViewSet.as_view({"get": "results"}),
        name="school_campaign_results",
    ),
    path(
        "practices/",
        PracticeViewSet.as_view({"get": "list", "post": "create"}),
        name="practice_list",
    ),
    path(
        "practices/bank/",
        PracticeBankViewSet.as_view({"get": "list"}),
        name="practice_bank",
    ),
    path(
        "practices/<int:practice_id>/",
        PracticeViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="practice_detail",
    ),
    path(
        "practices/<int:practice_id>/submit/",
        PracticeViewSet.as_view({"post": "submit"}),
        name="practice_submit",
    ),
    path(
        "practices/<int:practice_id>/review/",
        PracticeViewSet.as_view({"post": "review"}),
        name="practice_review",
    ),
    path(
        "practices/<int:practice_id>/files/",
        PracticeViewSet.as_view({"post": "attach"}),
        name="practice_files",
    ),
    path(
        "practices/<int:practice_id>/to-region/",
        PracticeViewSet.as_view({"post": "pass_to_region"}),
        name="practice_pass_to_region",
    ),
    # Candidates' intake questionnaires and the choice after a group meeting (issue 15).
    path(
        "intake/candidates/",
        IntakeViewSet.as_view({"get": "candidates"}),
        name="intake_candidates",
    ),
    path("intake/send/", IntakeViewSet.as_view({"post": "send"}), name="intake_send"),
    path("intake/review/", IntakeViewSet.as_view({"get": "review"}), name="intake_review"),
    path(
        "intake/review/accept-all/",
        IntakeViewSet.as_view({"post": "accept_all"}),
        name="intake_accept_all",
    ),
    path(
        "intake/review/<int:response_id>/accept/",
        IntakeViewSet.as_view({"post": "accept"}),
        name="intake_accept",
    ),
    path(
        "group-meetings/<int:group_meeting_id>/choice-links/",
        IntakeViewSet.as_view({"post": "choice_links"}),
        name="choice_links",
    ),
]
