"""Behaviour: one class per behaviour, owning transactions and storage; plain dicts out."""
