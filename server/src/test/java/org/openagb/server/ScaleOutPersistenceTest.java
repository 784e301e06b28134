package org.openagb.server;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.openagb.storage.s3.S3ProxyServer;

/**
 * {@link PersistenceTest} on the scale-out back ends: PostgreSQL for metadata and an S3-compatible server (s3proxy,
 * a real process) for the contexts' objects.
 */
@OnPostgres
class ScaleOutPersistenceTest extends PersistenceTest {
    @RegisterExtension
    static final S3ProxyServer S3 = new S3ProxyServer();
}
