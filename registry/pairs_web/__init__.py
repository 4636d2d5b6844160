"""Web pages of pairs and groups: the list, matching, a pair's page, meetings and plans."""
