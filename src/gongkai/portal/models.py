"""The portal has no models; this module exists so that ``migrate`` sends the portal its
post_migrate signal, which makes the cache table (gongkai.portal.apps)."""
