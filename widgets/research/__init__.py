"""Research: consented export, codebook, CSV scoring, paper import and the analysis of exported data."""
