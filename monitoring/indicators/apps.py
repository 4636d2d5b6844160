from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class IndicatorsConfig(AppConfig):
    # A separate app inside monitoring/: its own migrations, so that the questionnaires
    # and the indicators can be built side by side without clashing migration graphs.
    name = "monitoring.indicators"
    label = "indicators"
    verbose_name = "Показатели целевой модели"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The stored per-school counts (and the Redis generations the region's whole
        # pages are keyed by) are marked stale when what they count changes
        # (monitoring/indicators/services/stored.py). Connected here, by name.
        from mentorship.models import Organization
        from mentorship.signals import bulk_rows_changed
        from monitoring.indicators.models import Contingent, Target, YearSubmission
        from monitoring.indicators.selectors import cache
        from monitoring.indicators.services import stored
        from monitoring.models import Response
        from registry.models import Pair, PairMember, Participant
        from roadmaps.models import Activity, Roadmap

        # Writes that bypass the model signals say so explicitly (bulk, raw SQL).
        bulk_rows_changed.connect(stored.rows_changed, dispatch_uid="ind-bulk-rows")
        receivers = (
            (Pair, stored.pair_changed),
            (PairMember, stored.school_changed),
            (Participant, stored.school_changed),
            # A response is saved once per submission (its answers are written in bulk).
            (Response, stored.response_changed),
        )
        for signal in (post_save, post_delete):
            for model, receiver in receivers:
                signal.connect(
                    receiver, sender=model, dispatch_uid=f"ind-{model.__name__}-{id(signal)}"
                )
            # A submission or a return changes the «сдан» column of the region's pages.
            for model in (Contingent, Target, Roadmap, Activity, Organization, YearSubmission):
                signal.connect(
                    cache.inputs_changed,
                    sender=model,
                    dispatch_uid=f"ind-inputs-{model.__name__}-{id(signal)}",
                )

        from mentorship.home import register_home_context
        from mentorship.tenancy.rules import MUNICIPALITY, REGION
        from monitoring.indicators.selectors.oversight import oversight_home_figures

        # The region's comments waiting for the municipality's answer; at the region,
        # where each municipality's year stands (issue 17).
        register_home_context(oversight_home_figures, levels=(MUNICIPALITY, REGION), figures=True)
