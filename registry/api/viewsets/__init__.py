"""Viewsets of the registry API, one module per feature; each write is one service call.

Querysets are the tenant's by construction (TenantMiddleware activates the scope of the
URL's organisation), so another organisation's id is simply not found: 404. Who may run
which action is `action_roles`, built from the named rules of registry/access.py, the
same objects the web pages use.
"""
