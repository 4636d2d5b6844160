"""A participant's own page, /p/<token>/, mounted outside /o/<org_slug>/.

No account: the unguessable token of the person's magic link is the key
(registry/services/links.py; tests/registry/test_participant_page.py; reviewed in the
permission matrix's PUBLIC_PATTERNS). A forged, revoked or reissued token, or a person
whose consent is no longer valid, gets the same 404.
"""

from django.urls import path

from registry.views import links

app_name = "participant_page"

urlpatterns = [
    path("<slug:token>/", links.participant_home, name="home"),
    path("<slug:token>/tasks/<int:task_id>/", links.participant_task, name="task"),
    path("<slug:token>/calendar/", links.participant_feed, name="feed"),
]
