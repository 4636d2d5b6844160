"""Reads of the registry that span relations, shaped for pages and the API.

people:    the registry list, a person's page, partners a person may represent;
consent:   consent badges and the "consent needed" queue;
pairs:     pair lists and a pair's page, stale pairs, the pairs an order lists;
municipal: named cross-tenant reads for the municipality (`unscoped_...`): the mentor
           base of consenting adults and suppressed counts, never pupils' names.

Each runs inside the request's tenant scope unless its name says `unscoped_`.
"""
