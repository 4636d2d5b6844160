"""Reads of monitoring that span relations or tenants. Above the school, counts only."""
