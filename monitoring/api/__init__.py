"""REST API of monitoring under /api/v1/o/<org_slug>/: questionnaires, campaigns and the
school's view of a campaign. Reads are counts above the school; writes go through
`monitoring.services`."""
