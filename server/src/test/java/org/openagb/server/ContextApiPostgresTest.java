package org.openagb.server;

/** {@link ContextApiTest} with PostgreSQL as the metadata database. */
@OnPostgres
class ContextApiPostgresTest extends ContextApiTest {}
