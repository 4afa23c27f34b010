"""carrierkg.graph."""
