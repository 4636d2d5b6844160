"""The model's indicators against targets: contingents (denominators), targets, the
dashboards of a school, a municipality and a region, and the school and municipal
reports. Figures are computed live from the registry and the pairs."""
