package org.openagb.server;

/** {@link DatabaseContextHeadsTest} on PostgreSQL. */
@OnPostgres
class DatabaseContextHeadsPostgresTest extends DatabaseContextHeadsTest {}
