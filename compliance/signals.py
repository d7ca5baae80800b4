from django.dispatch import Signal

# Sent by `compliance_change_apply` when it has rewritten a current run's rows in place and raised its revision,
# inside that transaction: `run_id`, and `unit_id`, the unit whose rows and whose ancestors' totals were rewritten.
# The dashboard notes it, to rebuild the rows of that path alone (`compliance.rendering.scorecard_change_note`).
results_changed_in_place = Signal()
