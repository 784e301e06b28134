package org.openagb.storage.s3;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openagb.storage.ObjectInfo;
import org.openagb.storage.ObjectNotFoundException;
import org.openagb.storage.ObjectStore;
import org.openagb.storage.ObjectWriter;
import org.openagb.storage.StorageException;
import org.openagb.storage.spi.BoundedInputStream;
import org.openagb.storage.spi.ExactLengthInputStream;
import org.openagb.storage.spi.ObjectKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CreateBucketConfiguration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An {@link ObjectStore} in an S3 bucket (AWS S3 or an S3-compatible server such as MinIO, Ceph RGW or s3proxy).
 * Object {@code a/b} is the S3 object {@code <keyPrefix>a/b} of the configured bucket; the bucket is created when
 * missing.
 *
 * <ul>
 *   <li>{@link #put} streams the data as one PutObject of known length (objects up to 1 MiB are read into memory
 *       first, so that the SDK can retry them); a stream shorter or longer than the length fails the request before
 *       the object is complete, so nothing is stored.
 *   <li>{@link #create} buffers up to one part ({@value #PART_SIZE} bytes) in memory; an object that never fills a
 *       part is one PutObject on commit, a larger one a multipart upload whose parts are sent in the background, at
 *       most one at a time per writer while the next is filled (so at most two part buffers per writer). Abort
 *       aborts the multipart upload. The largest streamed object is 10,000 parts (about 78 GiB).
 *   <li>Ranged {@link #get(String, long, long)} is one GetObject with a {@code Range} header.
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} releases the HTTP client; the store must not be used afterwards.
 *
 * <p>Why it is this long: every ObjectStore operation with S3's error mapping and retries, range reads and listing
 * pagination; multipart writing is in S3MultipartWriter.
 */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {
    /** Size of a multipart upload part (S3's minimum is 5 MiB). */
    static final int PART_SIZE = 8 * 1024 * 1024;

    /** Objects up to this size are buffered by {@link #put} so that a failed request can be retried. */
    static final int BUFFERED_PUT_LIMIT = 1024 * 1024;

    static final int MAX_PARTS = 10_000;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    static final Logger log = LoggerFactory.getLogger(S3ObjectStore.class);

    private final S3Config config;
    private final SdkHttpClient http;
    final S3Client s3;
    /** For streamed puts: the caller's stream cannot be re-read, so a failed request is not retried. */
    private final S3Client s3NoRetry;

    final String bucket;
    private final String prefix;
    final int partSize;
    final ExecutorService partUploads;

    /**
     * Connects to the bucket, creating it when missing.
     *
     * @throws StorageException if the endpoint cannot be reached, the credentials are refused or the bucket can
     *     neither be found nor created; the message says which
     */
    public S3ObjectStore(S3Config config) {
        this(config, PART_SIZE);
    }

    S3ObjectStore(S3Config config, int partSize) {
        this.config = config;
        this.bucket = config.bucket();
        this.prefix = config.keyPrefix();
        this.partSize = partSize;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofSeconds(60))
                .build();
        this.s3 = buildClient(config, http, false);
        this.s3NoRetry = buildClient(config, http, true);
        AtomicInteger threads = new AtomicInteger();
        this.partUploads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "openagb-s3-part-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            ensureBucket();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static S3Client buildClient(S3Config config, SdkHttpClient http, boolean noRetry) {
        AwsCredentialsProvider credentials = config.accessKey() == null
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey(), config.secretKey()));
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(http)
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(config.pathStyle())
                // Checksums only where S3 requires them: many S3-compatible servers reject the newer
                // trailing-checksum uploads, and the HTTP layer already checks lengths.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (config.endpoint() != null) {
            builder.endpointOverride(config.endpoint());
        }
        if (noRetry) {
            builder.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
        }
        return builder.build();
    }

    private void ensureBucket() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
            return;
        } catch (NoSuchBucketException e) {
            // create it below
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw new StorageException(
                        "Cannot open S3 bucket '" + bucket + "' at " + where() + ": " + describe(e) + " " + hint(e), e);
            }
        } catch (SdkException e) {
            throw new StorageException(
                    "Cannot open S3 bucket '" + bucket + "' at " + where() + ": " + describe(e) + " " + hint(e), e);
        }
        try {
            s3.createBucket(b -> {
                b.bucket(bucket);
                if (!config.region().equals("us-east-1")) {
                    b.createBucketConfiguration(CreateBucketConfiguration.builder()
                            .locationConstraint(config.region())
                            .build());
                }
            });
            log.info("event=s3.bucket.created bucket={} endpoint={}", bucket, where());
        } catch (BucketAlreadyOwnedByYouException e) {
            // created concurrently: fine
        } catch (SdkException e) {
            throw new StorageException(
                    "Cannot create S3 bucket '" + bucket + "' at " + where() + ": " + describe(e)
                            + " (create the bucket by hand, or give credentials that may create it)",
                    e);
        }
    }

    private String where() {
        return config.endpoint() == null
                ? "AWS region " + config.region()
                : config.endpoint().toString();
    }

    /** The configuration this store was opened with. */
    public S3Config config() {
        return config;
    }

    private String s3Key(String verb, String key) {
        ObjectKeys.validate(verb, key);
        return prefix + key;
    }

    // ---------------------------------------------------------------------------------------------------- put

    @Override
    public void put(String key, InputStream data, long length) {
        String s3Key = s3Key("put", key);
        if (length < 0) {
            throw new StorageException(
                    "Cannot put object '" + key + "': length (" + length + ") must be >= 0 (pass the byte count)");
        }
        if (length <= BUFFERED_PUT_LIMIT) {
            byte[] bytes;
            try {
                bytes = data.readNBytes((int) length);
                if (bytes.length != length || data.read() != -1) {
                    throw lengthMismatch(key, length, bytes.length != length ? bytes.length : -1);
                }
            } catch (IOException e) {
                throw new StorageException("Cannot put object '" + key + "': reading the data failed: " + e, e);
            }
            putBytes("put", key, s3Key, bytes, bytes.length);
            return;
        }
        ExactLengthInputStream exact = new ExactLengthInputStream(key, data, length);
        RequestBody body = RequestBody.fromContentProvider(() -> exact, length, "application/octet-stream");
        try {
            s3NoRetry.putObject(b -> b.bucket(bucket).key(s3Key).contentLength(length), body);
        } catch (SdkException e) {
            if (exact.failure() != null) {
                throw exact.failure();
            }
            throw failure("Cannot put object '" + key + "'", e);
        }
        if (exact.failure() != null) {
            throw exact.failure(); // not reached in practice: the request fails with the stream
        }
    }

    private static StorageException lengthMismatch(String key, long length, long held) {
        return ExactLengthInputStream.lengthMismatch(key, length, held);
    }

    void putBytes(String verb, String key, String s3Key, byte[] bytes, int length) {
        try {
            s3.putObject(b -> b.bucket(bucket).key(s3Key).contentLength((long) length), bodyOf(bytes, length));
        } catch (SdkException e) {
            throw failure("Cannot " + verb + " object '" + key + "'", e);
        }
    }

    /** A request body over {@code bytes[0, length)}, re-readable for retries, without copying the array. */
    static RequestBody bodyOf(byte[] bytes, int length) {
        return RequestBody.fromContentProvider(
                () -> new ByteArrayInputStream(bytes, 0, length), length, "application/octet-stream");
    }

    // ------------------------------------------------------------------------------------------------- create

    @Override
    public ObjectWriter create(String key) {
        String s3Key = s3Key("create", key);
        return new S3MultipartWriter(this, key, s3Key);
    }

    // ---------------------------------------------------------------------------------------------------- get

    @Override
    public InputStream get(String key) {
        String s3Key = s3Key("read", key);
        try {
            return new ObjectInputStream(s3.getObject(b -> b.bucket(bucket).key(s3Key)));
        } catch (NoSuchKeyException e) {
            throw new ObjectNotFoundException(key);
        } catch (SdkException e) {
            if (e instanceof S3Exception s && s.statusCode() == 404) {
                throw new ObjectNotFoundException(key);
            }
            throw failure("Cannot read object '" + key + "'", e);
        }
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        String s3Key = s3Key("read", key);
        if (offset < 0 || length <= 0) {
            // No Range header can express these: check against the size (throws for a bad range).
            long size = statOrThrow(key, s3Key).size();
            ObjectKeys.validateRange(key, offset, length, size);
            return InputStream.nullInputStream();
        }
        long last = offset + length - 1;
        if (last < offset) {
            long size = statOrThrow(key, s3Key).size();
            ObjectKeys.validateRange(key, offset, length, size);
        }
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = s3.getObject(b -> b.bucket(bucket).key(s3Key).range("bytes=" + offset + "-" + last));
        } catch (NoSuchKeyException e) {
            throw new ObjectNotFoundException(key);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new ObjectNotFoundException(key);
            }
            if (e.statusCode() == 416) {
                // The range starts at or past the end: report it against the object's size.
                ObjectKeys.validateRange(
                        key, offset, length, statOrThrow(key, s3Key).size());
            }
            throw failure("Cannot read object '" + key + "' range [" + offset + ", +" + length + ")", e);
        } catch (SdkException e) {
            throw failure("Cannot read object '" + key + "' range [" + offset + ", +" + length + ")", e);
        }
        try {
            GetObjectResponse r = in.response();
            Matcher m = r.contentRange() == null ? null : CONTENT_RANGE.matcher(r.contentRange());
            if (m != null && m.matches()) {
                long from = Long.parseLong(m.group(1));
                long to = Long.parseLong(m.group(2));
                long size = m.group(3).equals("*") ? to + 1 : Long.parseLong(m.group(3));
                ObjectKeys.validateRange(key, offset, length, size);
                if (from != offset || to != last) {
                    throw new StorageException("Cannot read object '" + key + "' range [" + offset + ", +" + length
                            + "): the server returned bytes " + from + "-" + to + " (check the S3 server)");
                }
                return new ObjectInputStream(in);
            }
            // The server ignored the Range header and sent the whole object: skip to the range.
            long size = r.contentLength() == null ? -1 : r.contentLength();
            if (size >= 0) {
                ObjectKeys.validateRange(key, offset, length, size);
            }
            in.skipNBytes(offset);
            return new BoundedInputStream(new ObjectInputStream(in), length);
        } catch (IOException e) {
            in.abort();
            throw new StorageException(
                    "Cannot read object '" + key + "' range [" + offset + ", +" + length + "): " + e
                            + " (check that the S3 endpoint " + where() + " is reachable)",
                    e);
        } catch (RuntimeException e) {
            in.abort();
            closeQuietly(in);
            throw e;
        }
    }

    private ObjectInfo statOrThrow(String key, String s3Key) {
        return head(key, s3Key).orElseThrow(() -> new ObjectNotFoundException(key));
    }

    /** Closes without draining: an unread rest of the object is abandoned, not downloaded. */
    private static final class ObjectInputStream extends FilterInputStream {
        private final ResponseInputStream<?> response;
        private boolean eof;
        private boolean closed;

        ObjectInputStream(ResponseInputStream<?> response) {
            super(response);
            this.response = response;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            eof |= b < 0;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            eof |= n < 0;
            return n;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (!eof) {
                response.abort();
            }
            super.close();
        }
    }

    // ------------------------------------------------------------------------------------------ stat, delete

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return head(key, s3Key("stat", key));
    }

    private Optional<ObjectInfo> head(String key, String s3Key) {
        HeadObjectResponse r;
        try {
            r = s3.headObject(b -> b.bucket(bucket).key(s3Key));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            if (e instanceof S3Exception s && s.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("Cannot stat object '" + key + "'", e);
        }
        Instant modified = r.lastModified() == null ? Instant.EPOCH : r.lastModified();
        return Optional.of(new ObjectInfo(key, r.contentLength() == null ? 0 : r.contentLength(), modified));
    }

    @Override
    public void delete(String key) {
        String s3Key = s3Key("delete", key);
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(s3Key));
        } catch (NoSuchKeyException e) {
            // already gone: deleting is idempotent
        } catch (SdkException e) {
            if (e instanceof S3Exception s && s.statusCode() == 404 && !(e instanceof NoSuchBucketException)) {
                return;
            }
            throw failure("Cannot delete object '" + key + "'", e);
        }
    }

    // --------------------------------------------------------------------------------------------------- list

    @Override
    public List<ObjectInfo> list(String listPrefix) {
        ObjectKeys.validatePrefix(listPrefix);
        List<ObjectInfo> out = new ArrayList<>();
        try {
            ListObjectsV2Request request = ListObjectsV2Request.builder()
                    .bucket(bucket)
                    .prefix(prefix + listPrefix)
                    .build();
            for (S3Object o : s3.listObjectsV2Paginator(request).contents()) {
                if (!o.key().startsWith(prefix) || o.key().endsWith("/")) {
                    continue; // not ours, or a "directory marker" some servers and tools create
                }
                String key = o.key().substring(prefix.length());
                out.add(new ObjectInfo(
                        key,
                        o.size() == null ? 0 : o.size(),
                        o.lastModified() == null ? Instant.EPOCH : o.lastModified()));
            }
        } catch (SdkException e) {
            throw failure("Cannot list objects with prefix '" + listPrefix + "'", e);
        }
        out.sort(Comparator.comparing(ObjectInfo::key));
        return out;
    }

    // ------------------------------------------------------------------------------------------------ errors

    StorageException failure(String what, SdkException e) {
        return new StorageException(what + ": " + describe(e) + " " + hint(e), e);
    }

    private static String describe(SdkException e) {
        if (e instanceof S3Exception s) {
            String code =
                    s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
            String message =
                    s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorMessage();
            StringBuilder sb = new StringBuilder("S3 answered HTTP ").append(s.statusCode());
            if (code != null && !code.isBlank()) {
                sb.append(' ').append(code);
            }
            if (message != null && !message.isBlank()) {
                sb.append(": ").append(message);
            }
            return sb.toString();
        }
        return e.getMessage();
    }

    private String hint(SdkException e) {
        if (e instanceof S3Exception s) {
            String code = s.awsErrorDetails() == null
                    ? ""
                    : String.valueOf(s.awsErrorDetails().errorCode());
            if (s.statusCode() == 403
                    || code.equals("InvalidAccessKeyId")
                    || code.equals("SignatureDoesNotMatch")
                    || code.equals("AccessDenied")) {
                return "(access denied: check the S3 access key and secret key, and that they may use bucket '" + bucket
                        + "')";
            }
            if (e instanceof NoSuchBucketException || code.equals("NoSuchBucket")) {
                return "(the bucket '" + bucket + "' does not exist: create it, or restart to let the store create it)";
            }
            if (s.statusCode() == 301 || s.statusCode() == 400 && code.contains("Region")) {
                return "(the bucket is in another region: set the S3 region to the bucket's)";
            }
            if (s.statusCode() >= 500) {
                return "(the S3 server failed: retry later, and check the server's logs)";
            }
            return "(check the S3 server's logs)";
        }
        if (e instanceof SdkClientException) {
            return "(check that the S3 endpoint " + where() + " is reachable)";
        }
        return "(check the S3 configuration: " + config + ")";
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already failing
        }
    }

    /** Closes the HTTP client and the part upload threads. Idempotent. */
    @Override
    public void close() {
        partUploads.shutdownNow();
        s3.close();
        s3NoRetry.close();
        http.close();
    }

    @Override
    public String toString() {
        return "S3ObjectStore[" + where() + ", bucket=" + bucket + ", prefix=" + prefix + "]";
    }
}
