"""Extraction rules, one per module. Block rules consume lines at the cursor and
return the next cursor (or None when they do not apply); core rules run once over
the whole state after the block pass."""
