"""Workflow events' core: `records` validates an event (from a source database, a file, the JSON API or the
SLA page's form) and `store` stores a batch of them and runs the SLA clock on the cases they touch."""
