"""Nothing of monitoring (nor of monitoring.indicators) is registered in Django's admin, on
purpose: invitations, responses and answers are pupils' personal data that never leave
their school, and the admin reads across tenants (the scoped managers would refuse it
anyway). Questionnaires are built in the portal's builder, campaigns run on its pages,
contingents and targets are entered on the indicators' pages, every write audited by
its service."""
