"""Facilitation: tools for facilitators and centre staff (screening, follow-up, run-sheets, presenter, staff training)."""
