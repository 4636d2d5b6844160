"""Notifications: in-app messages for a user and the ledger that keeps reminders single.

The app is core infrastructure: it knows nothing about roadmaps or monitoring. Apps
that remind people about something (an activity's deadline, a campaign's closing date)
claim deliveries in the ledger, send, and leave in-app notifications here.
"""
