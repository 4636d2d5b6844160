"""REST API of roadmaps: thin viewsets over `roadmaps.services`, mounted by `api_urls`.

roles:       who may run which action, at school and at municipality level;
serializers: the shapes in and out (writes are validated here, performed by services);
filters:     query parameters of the activity list;
views:       roadmaps, sections, activities, progress and the municipal matrix.
"""
