"""Tenancy in one place: resolution from the URL, scoping of queries, access helpers.

The organisation comes from the URL (/o/<slug>/...), is resolved once per request by
TenantMiddleware and checked against the user's memberships; tenant models use
TenantManager so that a query without an active scope raises instead of leaking.
"""
