"""duban (督办): from government action plans to a supervised task ledger."""

__version__ = "0.1.0"
