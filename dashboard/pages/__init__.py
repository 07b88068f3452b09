"""Dash pages, one file a page; Dash loads them itself (this file only makes them a package for import-linter)."""
