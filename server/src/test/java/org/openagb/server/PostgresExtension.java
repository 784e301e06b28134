package org.openagb.server;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension behind {@link OnPostgres}: one {@link PostgresCluster} per test run (kept in the root store,
 * which closes it when the run ends), one database per test class (dropped after the class). Fails — never
 * skips — when PostgreSQL is not installed.
 */
final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {
    /** The metadata database of a test class. */
    record TestDatabase(String name, String jdbcUrl, String user, String password) {}

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(PostgresExtension.class);
    private static final Map<Class<?>, TestDatabase> DATABASES = new ConcurrentHashMap<>();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** The PostgreSQL database of an {@link OnPostgres} test class; empty for any other class (SQLite). */
    static Optional<TestDatabase> databaseFor(Class<?> testClass) {
        return Optional.ofNullable(DATABASES.get(testClass));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        PostgresCluster cluster = cluster(context);
        Class<?> testClass = context.getRequiredTestClass();
        String name = ("t" + SEQUENCE.incrementAndGet() + "_" + testClass.getSimpleName()).toLowerCase(Locale.ROOT);
        String url = cluster.createDatabase(name);
        DATABASES.put(testClass, new TestDatabase(name, url, PostgresCluster.SUPERUSER, null));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        TestDatabase db = DATABASES.remove(context.getRequiredTestClass());
        if (db != null) {
            cluster(context).dropDatabase(db.name());
        }
    }

    private static PostgresCluster cluster(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .computeIfAbsent("cluster", k -> PostgresCluster.start(), PostgresCluster.class);
    }
}
