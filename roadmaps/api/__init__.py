"""REST API of roadmaps: thin viewsets over `roadmaps.services`, guarded by the rules of
`roadmaps.access` (the same the web pages use), mounted by `roadmaps.api.urls`.

serializers: the shapes in and out (writes are validated here, performed by services);
filters:     query parameters of the roadmap and activity lists;
viewsets:    roadmaps, sections, activities, progress and the municipal matrix;
urls:        the routes, spelled out, namespace "roadmaps_api".
"""
