"""Item pipelines, one job each, in the order clean -> language -> dedupe/resolve -> store."""
