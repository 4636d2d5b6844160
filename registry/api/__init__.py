"""REST API of the registry: thin viewsets over `registry.services`, mounted by api_urls.

roles:       who may run which action, per level (also read by the web pages);
serializers: the shapes in and out (writes are validated here, performed by services);
filters:     query parameters of the participant list;
views:       participants, consents, partners, the municipal mentor base and counts.
"""
