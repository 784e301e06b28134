package org.openagb.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a real S3-compatible server for a test class: s3proxy (filesystem backend, in a temporary directory) as a
 * separate {@code java -jar} process on a free port of 127.0.0.1, started before the class's first test and stopped
 * after its last. Register it with {@code @RegisterExtension static final S3ProxyServer S3 = new S3ProxyServer();}.
 *
 * <p>The jar is the {@code org.gaul:s3proxy:jar-with-dependencies} artifact that Maven copies to {@code
 * target/s3proxy/s3proxy.jar} (process-test-resources); surefire passes its path in the system property {@value
 * #JAR_PROPERTY}. When the server cannot be started the tests fail, saying what is missing: they are never skipped.
 */
public final class S3ProxyServer implements BeforeAllCallback, AfterAllCallback {
    public static final String JAR_PROPERTY = "openagb.s3proxy.jar";
    public static final String ACCESS_KEY = "openagb-test-access";
    public static final String SECRET_KEY = "openagb-test-secret";
    private static final long START_TIMEOUT_MS = 60_000;

    private Process process;
    private Path dir;
    private Path logFile;
    private int port;
    private Thread shutdownHook;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** The server's endpoint, {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        if (process == null) {
            throw new IllegalStateException("s3proxy is not running (register S3ProxyServer as a static extension)");
        }
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A configuration for this server: path-style, us-east-1, the test credentials. */
    public S3Config config(String bucket, String keyPrefix) {
        return new S3Config(endpoint(), "us-east-1", bucket, keyPrefix, ACCESS_KEY, SECRET_KEY, true);
    }

    /** The directory the filesystem backend keeps buckets in ({@code <dir>/<bucket>/<key>}). */
    public Path dataDir() {
        return dir.resolve("data");
    }

    private void start() throws Exception {
        Path jar = locateJar();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        dir = Files.createTempDirectory("openagb-s3proxy-");
        Files.createDirectories(dataDir());
        logFile = dir.resolve("s3proxy.log");
        port = freePort();
        Path properties = dir.resolve("s3proxy.properties");
        Files.writeString(
                properties,
                String.join(
                        "\n",
                        "s3proxy.endpoint=http://127.0.0.1:" + port,
                        "s3proxy.authorization=aws-v2-or-v4",
                        "s3proxy.identity=" + ACCESS_KEY,
                        "s3proxy.credential=" + SECRET_KEY,
                        "jclouds.provider=filesystem",
                        "jclouds.filesystem.basedir=" + dataDir(),
                        ""));
        Path logback = dir.resolve("logback.xml");
        Files.writeString(logback, """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %level %logger{0} %msg%n</pattern></encoder>
                  </appender>
                  <root level="WARN"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-Dlogback.configurationFile=" + logback,
                "-jar",
                jar.toString(),
                "--properties",
                properties.toString()));
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
        } catch (IOException e) {
            throw new AssertionError("Cannot start s3proxy with '" + String.join(" ", command) + "': " + e, e);
        }
        Process started = process;
        shutdownHook = new Thread(started::destroyForcibly, "s3proxy-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (!answers()) {
            if (!process.isAlive()) {
                String log = logTail();
                stop();
                throw new AssertionError("s3proxy exited with code " + started.exitValue()
                        + " before it answered on port " + port + "; its output:\n" + log);
            }
            if (System.currentTimeMillis() > deadline) {
                String log = logTail();
                stop();
                throw new AssertionError("s3proxy did not answer on port " + port + " within " + START_TIMEOUT_MS
                        + " ms; its output:\n" + log);
            }
            Thread.sleep(100);
        }
    }

    private static Path locateJar() {
        String configured = System.getProperty(JAR_PROPERTY);
        Path jar = configured != null ? Path.of(configured) : Path.of("target", "s3proxy", "s3proxy.jar");
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("The s3proxy jar is missing at '" + jar.toAbsolutePath()
                    + "' (system property " + JAR_PROPERTY + "=" + configured + "). The S3 tests need a real"
                    + " S3-compatible server: run them through Maven (mvn -pl storage-s3 verify), whose"
                    + " process-test-resources phase copies org.gaul:s3proxy:jar-with-dependencies there; offline,"
                    + " it must already be in the local Maven repository.");
        }
        return jar;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** True once s3proxy answers an HTTP request (any status: an anonymous request is refused with 403). */
    private boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            return new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.");
        } catch (IOException e) {
            return false;
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            process = null;
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // the JVM is shutting down
            }
            shutdownHook = null;
        }
        if (dir != null) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort
            }
            dir = null;
        }
    }
}
