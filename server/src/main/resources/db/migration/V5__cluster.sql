-- Cluster: the secrets every node must share (the key that signs file URLs, link tokens and port links, so that a URL
-- one node hands out works on every node), and each node's session capacity, for placement.
CREATE TABLE cluster_secrets (
    name  VARCHAR(64)  PRIMARY KEY,
    value VARCHAR(256) NOT NULL
);
ALTER TABLE nodes ADD COLUMN capacity INTEGER NOT NULL DEFAULT 0;
