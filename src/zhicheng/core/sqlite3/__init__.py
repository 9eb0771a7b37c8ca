"""Django's SQLite backend, creating the database file's directory on first connection.

Settings must not create directories on import: `zhicheng --help` or `zhicheng eligibility` would
leave an empty ./var wherever they run. The embedded database's folder is made only when a
connection is actually opened (settings.py selects this backend for sqlite:// URLs).
"""
