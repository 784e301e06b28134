-- OpenAGB metadata schema. Portable between SQLite (embedded default) and PostgreSQL.
-- Times are epoch milliseconds.
CREATE TABLE api_keys (
    id          VARCHAR(64)  PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    key_hash    VARCHAR(128) NOT NULL UNIQUE,
    created_at  BIGINT       NOT NULL,
    revoked_at  BIGINT
);

CREATE TABLE contexts (
    id            VARCHAR(64)  PRIMARY KEY,
    tenant        VARCHAR(64)  NOT NULL,
    name          VARCHAR(512) NOT NULL,
    state         VARCHAR(32)  NOT NULL,
    kind          VARCHAR(32)  NOT NULL,
    owner_session VARCHAR(64),
    upload_mode   VARCHAR(16),
    generation    BIGINT       NOT NULL,
    manifest_key  VARCHAR(512),
    created_at    BIGINT       NOT NULL,
    last_used_at  BIGINT       NOT NULL,
    UNIQUE (tenant, name)
);

CREATE TABLE sessions (
    id              VARCHAR(64)  PRIMARY KEY,
    tenant          VARCHAR(64)  NOT NULL,
    image_id        VARCHAR(128) NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    labels          TEXT         NOT NULL,
    mounts          TEXT         NOT NULL,
    mcp_policy_id   VARCHAR(256),
    idle_timeout_ms BIGINT       NOT NULL,
    created_at      BIGINT       NOT NULL,
    released_at     BIGINT
);
CREATE INDEX sessions_tenant_status ON sessions (tenant, status);

CREATE TABLE sync_tasks (
    session_id    VARCHAR(64)   NOT NULL,
    context_id    VARCHAR(64)   NOT NULL,
    path          VARCHAR(4096) NOT NULL,
    task_type     VARCHAR(16)   NOT NULL,
    status        VARCHAR(16)   NOT NULL,
    error_message TEXT          NOT NULL,
    start_time    BIGINT        NOT NULL,
    finish_time   BIGINT        NOT NULL,
    PRIMARY KEY (session_id, context_id, path, task_type)
);
