"""Infusion Charge Capture: chairside drug charge capture for infusion centers."""
