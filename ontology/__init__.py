"""carrierkg.ontology."""
