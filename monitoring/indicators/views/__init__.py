"""Pages of the indicators: dashboards, contingent and target forms, exports, results."""
