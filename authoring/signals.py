"""What plans written in the portal announce to the layers above, which subscribe without being imported here."""

from django.dispatch import Signal

# Sent inside the transaction that changed the values a target sets for units, with `target`. Compliance
# subscribes and recomputes the months it has computed within the plan's years, once the change is committed.
unit_values_changed = Signal()

# Sent inside the transaction that issued or amended a plan, with `plan` (and, from an amendment, `years`: the first
# and last year before and after it): the units it binds may have changed.
# Compliance subscribes and recomputes the months of the plan's years it has already computed, after commit.
plan_issued = Signal()
