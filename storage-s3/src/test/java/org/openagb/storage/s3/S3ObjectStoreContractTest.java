package org.openagb.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openagb.storage.ObjectInfo;
import org.openagb.storage.ObjectNotFoundException;
import org.openagb.storage.ObjectStore;
import org.openagb.storage.ObjectStoreContract;
import org.openagb.storage.StorageException;

/** The {@link ObjectStoreContract} against a real S3-compatible server (s3proxy), plus S3-specific behaviour. */
class S3ObjectStoreContractTest extends ObjectStoreContract {
    @RegisterExtension
    static final S3ProxyServer S3 = new S3ProxyServer();

    private static final String BUCKET = "openagb-contract";
    private static final AtomicInteger counter = new AtomicInteger();
    private final List<S3ObjectStore> opened = new ArrayList<>();

    /** Each test gets its own key prefix in a shared bucket, so it starts empty. */
    @Override
    protected ObjectStore newStore() {
        return open(S3.config(BUCKET, "test-" + counter.incrementAndGet()));
    }

    private S3ObjectStore open(S3Config config) {
        S3ObjectStore s = new S3ObjectStore(config);
        opened.add(s);
        return s;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(S3ObjectStore::close);
    }

    @Test
    void missingBucket_isCreated_andWorksWithoutKeyPrefix() {
        S3ObjectStore a = open(S3.config("openagb-new-bucket", ""));
        a.put("x/y", new ByteArrayInputStream(bytes("1")), 1);
        S3ObjectStore b = open(S3.config("openagb-new-bucket", ""));

        assertThat(b.list("")).extracting(ObjectInfo::key).containsExactly("x/y");
        assertThat(S3.dataDir().resolve("openagb-new-bucket/x/y")).hasContent("1");
    }

    @Test
    void keyPrefix_isolatesStoresSharingABucket() {
        S3ObjectStore a = open(S3.config(BUCKET, "iso-a/"));
        S3ObjectStore b = open(S3.config(BUCKET, "iso-ab"));
        a.put("k", new ByteArrayInputStream(bytes("a")), 1);
        b.put("k", new ByteArrayInputStream(bytes("bb")), 2);

        assertThat(a.list(""))
                .singleElement()
                .satisfies(i -> assertThat(i.size()).isEqualTo(1));
        assertThat(readAll(b.get("k"))).isEqualTo(bytes("bb"));
        a.delete("k");
        assertThat(b.stat("k")).isPresent();
        assertThat(S3.dataDir().resolve(BUCKET + "/iso-ab/k")).hasContent("bb");
    }

    @Test
    void wrongSecretKey_failsWithAClearStorageException() {
        S3Config wrong = S3.config(BUCKET, "").withCredentials(S3ProxyServer.ACCESS_KEY, "not-the-secret");

        assertThatThrownBy(() -> open(wrong))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("Cannot open S3 bucket '" + BUCKET + "' at " + S3.endpoint())
                .hasMessageContaining("HTTP 403")
                .hasMessageContaining("check the S3 access key and secret key");
    }

    @Test
    void wrongAccessKey_failsWithAClearStorageException() {
        S3Config wrong = S3.config(BUCKET, "").withCredentials("nobody", S3ProxyServer.SECRET_KEY);

        assertThatThrownBy(() -> open(wrong))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("HTTP 403")
                .hasMessageContaining("check the S3 access key and secret key");
    }

    @Test
    void unreachableEndpoint_failsSayingSo() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        S3Config config = new S3Config(
                URI.create("http://127.0.0.1:" + port),
                "us-east-1",
                BUCKET,
                "",
                S3ProxyServer.ACCESS_KEY,
                S3ProxyServer.SECRET_KEY,
                true);

        assertThatThrownBy(() -> open(config))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("Cannot open S3 bucket")
                .hasMessageContaining("check that the S3 endpoint http://127.0.0.1:" + port + " is reachable");
    }

    @Test
    void put_largeStreamShorterOrLongerThanLength_storesNothing() {
        byte[] data = new byte[S3ObjectStore.BUFFERED_PUT_LIMIT + 100_000];
        new Random(3).nextBytes(data);

        assertThatThrownBy(() -> store.put("big/short", new ByteArrayInputStream(data), data.length + 1L))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("Cannot put object 'big/short'")
                .hasMessageContaining(data.length + " bytes");
        assertThatThrownBy(() -> store.put("big/long", new ByteArrayInputStream(data), data.length - 1L))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("Cannot put object 'big/long'")
                .hasMessageContaining("more bytes");
        assertThat(store.stat("big/short")).isEmpty();
        assertThat(store.stat("big/long")).isEmpty();
        // s3proxy's filesystem backend keeps the temporary file of an upload cut off mid-body ("big/long-<uuid>")
        // and lists it; real S3 never exposes an incomplete PutObject. The keys themselves were never stored.
        assertThat(store.list("big/")).extracting(ObjectInfo::key).doesNotContain("big/short", "big/long");
    }

    @Test
    void getRange_startingPastTheEnd_throwsNamingTheRange() {
        put("r", bytes("0123456789"));

        assertThatThrownBy(() -> store.get("r", 11, 1))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("Cannot read object 'r' range [11, +1): the object has 10 bytes");
        assertThatThrownBy(() -> store.get("r", 10, 1))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("the object has 10 bytes");
        assertThatThrownBy(() -> store.get("missing", 5, 0)).isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void get_closedEarly_doesNotBreakLaterRequests() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024];
        new Random(5).nextBytes(data);
        put("big/x", data);

        for (int i = 0; i < 3; i++) {
            try (var in = store.get("big/x")) {
                assertThat(in.read()).isEqualTo(data[0] & 0xff);
            }
        }
        assertThat(readAll(store.get("big/x", 1, 2))).containsExactly(data[1], data[2]);
    }
}
