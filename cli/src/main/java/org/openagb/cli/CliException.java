package org.openagb.cli;

/**
 * Ends a command with a message on stderr and an exit status: {@link #FAILED} when the server (or a transfer) said no,
 * {@link #USAGE} when the command line or the configuration is wrong.
 */
final class CliException extends RuntimeException {
    static final int FAILED = 1;
    static final int USAGE = 2;

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    static CliException failed(String message) {
        return new CliException(FAILED, message);
    }

    static CliException usage(String message) {
        return new CliException(USAGE, message);
    }

    int exitCode() {
        return exitCode;
    }
}
