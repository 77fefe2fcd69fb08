"""QGIS's saved PostgreSQL connections, as psycopg2 keywords for the team library (core/db_library.py).

Credentials come from the connection's authentication configuration (QGIS's encrypted store) or, where the
user chose to save them, from the connection itself; they are resolved when connecting and never written
anywhere by the plugin (a project stores only the connection's name).
"""

from __future__ import annotations

from typing import Optional

from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsDataSourceUri, QgsProviderRegistry

from ..core.library_store import DatabaseConnectionError

PROVIDER = "postgres"


def _metadata():
    return QgsProviderRegistry.instance().providerMetadata(PROVIDER)


def saved_connection_names() -> list[str]:
    metadata = _metadata()
    return sorted(metadata.connections().keys()) if metadata is not None else []


def connection_params(name: str) -> dict:
    """psycopg2 keywords of a saved connection, with the user and password of its authentication configuration."""
    metadata = _metadata()
    connections = metadata.connections() if metadata is not None else {}
    if name not in connections:
        known = ", ".join(sorted(connections)) or "none"
        raise DatabaseConnectionError(
            "other",
            f"there is no saved PostgreSQL connection '{name}' (saved: {known}). Add it in the Browser panel "
            f"(PostgreSQL → New Connection) or in the Data Source Manager.",
        )
    uri = QgsDataSourceUri(connections[name].uri())
    if uri.authConfigId():
        expanded = QgsDataSourceUri(uri.uri(True))
        if not expanded.username() and not expanded.password():
            raise DatabaseConnectionError(
                "wrong_password",
                f"connection '{name}': its authentication configuration {uri.authConfigId()} could not be read "
                f"(is QGIS's master password entered?). Open Settings → Options → Authentication to check it.",
            )
        uri = expanded
    params = {
        "host": uri.host(),
        "port": uri.port(),
        "dbname": uri.database(),
        "user": uri.username(),
        "password": uri.password(),
        "service": uri.service(),
    }
    ssl = QgsDataSourceUri.encodeSslMode(uri.sslMode())
    if ssl and ssl != "prefer":
        params["sslmode"] = ssl
    return {k: v for k, v in params.items() if v not in (None, "")}


def store_basic_auth(name: str, user: str, password: str) -> str:
    """Store a user name and password in QGIS's authentication database; returns the authcfg id."""
    config = QgsAuthMethodConfig("Basic")
    config.setName(name)
    config.setConfig("username", user)
    config.setConfig("password", password)
    result = QgsApplication.authManager().storeAuthenticationConfig(config)
    ok = result[0] if isinstance(result, tuple) else result
    if not ok or not config.id():
        raise DatabaseConnectionError(
            "other", "QGIS's authentication database refused the credentials (master password?)"
        )
    return config.id()


def save_connection(name: str, host: str, port: int, dbname: str, authcfg: Optional[str] = None) -> None:
    """Save a PostgreSQL connection under `name` (credentials only through `authcfg`)."""
    uri = QgsDataSourceUri()
    uri.setConnection(host, str(port), dbname, "", "", QgsDataSourceUri.SslMode.SslPrefer, authcfg or "")
    connection = _metadata().createConnection(uri.uri(False), {})
    connection.store(name)
