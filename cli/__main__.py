"""``python -m carrierkg.cli`` runs the app."""

from carrierkg.cli.main import main

main()
