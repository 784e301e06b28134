package org.openagb.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster for tests: {@code initdb} into a temp dir, {@code pg_ctl start} on a spare port
 * of 127.0.0.1 with trust authentication, {@link #close()} stops it ({@code -m immediate}) and deletes the dir.
 * As root (initdb refuses to run as root) the binaries run as the {@code postgres} OS user, which owns the dir.
 * Durability is switched off: the cluster dies with the test run.
 */
final class PostgresCluster implements AutoCloseable {
    static final String INSTALL_HINT = "install PostgreSQL: apt-get install -y postgresql";
    static final String SUPERUSER = "postgres";

    private final Path bin;
    private final Path root;
    private final Path data;
    private final int port;
    private final boolean asPostgresUser;
    private volatile boolean stopped;

    private PostgresCluster(Path bin, Path root, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.root = root;
        this.data = root.resolve("data");
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** Starts a new cluster; fails (never skips) when the PostgreSQL server binaries are not installed. */
    static PostgresCluster start() {
        Path bin = findBinaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "openagb-pg-");
            PostgresCluster cluster = new PostgresCluster(bin, dir, freePort(), root);
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "openagb-pg-stop"));
            cluster.init();
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The newest {@code /usr/lib/postgresql/<version>/bin} that has initdb, pg_ctl and postgres. */
    static Path findBinaries() {
        Path base = Path.of("/usr/lib/postgresql");
        List<Path> candidates = new ArrayList<>();
        if (Files.isDirectory(base)) {
            try (Stream<Path> versions = Files.list(base)) {
                versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb"))
                                && Files.isExecutable(b.resolve("pg_ctl"))
                                && Files.isExecutable(b.resolve("postgres")))
                        .forEach(candidates::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return candidates.stream()
                .max(Comparator.comparingInt(PostgresCluster::majorVersion))
                .orElseThrow(() -> new AssertionError("PostgreSQL server binaries (initdb, pg_ctl, postgres) not"
                        + " found under " + base + "/<version>/bin; " + INSTALL_HINT));
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void init() throws IOException {
        if (asPostgresUser) {
            run(List.of("chown", "-R", SUPERUSER + ":" + SUPERUSER, root.toString()), false);
        }
        run(
                List.of(
                        bin.resolve("initdb").toString(),
                        "-D",
                        data.toString(),
                        "-U",
                        SUPERUSER,
                        "-A",
                        "trust",
                        "-E",
                        "UTF8",
                        "--locale=C",
                        "--no-sync"),
                asPostgresUser);
        String options = "-p " + port + " -k " + root + " -c listen_addresses=127.0.0.1 -c fsync=off"
                + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        run(
                List.of(
                        bin.resolve("pg_ctl").toString(),
                        "-D",
                        data.toString(),
                        "-o",
                        options,
                        "-l",
                        root.resolve("server.log").toString(),
                        "-w",
                        "-t",
                        "60",
                        "start"),
                asPostgresUser);
    }

    int port() {
        return port;
    }

    /** Creates an empty database and returns its JDBC URL (user {@link #SUPERUSER}, no password). */
    String createDatabase(String name) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, null);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test database " + name + ": " + e.getMessage(), e);
        }
        return jdbcUrl(name);
    }

    /** Drops a database, disconnecting whoever is still connected to it. */
    void dropDatabase(String name) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, null);
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot drop test database " + name + ": " + e.getMessage(), e);
        }
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                run(
                        List.of(
                                bin.resolve("pg_ctl").toString(),
                                "-D",
                                data.toString(),
                                "-m",
                                "immediate",
                                "-w",
                                "stop"),
                        asPostgresUser);
            }
        } catch (RuntimeException | IOException e) {
            System.err.println("PostgresCluster: stopping failed: " + e.getMessage());
        } finally {
            deleteTree(root);
        }
    }

    private void run(List<String> command, boolean asPostgres) throws IOException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", SUPERUSER, "--"));
        }
        full.addAll(command);
        Path out = Files.createTempFile("openagb-pg-cmd-", ".log");
        try {
            Process p = new ProcessBuilder(full)
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("Timed out: " + String.join(" ", full));
            }
            if (p.exitValue() != 0) {
                String log = Files.readString(out, StandardCharsets.UTF_8);
                Path serverLog = root.resolve("server.log");
                if (Files.isReadable(serverLog)) {
                    log += "\n--- server.log ---\n" + Files.readString(serverLog, StandardCharsets.UTF_8);
                }
                throw new IllegalStateException(
                        "Failed (exit " + p.exitValue() + "): " + String.join(" ", full) + "\n" + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a temp dir
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
