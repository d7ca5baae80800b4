"""What the monthly round announces to the layers above it, which subscribe without being imported here."""

from django.dispatch import Signal

# Sent inside the transaction that changed a month's approved figures (approval, reopening), with
# `report`. Compliance subscribes and recomputes the month once the change is committed.
approved_figures_changed = Signal()
