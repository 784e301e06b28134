package org.openagb.cli;

import java.nio.file.Path;

/** Where the embedded server keeps its data: --data-dir, else $OPENAGB_DATA_DIR, else ~/.openagb. */
final class DataDir {
    private DataDir() {}

    static Path resolve(Path option, Environment environment) {
        if (option != null) {
            return option;
        }
        String env = environment.variable("OPENAGB_DATA_DIR");
        if (env != null) {
            return Path.of(env);
        }
        return environment.home().resolve(".openagb");
    }
}
