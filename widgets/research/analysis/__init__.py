"""Analyses for researchers: cohort funnel, pre/post change, item statistics, check-ins.

Small modules, one job each, all taking and returning pandas DataFrames so they work the
same in JupyterLab, in the ``analysis`` app and in a researcher's own notebook:

- :mod:`~widgets.research.analysis.data`: the store (consented participants only) as DataFrames.
- :mod:`~widgets.research.analysis.cohort`: the funnel (screened, 16+, 20+, took part, followed up,
  improved) and each person's baseline and end screening.
- :mod:`~widgets.research.analysis.prepost`: paired change (Wilcoxon signed-rank, rank-biserial
  correlation with a bootstrap confidence interval).
- :mod:`~widgets.research.analysis.items`: item means, corrected item-total correlations, Cronbach's
  alpha with Feldt's confidence interval.
- :mod:`~widgets.research.analysis.checkins`: check-ins by month of follow-up.
- :mod:`~widgets.research.analysis.suppression`: small-number suppression for anything published.
- :mod:`~widgets.research.analysis.brief`: the community brief (group-level, suppressed).
- :mod:`~widgets.research.analysis.example`: a synthetic cohort shaped like the Thai pilot.

Statistics come from scipy (tests, bootstrap, F quantiles) and pandas; the tests check
them against published reference values.
"""
