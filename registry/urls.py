from django.urls import include, path

from registry import views

urlpatterns = [
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/<int:programme_id>/", views.programme_detail, name="programme_detail"),
    # The school's registry of mentors and mentees (personal data: school level only).
    path("registry/", include("registry.subject_urls")),
    path("registry/", include("registry.participant_urls")),
    path("registry/import/", include("registry.import_urls")),
    # Pairs and groups of the school's programmes.
    path("pairs/order/", include("registry.pair_order_urls")),
    path("pairs/", include("registry.pair_urls")),
    # Partner organisations and, at a municipality, the municipal mentor base.
    path("partners/", include("registry.partner_urls")),
]
