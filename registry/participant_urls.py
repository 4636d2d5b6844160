"""The school's registry under /o/<org_slug>/registry/ (curator writes, school viewer reads).

URL kwargs are `participant_id` and `consent_id` only: the permission matrix knows how to
make a foreign one of each.
"""

from django.urls import path

from registry.web import lists, people, records

urlpatterns = [
    path("", lists.participant_list, name="participant_list"),
    path("bulk/", lists.participant_bulk, name="participant_bulk"),
    path("new/", people.participant_create_view, name="participant_create"),
    path("consents/", lists.consent_queue, name="consent_queue"),
    path(
        "consents/<int:consent_id>/withdraw/",
        records.consent_withdraw_view,
        name="consent_withdraw",
    ),
    path("consents/<int:consent_id>/scan/", records.consent_scan, name="consent_scan"),
    path("<int:participant_id>/", people.participant_detail, name="participant_detail"),
    path("<int:participant_id>/edit/", people.participant_edit_view, name="participant_edit"),
    path(
        "<int:participant_id>/consents/",
        records.consent_record_view,
        name="consent_record",
    ),
    path(
        "<int:participant_id>/questionnaire/",
        records.mentor_profile_view,
        name="mentor_profile_save",
    ),
    path("<int:participant_id>/needs/", records.need_add_view, name="mentee_need_add"),
    path(
        "<int:participant_id>/assessments/",
        records.assessment_add_view,
        name="entry_assessment_add",
    ),
    path(
        "<int:participant_id>/consent-form/",
        records.consent_form_pdf,
        name="participant_consent_form",
    ),
]
