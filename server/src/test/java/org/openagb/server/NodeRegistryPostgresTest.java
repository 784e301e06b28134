package org.openagb.server;

/** {@link NodeRegistryTest} with PostgreSQL as the shared metadata database. */
@OnPostgres
class NodeRegistryPostgresTest extends NodeRegistryTest {}
