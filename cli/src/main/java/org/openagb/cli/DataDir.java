package org.openagb.cli;

import java.nio.file.Path;

/** Where the embedded server keeps its data: --data-dir, else $OPENAGB_DATA_DIR, else ~/.openagb. */
final class DataDir {
    private DataDir() {}

    static Path resolve(Path option) {
        if (option != null) {
            return option;
        }
        String env = System.getenv("OPENAGB_DATA_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".openagb");
    }
}
