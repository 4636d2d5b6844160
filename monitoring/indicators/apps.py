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
        # The cached per-year counts of large trees are dropped when what they count
        # changes (monitoring/indicators/selectors/cache.py). Connected here, by name.
        from mentorship.models import Organization
        from monitoring.indicators.models import Contingent, Target, YearSubmission
        from monitoring.indicators.selectors import cache
        from monitoring.models import Response
        from registry.models import Pair, PairMember, Participant
        from registry.signals import rows_written_in_bulk
        from roadmaps.models import Activity, Roadmap

        for signal in (post_save, post_delete):
            signal.connect(cache.pair_changed, sender=Pair, dispatch_uid=f"ind-pair-{id(signal)}")
            # A response is saved once per submission (its answers are written in bulk).
            for model in (PairMember, Participant, Response):
                signal.connect(
                    cache.anything_changed,
                    sender=model,
                    dispatch_uid=f"ind-{model.__name__}-{id(signal)}",
                )
            # A submission or a return changes the «сдан» column of the region's pages.
            for model in (Contingent, Target, Roadmap, Activity, Organization, YearSubmission):
                signal.connect(
                    cache.inputs_changed,
                    sender=model,
                    dispatch_uid=f"ind-inputs-{model.__name__}-{id(signal)}",
                )

        # What the registry writes around the model signals (bulk updates and inserts).
        rows_written_in_bulk.connect(cache.rows_written_in_bulk, dispatch_uid="ind-bulk")

        from mentorship.home import register_home_context
        from mentorship.tenancy.rules import MUNICIPALITY, REGION
        from monitoring.indicators.selectors.oversight import oversight_home_figures

        # The region's comments waiting for the municipality's answer; at the region,
        # where each municipality's year stands (issue 17).
        register_home_context(oversight_home_figures, levels=(MUNICIPALITY, REGION), figures=True)
