"""Web pages of the core, one module per feature; mentorship/urls.py names them."""
