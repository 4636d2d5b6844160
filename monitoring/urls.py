"""Monitoring's pages, mounted under /o/<org_slug>/ in the namespace `monitoring`.

Municipal campaign pages take `campaign_id`; a school reaches a campaign through its own
CampaignSchool row (`school_campaign_id`), so no school page ever looks up the
municipality's rows. The participant's page /q/<token>/ is in urls_public.py.

The bank of best practices: a school's practices under practices/ (`practice_id`,
`file_id`), the municipal bank under practices/bank/.
"""

from django.urls import path

from monitoring.views import campaigns, intake, practices, questionnaires

app_name = "monitoring"

urlpatterns = [
    path(
        "monitoring/questionnaires/",
        questionnaires.questionnaire_list,
        name="questionnaire_list",
    ),
    path(
        "monitoring/questionnaires/<int:questionnaire_id>/",
        questionnaires.questionnaire_detail,
        name="questionnaire_detail",
    ),
    path(
        "monitoring/questionnaires/<int:questionnaire_id>/preview/",
        questionnaires.questionnaire_preview,
        name="questionnaire_preview",
    ),
    path("monitoring/", campaigns.campaign_list, name="campaign_list"),
    # Candidates' intake questionnaires and the review of their answers (issue 15).
    path("intake/", intake.intake, name="intake"),
    path("intake/send/", intake.intake_send, name="intake_send"),
    path("intake/review/", intake.intake_review, name="intake_review"),
    path("intake/review/accept-all/", intake.intake_accept_all, name="intake_accept_all"),
    path("intake/review/<int:response_id>/accept/", intake.intake_accept, name="intake_accept"),
    # The personal links of the choice after a group meeting.
    path(
        "group-meetings/<int:group_meeting_id>/choice-links/",
        intake.choice_send,
        name="choice_send",
    ),
    path(
        "group-meetings/<int:group_meeting_id>/choice-links/sheet/",
        intake.choice_sheet,
        name="choice_sheet",
    ),
    path(
        "monitoring/campaigns/<int:campaign_id>/", campaigns.campaign_detail, name="campaign_detail"
    ),
    path(
        "monitoring/campaigns/<int:campaign_id>/close/",
        campaigns.campaign_close,
        name="campaign_close",
    ),
    path(
        "monitoring/school/<int:school_campaign_id>/",
        campaigns.school_campaign,
        name="school_campaign",
    ),
    path(
        "monitoring/school/<int:school_campaign_id>/invite/",
        campaigns.school_campaign_invite,
        name="school_campaign_invite",
    ),
    path(
        "monitoring/school/<int:school_campaign_id>/sheet/",
        campaigns.school_campaign_sheet,
        name="school_campaign_sheet",
    ),
    path("practices/", practices.practice_list, name="practice_list"),
    path("practices/new/", practices.practice_create, name="practice_create"),
    path("practices/bank/", practices.practice_bank, name="practice_bank"),
    path("practices/<int:practice_id>/", practices.practice_detail, name="practice_detail"),
    path("practices/<int:practice_id>/edit/", practices.practice_edit, name="practice_edit"),
    path("practices/<int:practice_id>/submit/", practices.practice_submit, name="practice_submit"),
    path("practices/<int:practice_id>/review/", practices.practice_review, name="practice_review"),
    path(
        "practices/<int:practice_id>/to-region/",
        practices.practice_pass_to_region,
        name="practice_pass_to_region",
    ),
    path(
        "practices/<int:practice_id>/files/<int:file_id>/",
        practices.practice_file,
        name="practice_file",
    ),
    path(
        "practices/<int:practice_id>/files/<int:file_id>/delete/",
        practices.practice_file_delete,
        name="practice_file_delete",
    ),
]
