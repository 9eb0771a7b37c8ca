"""Long work followed on a page (docs/jobs.md): the bulk certificate zip, the large exports and
season re-decisions run as a job with a state, a progress count and a result file."""
