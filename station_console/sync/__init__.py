"""Store-and-forward sync with the district hub: HLC, outbox, protocol types, merge rules."""
