-- The node (server process with its own data directory) that runs a session. Several nodes may share one
-- PostgreSQL database: each recovers only its own sessions. NULL = a row from before this column (single node).
ALTER TABLE sessions ADD COLUMN node_id VARCHAR(64);
