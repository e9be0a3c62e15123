"""The facility: its settings, the drug catalog and CMS's quarterly reference data."""
