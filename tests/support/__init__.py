"""Test support shared by the unit, browser and deploy tests (not tests themselves)."""
