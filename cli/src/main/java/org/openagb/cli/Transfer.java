package org.openagb.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Flow;

/**
 * Streams a file to or from a presigned context-file URL with {@code java.net.http}: no API key (the URL carries its
 * own authorisation), no buffering of the whole file, progress reported per chunk. Failures are
 * {@link CliException}s (exit 1) that name the file and the HTTP status.
 */
final class Transfer {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();

    /** PUTs {@code file} to {@code url} and returns the number of bytes sent. */
    long upload(Path file, String url, ProgressBar progress) {
        long size;
        HttpRequest.BodyPublisher body;
        try {
            size = Files.size(file);
            body = HttpRequest.BodyPublishers.ofFile(file);
        } catch (IOException e) {
            throw CliException.failed("Cannot upload '" + file + "': " + describe(e));
        }
        progress.total(size);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .PUT(HttpRequest.BodyPublishers.fromPublisher(new Counting(body, progress), size))
                .header("Content-Type", "application/octet-stream")
                .build();
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString(), "upload '" + file + "'");
        progress.finish();
        if (response.statusCode() / 100 != 2) {
            throw CliException.failed("Cannot upload '" + file + "': the server answered HTTP " + response.statusCode()
                    + (response.body().isBlank() ? "" : " " + response.body().strip()));
        }
        return size;
    }

    /**
     * GETs {@code url} into {@code target}: written to a temporary file next to it and moved into place, so a failed
     * download never leaves half a file. Returns the number of bytes received.
     */
    long download(String url, Path target, ProgressBar progress, String what) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).GET().build();
        HttpResponse<InputStream> response =
                send(request, HttpResponse.BodyHandlers.ofInputStream(), "download " + what);
        Path directory = target.toAbsolutePath().getParent();
        Path temporary = null;
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                String body = new String(in.readNBytes(4096), java.nio.charset.StandardCharsets.UTF_8).strip();
                throw CliException.failed("Cannot download " + what + ": the server answered HTTP "
                        + response.statusCode() + (body.isEmpty() ? "" : " " + body));
            }
            progress.total(response.headers().firstValueAsLong("Content-Length").orElse(-1));
            Files.createDirectories(directory);
            temporary = Files.createTempFile(directory, "." + target.getFileName(), ".part");
            long received = 0;
            try (OutputStream out = Files.newOutputStream(temporary)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    received += n;
                    progress.advance(n);
                }
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            temporary = null;
            progress.finish();
            return received;
        } catch (IOException e) {
            progress.finish();
            throw CliException.failed("Cannot download " + what + " to '" + target + "': " + describe(e));
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // best effort: the .part file is hidden and harmless
                }
            }
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, String what) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw CliException.failed("Cannot " + what + ": " + describe(e) + " (is the server at "
                    + request.uri().getScheme() + "://" + request.uri().getAuthority() + " reachable?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failed("Cannot " + what + ": interrupted");
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Passes the body through and reports each chunk to the progress bar as the HTTP client takes it. */
    private record Counting(Flow.Publisher<ByteBuffer> source, ProgressBar progress)
            implements Flow.Publisher<ByteBuffer> {
        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            source.subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    subscriber.onSubscribe(subscription);
                }

                @Override
                public void onNext(ByteBuffer item) {
                    progress.advance(item.remaining());
                    subscriber.onNext(item);
                }

                @Override
                public void onError(Throwable throwable) {
                    subscriber.onError(throwable);
                }

                @Override
                public void onComplete() {
                    subscriber.onComplete();
                }
            });
        }
    }
}
