"""What writing plans announces to the layers above it, which subscribe without being imported here."""

from django.dispatch import Signal

# Sent inside the transaction that issued or amended a plan, with `plan`: the units it binds may have changed.
# Compliance subscribes and recomputes the months of the plan's years it has already computed, after commit.
plan_issued = Signal()
