from django.dispatch import Signal

# Sent after a new organisation is committed; receivers get `organization`.
organization_created = Signal()
