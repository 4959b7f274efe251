"""Exports of one's posts: make one, and sweep (expire those past their day, hand on those whose
worker was lost). Thin: the behaviour is `controllers/exports.py`'s."""
from __future__ import annotations

from celery import shared_task

from controllers.exports import ExportController


@shared_task(name='exports.make')
def make(export_id: int) -> str:
    """Write the file of an export, batch by batch; the outcome."""
    return ExportController().make(export_id)


@shared_task(name='exports.sweep')
def sweep() -> dict:
    """Expire exports past their day and hand on those left undone; what it did."""
    return ExportController().sweep()
