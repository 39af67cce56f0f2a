"""Denial reports: the model, validation, submission and the tallies kept in step with each report."""
