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
    JAVA("java", "Java", null, "a JDK with jshell (apt-get install -y openjdk-17-jdk-headless)"),
    R("r", "R", null, "r-base-core (apt-get install -y r-base-core)");

    /** Printed by a launcher that finds none of its candidates. */
    static final String RUNTIME_MISSING = "openagb-kernel: runtime missing";
    /** Printed by a launcher whose language has no kernel yet. */
    static final String NOT_SUPPORTED = "openagb-kernel: not supported";

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
            case JAVA, R -> String.format(FIND, "break") + "echo '" + NOT_SUPPORTED + "' >&2; exit 126\n";
        };
    }

    /** The kernel's source, sent as the first stdin line; {@code null} for languages without a kernel. */
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
