package org.openagb.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class S3ConfigTest {
    @Test
    void fromMap_readsAllKeys_andDefaults() {
        S3Config c = S3Config.fromMap(Map.of(
                "endpoint", "http://127.0.0.1:9000",
                "bucket", "openagb-data",
                "prefix", "prod",
                "accessKey", "ak",
                "secretKey", "sk"));

        assertThat(c.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
        assertThat(c.region()).isEqualTo("us-east-1");
        assertThat(c.keyPrefix()).isEqualTo("prod/");
        assertThat(c.pathStyle()).isTrue();
        assertThat(c.toString()).doesNotContain("sk").contains("***");

        S3Config aws = S3Config.fromMap(Map.of("bucket", "b-1", "region", "eu-west-1"));
        assertThat(aws.endpoint()).isNull();
        assertThat(aws.pathStyle()).isFalse();
        assertThat(aws.accessKey()).isNull();
        assertThat(aws.keyPrefix()).isEmpty();
    }

    @Test
    void invalidSettings_areRejectedWithAnExample() {
        assertThatThrownBy(() -> S3Config.fromMap(Map.of("bucket", "Bad_Bucket")))
                .hasMessageContaining("S3 bucket ('Bad_Bucket')");
        assertThatThrownBy(() -> S3Config.fromMap(Map.of("bucket", "b-1", "endpoint", "ftp://x")))
                .hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> S3Config.fromMap(Map.of("bucket", "b-1", "accessKey", "only")))
                .hasMessageContaining("must be given together");
        assertThatThrownBy(() -> S3Config.fromMap(Map.of("bucket", "b-1", "prefix", "/abs")))
                .hasMessageContaining("must be relative");
        assertThatThrownBy(() -> S3Config.fromMap(Map.of("bucket", "b-1", "pathStyle", "yes")))
                .hasMessageContaining("true or false");
    }
}
