"""Today's administrations: the list, its table model, and what can be done with a record."""
