"""Data the product ships: drug catalog, modifier and payer tables, fonts, icons."""
