"""Writes to the registry, each one audited transaction.

participants: people, their questionnaires and needs, partner organisations;
consent:      consents under 152-ФЗ, withdrawal and depersonalisation.
"""
