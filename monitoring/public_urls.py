from django.urls import path

from monitoring import public_views

# Mounted at /q/ outside /o/<org_slug>/: the participant has no account; the token is
# the key (see tests/mentorship/test_permission_matrix.py, PUBLIC_PATTERNS).
urlpatterns = [
    path("<slug:token>/", public_views.answer, name="public_answer"),
]
