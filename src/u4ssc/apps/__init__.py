"""Django apps, one per domain, each shaped the same way (see docs/architecture.md):

``models`` - ``actions`` (every write) - ``queries`` (reads shared by pages and API) -
``forms`` - ``views`` - ``api`` - ``templates/<app>/`` - ``tests/``.
"""
