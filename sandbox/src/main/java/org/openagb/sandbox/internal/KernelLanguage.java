package org.openagb.sandbox.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The {@code run_code} languages: how to launch each kernel inside the sandbox and what to say when it cannot be.
 *
 * <p>The launcher is a {@code /bin/sh} script run as {@code sh -c LAUNCHER openagb-kernel CANDIDATE…}: it picks
 * the first candidate interpreter present (for Python, the first that can import IPython, else the first present)
 * and execs it with a small bootstrap that reads the kernel's source as one JSON string from the first stdin line,
 * so the source never shows in the sandbox's process list nor in its writable files.
 */
enum KernelLanguage {
    PYTHON(
            "python",
            "Python",
            "python_kernel.py",
            "python3 (apt-get install -y python3; for rich display output "
                    + "also python3-ipython, and python3-matplotlib for figures)"),
    JAVASCRIPT("javascript", "JavaScript (Node.js)", "javascript_kernel.js", "nodejs (apt-get install -y nodejs)"),
    JAVA(
            "java",
            "Java",
            "java_kernel.java",
            "a JDK 17 or newer with jshell (apt-get install -y openjdk-17-jdk-headless)"),
    R("r", "R", "r_kernel.R", "r-base-core (apt-get install -y r-base-core)");

    /** Printed by a launcher that finds none of its candidates. */
    static final String RUNTIME_MISSING = "openagb-kernel: runtime missing";
    /** Printed by a launcher whose language has no kernel yet. */
    static final String NOT_SUPPORTED = "openagb-kernel: not supported";

    /**
     * The Java kernel's JVM flags: small reservations so that it starts under {@code prlimit --as} (the fallback of
     * the memory limit) as well as in the session's memory cgroup, quick start-up (C1 only, serial GC), and no
     * {@code hsperfdata} file in the session's {@code /tmp}. The heap ({@code -Xmx}) comes from
     * {@code OPENAGB_JAVA_HEAP}.
     */
    static final List<String> JAVA_FLAGS = List.of(
            // The kernel writes its protocol to descriptor 3 directly: /dev/fd/3 cannot be reopened, since the pipe
            // belongs to the server's uid and the kernel runs as the session's.
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Xss1m",
            "-XX:ReservedCodeCacheSize=64m",
            "-XX:CompressedClassSpaceSize=128m",
            "-XX:MaxMetaspaceSize=256m",
            "-XX:-UsePerfData",
            "-Xshare:auto");

    private static final String FIND = "first=\n"
            + "for c in \"$@\"; do\n"
            + "  p=$(command -v \"$c\" 2>/dev/null) || continue\n"
            + "  [ -x \"$p\" ] && [ ! -d \"$p\" ] || continue\n"
            + "  [ -n \"$first\" ] || first=$p\n"
            + "  %s\n"
            + "done\n"
            + "[ -n \"$first\" ] || { echo '" + RUNTIME_MISSING + "' >&2; exit 127; }\n";

    private final String id;
    private final String displayName;
    private final String resource;
    private final String install;

    KernelLanguage(String id, String displayName, String resource, String install) {
        this.id = id;
        this.displayName = displayName;
        this.resource = resource;
        this.install = install;
    }

    static KernelLanguage of(String id) {
        for (KernelLanguage language : values()) {
            if (language.id.equals(id)) {
                return language;
            }
        }
        throw new IllegalArgumentException("unknown language '" + id + "'");
    }

    String id() {
        return id;
    }

    String displayName() {
        return displayName;
    }

    /** The {@code sh -c} launcher script; its positional parameters are the candidate interpreters. */
    String launcher() {
        return switch (this) {
            case PYTHON ->
                String.format(
                                FIND,
                                "if \"$p\" -c 'import importlib.util as u, sys; sys.exit(u.find_spec(\"IPython\") is None)'"
                                        + " >/dev/null 2>&1; then first=$p; break; fi")
                        + "exec \"$first\" -u -c 'import sys, json; exec(compile(json.loads(sys.stdin.buffer.readline()),"
                        + " \"<openagb-kernel>\", \"exec\"))'\n";
            case JAVASCRIPT ->
                String.format(FIND, "break")
                        + "exec \"$first\" -e '"
                        + "const fs = require(\"fs\"); let b = Buffer.alloc(0); const c = Buffer.alloc(65536);"
                        + " for (;;) { const n = fs.readSync(0, c); if (n <= 0) break;"
                        + " b = Buffer.concat([b, c.subarray(0, n)]); if (b.includes(10)) break; }"
                        + " new Function(\"require\", JSON.parse(b.toString(\"utf8\")))(require);"
                        + "' 3>&1 1>&2\n";
            // A JDK (java beside jshell, so the jdk.jshell module is there). The kernel's source comes base64
            // encoded as the first stdin line (dash's read takes exactly one line). JDK 17's source launcher cannot
            // read a pipe ("Illegal seek"), so the launcher writes the source into a fresh private directory (in
            // /dev/shm, which no disk quota counts, else /tmp) that the kernel deletes as soon as it runs.
            case JAVA ->
                String.format(
                                FIND,
                                "r=$(readlink -f \"$p\") || r=$p\n"
                                        + "  case $r in */java) [ -x \"${r%/*}/jshell\" ] && { java=$p; break; } ;; esac")
                        + "[ -n \"$java\" ] || { echo \"" + RUNTIME_MISSING
                        + ": $first is not a JDK's java (no jshell beside it)\" >&2; exit 127; }\n"
                        + "IFS= read -r src || exit 1\n"
                        + "d=\n"
                        + "for t in /dev/shm \"${TMPDIR:-/tmp}\" /tmp; do\n"
                        + "  d=$(umask 077; mktemp -d \"$t/.openagb-java-kernel.XXXXXXXX\" 2>/dev/null) && break\n"
                        + "done\n"
                        + "[ -n \"$d\" ] || { echo 'openagb-kernel: no writable temporary directory' >&2; exit 1; }\n"
                        + "printf '%s' \"$src\" | base64 -d >\"$d/OpenagbJavaKernel.java\" || { rm -rf \"$d\"; exit 1; }\n"
                        + "unset src\n"
                        + "heap=${OPENAGB_JAVA_HEAP:-256m}; unset OPENAGB_JAVA_HEAP\n"
                        + "MALLOC_ARENA_MAX=2 exec \"$java\" " + String.join(" ", JAVA_FLAGS)
                        + " -Xmx\"$heap\" --source 17 \"$d/OpenagbJavaKernel.java\" \"$d\" 3>&1 1>&2\n";
            // Base R has no JSON or base64 decoder: the source comes hex encoded as the first stdin line, and the
            // kernel keeps reading its requests from the same connection.
            case R ->
                String.format(FIND, "break")
                        + "exec \"$first\" --vanilla -e '"
                        + ".openagb_stdin <- file(\"stdin\"); open(.openagb_stdin);"
                        + " h <- readLines(.openagb_stdin, n = 1L);"
                        + " src <- rawToChar(as.raw(strtoi(substring(h, seq(1L, nchar(h), 2L),"
                        + " seq(2L, nchar(h), 2L)), 16L))); Encoding(src) <- \"UTF-8\";"
                        + " eval(parse(text = src, encoding = \"UTF-8\"))"
                        + "' 3>&1 1>&2\n";
        };
    }

    /**
     * The first stdin line (without its newline) that hands the kernel its source: a JSON string for Python and
     * JavaScript, base64 for Java (decoded by the launcher); {@code null} for languages without a kernel.
     */
    byte[] kernelSourceLine() {
        byte[] source = kernelSource();
        if (source == null) {
            return null;
        }
        if (this == JAVA) {
            return java.util.Base64.getEncoder().encode(source);
        }
        if (this == R) {
            return java.util.HexFormat.of().formatHex(source).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .writeValueAsBytes(new String(source, java.nio.charset.StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The kernel's source; {@code null} for languages without a kernel. */
    byte[] kernelSource() {
        if (resource == null) {
            return null;
        }
        try (InputStream in = KernelLanguage.class.getResourceAsStream("/org/openagb/sandbox/kernels/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("kernel resource " + resource + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String missingRuntimeMessage(List<String> candidates) {
        return displayName + " is not installed in the image (looked for " + String.join(", ", candidates)
                + " on the sandbox's PATH): install " + install;
    }

    String notSupportedMessage(List<String> candidates) {
        return "run_code for " + displayName + " is not supported yet: the image has the runtime (one of "
                + String.join(", ", candidates) + ") but OpenAGB has no " + displayName
                + " kernel; use python or javascript, or run it with the shell tool";
    }
}
