"""REST API of programmes, suggestions, pairs, meetings and the order on pairs.

Mounted under /api/v1/o/<org_slug>/ by registry/pair_api_urls.py. Every write is one
call of a service (`registry.services.pairs`, `.matching`, `.pair_order`); the viewsets
only validate input shapes, pick the row within the tenant (another school's id: 404)
and check the role of the action (`roles.py`).
"""
