"""Web forms of monitoring: the questionnaire builder and starting a campaign."""
