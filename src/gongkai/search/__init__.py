"""The portal's search index: exact substring search over published items
(docs/adr/search-exact-substring.md). :mod:`gongkai.search.index` keeps it in the publishing
transaction; :mod:`gongkai.search.engine` answers queries from it."""
