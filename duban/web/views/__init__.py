"""HTML pages. Each module is one router; app.py includes them."""
