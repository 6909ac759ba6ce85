"""The web app: HTML pages (Jinja2, Simplified Chinese) and the REST API under /api/.

Thin by design: views parse input, call duban.ledger services, and render the
result. `create_app()` in app.py assembles everything."""
