"""Command-line interface: `infusion-charge` and its subcommands."""
