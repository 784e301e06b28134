-- Context versions: one row per committed generation of a context, written in the same transaction as the head's
-- compare-and-set (a lost race writes none). The retention (docs/versions.md) decides which rows garbage collection
-- keeps; a kept row keeps its manifest and blobs. file_count and total_bytes are counted while the commit wrote the
-- manifest; NULL for generations committed before this table existed (they are counted from the manifest when listed).
CREATE TABLE context_versions (
    context_id   VARCHAR(64)  NOT NULL,
    generation   BIGINT       NOT NULL,
    manifest_key VARCHAR(512),
    upload_mode  VARCHAR(16),
    committed_at BIGINT       NOT NULL,
    file_count   BIGINT,
    total_bytes  BIGINT,
    PRIMARY KEY (context_id, generation)
);

-- Every context's current head becomes its first recorded version (its commit time is not known: last use stands in).
INSERT INTO context_versions (context_id, generation, manifest_key, upload_mode, committed_at, file_count, total_bytes)
SELECT id, generation, manifest_key, upload_mode, last_used_at, NULL, NULL FROM contexts WHERE generation > 0;
