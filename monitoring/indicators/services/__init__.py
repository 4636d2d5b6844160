"""Writes of the indicators: an organisation's contingent and its own targets."""
