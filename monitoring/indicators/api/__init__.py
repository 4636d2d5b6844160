"""REST API of the indicators under /api/v1/o/<org_slug>/indicators/."""
