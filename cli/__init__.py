"""carrierkg.cli."""
