"""Every page of the registry, mounted under /o/<org_slug>/ (namespace "registry").

URL kwargs are `participant_id`, `consent_id`, `partner_id`, `programme_id`, `pair_id`,
`plan_id`, `group_meeting_id`, `planned_meeting_id`, `course_id`, `council_id`,
`council_meeting_id` and `token` only: the permission matrix knows how to make a foreign
one of each. `calendar.ics` is opened by a secret token
instead of a login (`tenant_token_view`): the matrix reviews it apart.
"""

from django.urls import path

from registry.views import (
    acts,
    calendar,
    competitions,
    consent,
    council,
    group_meetings,
    importing,
    links,
    matching,
    mentor_base,
    pair_order,
    pairs,
    partners,
    people,
    plans,
    programmes,
    regional,
    school,
    subject_rights,
)

app_name = "registry"

urlpatterns = [
    # Mentoring programmes of the school.
    path("programmes/", programmes.programme_list, name="programme_list"),
    path("programmes/new/", programmes.programme_create, name="programme_create"),
    path(
        "programmes/<int:programme_id>/",
        programmes.programme_detail,
        name="programme_detail",
    ),
    path(
        "programmes/<int:programme_id>/edit/",
        programmes.programme_edit,
        name="programme_edit",
    ),
    path(
        "programmes/<int:programme_id>/close/",
        programmes.programme_close,
        name="programme_close",
    ),
    path(
        "programmes/<int:programme_id>/reopen/",
        programmes.programme_reopen,
        name="programme_reopen",
    ),
    # Group meetings of the programmes and the choices after them (issue 15).
    path("group-meetings/", group_meetings.group_meeting_list, name="group_meeting_list"),
    path(
        "group-meetings/<int:group_meeting_id>/",
        group_meetings.group_meeting_detail,
        name="group_meeting_detail",
    ),
    path(
        "group-meetings/<int:group_meeting_id>/invite/",
        group_meetings.group_meeting_invite,
        name="group_meeting_invite",
    ),
    path(
        "group-meetings/<int:group_meeting_id>/attendance/",
        group_meetings.group_meeting_attendance,
        name="group_meeting_attendance",
    ),
    # The school's registry of mentors and mentees (personal data: school level only).
    path("registry/", people.participant_list, name="participant_list"),
    path("registry/bulk/", people.participant_bulk, name="participant_bulk"),
    path("registry/new/", people.participant_create_view, name="participant_create"),
    path("registry/consents/", consent.consent_queue, name="consent_queue"),
    path("registry/consents/record/", consent.consent_queue_record, name="consent_queue_record"),
    path(
        "registry/consents/<int:consent_id>/withdraw/",
        consent.consent_withdraw_view,
        name="consent_withdraw",
    ),
    path("registry/consents/<int:consent_id>/scan/", consent.consent_scan, name="consent_scan"),
    # Import and export: before the person's pages, whose id would not match these words.
    path("registry/import/", importing.upload, name="import"),
    # Before the token patterns: these words would otherwise read as (bad) tokens.
    path("registry/import/template/", importing.template, name="import_template"),
    path("registry/import/export/", importing.export, name="export"),
    path("registry/import/<slug:token>/", importing.preview, name="import_preview"),
    path("registry/import/<slug:token>/failed/", importing.failed_rows, name="import_failed"),
    path("registry/<int:participant_id>/", people.participant_detail, name="participant_detail"),
    # The person's magic link: issued (or reissued) and revoked by the curator.
    path(
        "registry/<int:participant_id>/link/",
        links.participant_link_issue,
        name="participant_link_issue",
    ),
    path(
        "registry/<int:participant_id>/link/revoke/",
        links.participant_link_revoke,
        name="participant_link_revoke",
    ),
    path(
        "registry/<int:participant_id>/edit/",
        people.participant_edit_view,
        name="participant_edit",
    ),
    path(
        "registry/<int:participant_id>/consents/",
        consent.consent_record_view,
        name="consent_record",
    ),
    path(
        "registry/<int:participant_id>/consent-form/",
        consent.consent_form_pdf,
        name="participant_consent_form",
    ),
    path(
        "registry/<int:participant_id>/questionnaire/",
        people.mentor_profile_view,
        name="mentor_profile_save",
    ),
    path("registry/<int:participant_id>/needs/", people.need_add_view, name="mentee_need_add"),
    path(
        "registry/<int:participant_id>/assessments/",
        people.assessment_add_view,
        name="entry_assessment_add",
    ),
    # The data subject's rights (152-ФЗ).
    path(
        "registry/<int:participant_id>/access-log/",
        subject_rights.participant_access_log,
        name="participant_access_log",
    ),
    path(
        "registry/<int:participant_id>/subject-export/",
        subject_rights.participant_subject_export,
        name="participant_subject_export",
    ),
    # Pairs and groups of the school's programmes; the order before the pair pages.
    path("pairs/order/", pair_order.pair_order_issue_view, name="pair_order_issue"),
    path("pairs/", pairs.pair_list, name="pair_list"),
    path("pairs/stale/", pairs.pair_stale_panel, name="pair_stale_panel"),
    path(
        "pairs/programmes/<int:programme_id>/matching/",
        matching.programme_matching,
        name="programme_matching",
    ),
    path(
        "pairs/programmes/<int:programme_id>/matching/capacity/",
        matching.programme_matching_capacity,
        name="programme_matching_capacity",
    ),
    path(
        "pairs/programmes/<int:programme_id>/matching/options/",
        matching.programme_matching_options,
        name="programme_matching_options",
    ),
    path("pairs/programmes/<int:programme_id>/new/", pairs.pair_create, name="pair_create"),
    path("pairs/<int:pair_id>/", pairs.pair_detail, name="pair_detail"),
    path("pairs/<int:pair_id>/edit/", pairs.pair_edit, name="pair_edit"),
    path("pairs/<int:pair_id>/status/", pairs.pair_status, name="pair_status"),
    path("pairs/<int:pair_id>/resume/", pairs.pair_resume_view, name="pair_resume"),
    path("pairs/<int:pair_id>/meetings/", pairs.meeting_add, name="meeting_add"),
    # Meetings planned ahead, the calendar and its private feed.
    path("pairs/<int:pair_id>/planned/", calendar.meeting_plan_view, name="meeting_plan"),
    path(
        "pairs/planned/<int:planned_meeting_id>/edit/",
        calendar.meeting_plan_edit,
        name="meeting_plan_edit",
    ),
    path(
        "pairs/planned/<int:planned_meeting_id>/cancel/",
        calendar.meeting_plan_cancel,
        name="meeting_plan_cancel",
    ),
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("calendar/feed/", calendar.calendar_feed_issue, name="calendar_feed_issue"),
    path("calendar/feed/revoke/", calendar.calendar_feed_revoke, name="calendar_feed_revoke"),
    path("calendar.ics", calendar.calendar_ics, name="calendar_ics"),
    path("pairs/<int:pair_id>/plans/", plans.plan_add, name="plan_add"),
    path("pairs/plans/<int:plan_id>/", plans.plan_detail, name="plan_detail"),
    path("pairs/plans/<int:plan_id>/tasks/", plans.plan_task, name="plan_task"),
    # Partner organisations and, at a municipality, the municipal mentor base.
    path("acts/", acts.local_acts, name="local_acts"),
    path("partners/", partners.partner_list, name="partner_list"),
    path("partners/new/", partners.partner_create, name="partner_create"),
    path("partners/<int:partner_id>/edit/", partners.partner_edit, name="partner_edit"),
    path("partners/<int:partner_id>/delete/", partners.partner_delete, name="partner_delete"),
    path("partners/mentor-base/", mentor_base.mentor_base, name="mentor_base"),
    # The school of mentors: courses of a school or a municipality.
    path("school/", school.course_list, name="course_list"),
    path("school/new/", school.course_create, name="course_create"),
    path("school/<int:course_id>/", school.course_detail, name="course_detail"),
    path("school/<int:course_id>/edit/", school.course_edit, name="course_edit"),
    path("school/<int:course_id>/sessions/", school.course_session_add, name="course_session_add"),
    path("school/<int:course_id>/enroll/", school.course_enroll, name="course_enroll"),
    path("school/<int:course_id>/unenroll/", school.course_unenroll, name="course_unenroll"),
    path("school/<int:course_id>/attendance/", school.course_attendance, name="course_attendance"),
    path(
        "school/<int:course_id>/certificates/",
        school.course_certificates,
        name="course_certificates",
    ),
    # Mentors' councils, their meetings and decisions.
    path("council/", council.council_list, name="council_list"),
    path("council/<int:council_id>/", council.council_detail, name="council_detail"),
    path(
        "council/<int:council_id>/members/", council.council_member_add, name="council_member_add"
    ),
    path(
        "council/<int:council_id>/members/remove/",
        council.council_member_remove,
        name="council_member_remove",
    ),
    path("council/<int:council_id>/plan/", council.council_plan_add, name="council_plan_add"),
    path(
        "council/<int:council_id>/meetings/",
        council.council_meeting_add,
        name="council_meeting_add",
    ),
    path(
        "council/meetings/<int:council_meeting_id>/",
        council.council_meeting_detail,
        name="council_meeting_detail",
    ),
    path(
        "council/meetings/<int:council_meeting_id>/minutes/",
        council.council_meeting_minutes,
        name="council_meeting_minutes",
    ),
    path(
        "council/meetings/<int:council_meeting_id>/decisions/",
        council.council_decision_add,
        name="council_decision_add",
    ),
    path(
        "council/meetings/<int:council_meeting_id>/decisions/done/",
        council.council_decision_done,
        name="council_decision_done",
    ),
    path(
        "council/meetings/<int:council_meeting_id>/protocol/",
        council.council_protocol,
        name="council_protocol",
    ),
    # Competitions: the municipality's, a school's nominations, the jury's screen.
    path("contests/", competitions.competition_list, name="competition_list"),
    path("contests/new/", competitions.competition_create, name="competition_create"),
    path("contests/jury/", competitions.jury_list, name="jury_list"),
    path(
        "contests/jury/<int:jury_competition_id>/",
        competitions.jury_sheet,
        name="jury_sheet",
    ),
    path(
        "contests/jury/<int:jury_competition_id>/files/<int:nominee_id>/",
        competitions.jury_nominee_file,
        name="jury_nominee_file",
    ),
    path(
        "contests/<int:competition_id>/files/<int:nominee_id>/",
        competitions.nominee_file,
        name="nominee_file",
    ),
    path(
        "contests/<int:competition_id>/",
        competitions.competition_detail,
        name="competition_detail",
    ),
    path(
        "contests/<int:competition_id>/jury/",
        competitions.competition_jury_add,
        name="competition_jury_add",
    ),
    path(
        "contests/<int:competition_id>/nominate/",
        competitions.competition_nominate,
        name="competition_nominate",
    ),
    path(
        "contests/<int:competition_id>/publish/",
        competitions.competition_publish,
        name="competition_publish",
    ),
    path(
        "contests/<int:competition_id>/documents/",
        competitions.competition_document,
        name="competition_document",
    ),
    # Rewards: the reward order and thank-you letters from chosen people and partners.
    path("rewards/", competitions.rewards, name="rewards"),
    # At a region: the programme bank and the mentor base as counts.
    path("regional-bank/", regional.regional_bank, name="regional_bank"),
]
