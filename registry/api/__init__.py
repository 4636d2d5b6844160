"""REST API of the registry: thin viewsets over `registry.services`, one `urls.py`.

base:        the viewset base (input serializers per action, output, schema mode);
filters:     query parameters of the participant and pair lists;
serializers: the shapes in and out, one module per feature (writes are validated by the
             services);
viewsets:    people, consent, partners, mentor_base, programmes (with matching), pairs
             (with meetings), pair_order; every `action_roles` uses registry/access.py.
"""
