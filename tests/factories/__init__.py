"""Builders shared by the test directories (the review chain, the evaluation World, approved
results and certificates, sanctioned meetings). A conftest imports the fixtures it wants from
here; an autouse fixture imported into a conftest applies to that directory only. Tests import
helpers from here, never from a conftest module."""
