"""Exports to billing systems: the visits an export reads, the claim lines it builds, the ledger of what was sent."""
