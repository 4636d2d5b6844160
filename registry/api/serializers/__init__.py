"""Shapes of the registry API, one module per feature. Input serializers only check
types and shapes; the services validate the rules (in Russian) and write."""
