-- The node registry: every server process (node) sharing this database says who it is, where it can be reached and
-- how loaded it is, every few seconds; a node whose heartbeat is older than the down timeout is marked DOWN.
CREATE TABLE nodes (
    id            VARCHAR(64)  PRIMARY KEY,
    url           VARCHAR(512) NOT NULL,
    max_sessions  INTEGER      NOT NULL,
    memory_bytes  BIGINT       NOT NULL,
    live_sessions INTEGER      NOT NULL,
    started_at    BIGINT       NOT NULL,
    heartbeat_at  BIGINT       NOT NULL,
    status        VARCHAR(16)  NOT NULL
);
