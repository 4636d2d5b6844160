"""The participant's questionnaire page, /q/<token>/, mounted outside /o/<org_slug>/.

A second urlconf because this page belongs to no organisation's URL: the participant has
no account and the unguessable token is the key (tests/monitoring/test_public.py;
reviewed in the permission matrix's PUBLIC_PATTERNS). The root urlconf includes apps by
dotted path (the core imports no feature app), and `include()` by path reads a module's
`urlpatterns`, so the page cannot share the list of the tenant pages in urls.py.
"""

from django.urls import path

from monitoring.views import public

app_name = "monitoring_public"

urlpatterns = [
    path("<slug:token>/", public.answer, name="answer"),
]
