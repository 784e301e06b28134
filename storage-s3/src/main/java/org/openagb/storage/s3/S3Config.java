package org.openagb.storage.s3;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how {@link S3ObjectStore} reaches its bucket.
 *
 * @param endpoint the S3 endpoint ({@code http://127.0.0.1:9000} for MinIO or s3proxy); null = AWS's own endpoint
 *     for the region
 * @param region the signing region ({@code us-east-1} for most S3-compatible servers)
 * @param bucket the bucket; created by {@link S3ObjectStore} when missing
 * @param keyPrefix prepended to every object key, so that several stores can share a bucket; {@code ""} for none.
 *     A non-empty prefix is normalised to end with {@code '/'}
 * @param accessKey the access key id; null (with a null secret) = the SDK's default credential chain (environment,
 *     profile, instance role)
 * @param secretKey the secret access key; never printed by {@link #toString()}
 * @param pathStyle {@code http://host/bucket/key} addressing instead of {@code http://bucket.host/key}; true for
 *     most self-hosted S3-compatible servers
 */
public record S3Config(
        URI endpoint,
        String region,
        String bucket,
        String keyPrefix,
        String accessKey,
        String secretKey,
        boolean pathStyle) {

    /** The configuration keys {@link #fromMap} reads. */
    public static final String ENDPOINT = "endpoint",
            REGION = "region",
            BUCKET = "bucket",
            PREFIX = "prefix",
            ACCESS_KEY = "accessKey",
            SECRET_KEY = "secretKey",
            PATH_STYLE = "pathStyle";

    public S3Config {
        if (endpoint != null) {
            String scheme = endpoint.getScheme();
            if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) || endpoint.getHost() == null) {
                throw new IllegalArgumentException("S3 endpoint ('" + endpoint
                        + "') must be an absolute http:// or https:// URL (for example 'http://127.0.0.1:9000')");
            }
        }
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("S3 region is missing (use 'us-east-1' for most S3-compatible servers)");
        }
        region = region.strip();
        if (bucket == null || !bucket.strip().matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("S3 bucket ('" + bucket
                    + "') must be 3-63 lowercase letters, digits, '.' or '-' (for example 'openagb-data')");
        }
        bucket = bucket.strip();
        keyPrefix = keyPrefix == null ? "" : keyPrefix.strip();
        if (keyPrefix.startsWith("/") || keyPrefix.contains("//") || keyPrefix.contains("\\")) {
            throw new IllegalArgumentException("S3 key prefix ('" + keyPrefix
                    + "') must be relative, without '//' or '\\' (for example 'openagb/' or '')");
        }
        if (!keyPrefix.isEmpty() && !keyPrefix.endsWith("/")) {
            keyPrefix = keyPrefix + "/";
        }
        if ((accessKey == null) != (secretKey == null)) {
            throw new IllegalArgumentException("S3 access key and secret key must be given together"
                    + " (or both left out to use the default AWS credential chain)");
        }
    }

    /**
     * Reads a configuration from string settings: {@code endpoint}, {@code region} (default {@code us-east-1}),
     * {@code bucket} (required), {@code prefix} (default none), {@code accessKey}, {@code secretKey} (default: the
     * AWS default credential chain) and {@code pathStyle} (default true when an endpoint is given, else false).
     */
    public static S3Config fromMap(Map<String, String> settings) {
        Objects.requireNonNull(settings, "settings");
        String endpoint = blankToNull(settings.get(ENDPOINT));
        String pathStyle = blankToNull(settings.get(PATH_STYLE));
        if (pathStyle != null && !pathStyle.equalsIgnoreCase("true") && !pathStyle.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("S3 pathStyle ('" + pathStyle + "') must be true or false");
        }
        URI uri;
        try {
            uri = endpoint == null ? null : URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("S3 endpoint ('" + endpoint + "') is not a valid URL: " + e.getMessage()
                    + " (for example 'http://127.0.0.1:9000')");
        }
        String region = blankToNull(settings.get(REGION));
        return new S3Config(
                uri,
                region == null ? "us-east-1" : region,
                settings.get(BUCKET),
                settings.getOrDefault(PREFIX, ""),
                blankToNull(settings.get(ACCESS_KEY)),
                blankToNull(settings.get(SECRET_KEY)),
                pathStyle == null
                        ? endpoint != null
                        : pathStyle.toLowerCase(Locale.ROOT).equals("true"));
    }

    /** A copy with another key prefix. */
    public S3Config withKeyPrefix(String prefix) {
        return new S3Config(endpoint, region, bucket, prefix, accessKey, secretKey, pathStyle);
    }

    /** A copy with another bucket. */
    public S3Config withBucket(String name) {
        return new S3Config(endpoint, region, name, keyPrefix, accessKey, secretKey, pathStyle);
    }

    /** A copy with other credentials. */
    public S3Config withCredentials(String access, String secret) {
        return new S3Config(endpoint, region, bucket, keyPrefix, access, secret, pathStyle);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    @Override
    public String toString() {
        return "S3Config[endpoint=" + (endpoint == null ? "(AWS)" : endpoint) + ", region=" + region + ", bucket="
                + bucket + ", keyPrefix=" + keyPrefix + ", accessKey="
                + (accessKey == null ? "(default chain)" : accessKey)
                + ", secretKey=" + (secretKey == null ? "(default chain)" : "***") + ", pathStyle=" + pathStyle + "]";
    }
}
