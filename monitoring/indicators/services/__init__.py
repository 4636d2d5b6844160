"""Writes of the indicators: an organisation's contingent and its own targets; the
stored per-school counts marked stale when what they count changes (`stored`)."""
