"""Reads of the indicators, all aggregates, in the order they build on each other:

- `queries` and `counts`: the named cross-tenant counts (people, pairs, contingents,
  targets, roadmaps), a fixed number of queries whatever the size of the tree;
- `survey`: satisfaction from the monitoring answers;
- `stored`: those counts kept per school and year in the database, recomputed for the
  schools whose rows are missing or stale; `cache`: what is kept in Redis, and how
  both are invalidated;
- `values`: the true values per school and year, summed upwards;
- `figures`: a value published, small counts hidden above the school;
- `dashboards`: the dashboard of a school, a municipality or a region;
- `results` and `growth`: a campaign's results and the participants' growth;
- `reports`: the report's content, shared by the PDF and the xlsx export;
- `charts`: the small server-side SVG charts the figures carry.
"""
