"""Web forms of the indicators: the year, an organisation's contingent, its targets."""
