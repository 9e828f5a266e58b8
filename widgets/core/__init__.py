"""Core: words, page context, instruments, scoring, codes, settings and paths (no widgets, no database)."""
