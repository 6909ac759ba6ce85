"""Compare and search across regions (issue 6).

Who else does this measure, and how: full-text search over tasks and documents
that works for Chinese (SQLite FTS5 trigrams, PostgreSQL bigram tsvectors and
trigrams), similar measures by character n-gram TF-IDF, the reform adoption
matrix (named reforms × regions, with each region's targets) and a side-by-side
comparison of two documents. Region codes come from cpca (GB/T 2260).

Modules: text (normalising, query terms, snippets, targets), regions, models
(compare_document), index (the derived search structures), search, similar,
reforms, service (document comparison), flows (reindex, the import hook),
commands (CLI) and views (FastAPI router + pages).
"""
