package org.openagb.server;

/** {@link ContextVersionsTest} with PostgreSQL as the metadata database (versions rows in the head's transaction). */
@OnPostgres
class ContextVersionsPostgresTest extends ContextVersionsTest {}
