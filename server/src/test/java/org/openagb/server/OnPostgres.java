package org.openagb.server;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against a real PostgreSQL metadata database instead of the embedded SQLite: the
 * {@link PostgresExtension} starts one throwaway cluster per test run and creates a fresh database for the class,
 * which {@link ServerTestBase} (and {@link PostgresExtension#databaseFor}) pick up.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(PostgresExtension.class)
@interface OnPostgres {}
