package org.openagb.server;

/** {@link PersistenceTest} with PostgreSQL as the metadata database. */
@OnPostgres
class PersistencePostgresTest extends PersistenceTest {}
