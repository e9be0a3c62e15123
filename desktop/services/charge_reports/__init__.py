"""Reports for charge-entry staff: reconciliation, waste and 340B, as values and as documents for screen and PDF."""
