package org.openagb.server;

/** {@link SessionApiTest} with PostgreSQL as the metadata database. */
@OnPostgres
class SessionApiPostgresTest extends SessionApiTest {}
