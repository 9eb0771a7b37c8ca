"""`zhicheng simulate`: a synthetic city season driven through the real operations."""
