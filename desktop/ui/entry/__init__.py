"""The chairside entry screen: one widget per section, a presenter that ties them to the services."""
