"""The ledger (台账): documents, tasks, units, people and the audit trail."""
