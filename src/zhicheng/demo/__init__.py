"""The demo of `make run`: fictional organisations, accounts, a season's story and the demo
clock, all written through the apps' real operations. The apps never import this package."""
