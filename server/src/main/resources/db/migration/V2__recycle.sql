-- Recycle rules (recyclePolicy of uploaded mounts): entries of a context under path_prefix expire `days` days after
-- their last upload. One row per (context, prefix); an upload with Lifecycle_Forever for the prefix removes it.
CREATE TABLE recycle_rules (
    context_id  VARCHAR(64)   NOT NULL,
    path_prefix VARCHAR(4096) NOT NULL,
    days        INTEGER       NOT NULL,
    updated_at  BIGINT        NOT NULL,
    PRIMARY KEY (context_id, path_prefix)
);

-- MD5 of stored blobs (ETag of presigned-URL PUT/GET). Blobs are immutable, so a row never goes stale.
CREATE TABLE blob_md5 (
    object_key  VARCHAR(512) NOT NULL,
    blob_offset BIGINT       NOT NULL,
    length      BIGINT       NOT NULL,
    context_id  VARCHAR(64)  NOT NULL,
    md5         VARCHAR(32)  NOT NULL,
    PRIMARY KEY (object_key, blob_offset)
);
CREATE INDEX blob_md5_context ON blob_md5 (context_id);
