"""carrierkg.ingest."""
