package org.openagb.server.internal.ports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a byte pipe to a port inside a session: writes one request ({@code Connection: close}) and parses
 * one response head, then gives the body as a stream (chunked transfer decoded, a Content-Length honoured, else up to
 * the end). Bounded: a response head over {@link #MAX_HEAD} bytes is refused. Not thread-safe (one exchange).
 */
final class PipeHttp {
    static final int MAX_HEAD = 64 * 1024;

    /** Headers that describe one hop, not the message: never forwarded either way. */
    static final List<String> HOP_BY_HOP = List.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "host",
            "content-length");

    record Response(int status, List<Map.Entry<String, String>> headers, InputStream body) {}

    private PipeHttp() {}

    static void writeRequest(
            OutputStream out,
            String method,
            String target,
            int port,
            List<Map.Entry<String, String>> headers,
            byte[] body)
            throws IOException {
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        head.append("Host: 127.0.0.1:").append(port).append("\r\n");
        head.append("Connection: close\r\n");
        for (Map.Entry<String, String> h : headers) {
            String name = h.getKey();
            if (HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))
                    || !token(name)
                    || h.getValue().contains("\n")) {
                continue;
            }
            head.append(name)
                    .append(": ")
                    .append(h.getValue().replace("\r", ""))
                    .append("\r\n");
        }
        if (body.length > 0 || !method.equals("GET") && !method.equals("HEAD")) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** Reads the response head; null if the pipe ended before any byte (nothing answered). */
    static Response readResponse(InputStream in, boolean headRequest) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new IOException("the response ended inside its head");
            }
            head.write(b);
            if (head.size() > MAX_HEAD) {
                throw new IOException("the response head is over " + MAX_HEAD + " bytes");
            }
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1
                    : b == '\r' ? 1 : 0;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1 response: '" + abbreviate(lines[0]) + "'");
        }
        int status;
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException e) {
            throw new IOException("bad status in '" + abbreviate(lines[0]) + "'");
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        boolean chunked = false;
        long length = -1;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim();
            String value = lines[i].substring(colon + 1).trim();
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("transfer-encoding")
                    && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            } else if (lower.equals("content-length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IOException("bad Content-Length '" + abbreviate(value) + "'");
                }
            }
            headers.add(Map.entry(name, value));
        }
        InputStream body = headRequest || status == 204 || status == 304 || status / 100 == 1
                ? InputStream.nullInputStream()
                : chunked ? new Chunked(in) : length >= 0 ? new Bounded(in, length) : in;
        return new Response(status, headers, body);
    }

    private static boolean token(String name) {
        return !name.isEmpty() && name.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }

    /** A body stream: single bytes through the array read. */
    private abstract static class Body extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }

    /** At most {@code length} bytes of the underlying stream. */
    private static final class Bounded extends Body {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    /** The decoded body of a chunked response (trailers skipped). */
    private static final class Chunked extends Body {
        private final InputStream in;
        private long left;
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String sizeLine = line();
                int semi = sizeLine.indexOf(';');
                try {
                    left = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("bad chunk size '" + abbreviate(sizeLine) + "'");
                }
                if (left == 0) {
                    while (!line().isEmpty()) {
                        // trailers
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("the response ended inside a chunk");
            }
            left -= n;
            if (left == 0) {
                line(); // the CRLF after the chunk
            }
            return n;
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("the response ended inside a chunk header");
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
                if (sb.length() > 1024) {
                    throw new IOException("a chunk header is over 1024 bytes");
                }
            }
            return sb.toString();
        }
    }
}
