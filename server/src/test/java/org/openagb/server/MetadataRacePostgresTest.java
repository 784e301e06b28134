package org.openagb.server;

/** {@link MetadataRaceTest} with PostgreSQL as the shared metadata database. */
@OnPostgres
class MetadataRacePostgresTest extends MetadataRaceTest {}
