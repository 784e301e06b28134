package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.openagb.server.internal.db.Database;
import org.openagb.server.internal.nodes.NodeRegistry;

/**
 * The node registry: a running node keeps its row UP with its address and load; a node that stops heartbeating is
 * marked DOWN by the others after the timeout. SQLite here, PostgreSQL in {@link NodeRegistryPostgresTest}.
 */
class NodeRegistryTest extends ServerTestBase {
    static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(200);
    static final Duration NODE_DOWN_AFTER = Duration.ofMillis(1000);

    static NodeInfo node(String id) {
        return server.nodes().stream()
                .filter(n -> n.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("node " + id + " is not registered: " + server.nodes()));
    }

    static void await(Predicate<NodeInfo> condition, String id, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.test(node(id))) {
            assertThat(System.nanoTime())
                    .as("waiting for %s: %s", what, node(id))
                    .isLessThan(deadline);
            WireClient.sleep(50);
        }
    }

    @Test
    void aRunningNode_isUp_withItsAddress_andItsLoadFollowsItsSessions() {
        NodeInfo self = node(server.nodeId());
        assertThat(self.status()).isEqualTo(NodeInfo.Status.UP);
        assertThat(self.url()).isEqualTo(server.baseUrl());
        assertThat(self.memoryBytes()).isPositive();

        String session = wire.session();
        await(n -> n.liveSessions() >= 1, server.nodeId(), "the session in the node's load");
        long before = node(server.nodeId()).heartbeatAtMillis();
        await(n -> n.heartbeatAtMillis() > before, server.nodeId(), "a newer heartbeat");
        wire.release(session);
    }

    @Test
    void aNodeThatStopsHeartbeating_isMarkedDown_byTheNodesStillRunning() {
        try (Database db = Database.open(
                config.dataDir(), config.databaseUrl(), config.databaseUser(), config.databasePassword())) {
            NodeRegistry registry = new NodeRegistry(db.jdbi());
            registry.heartbeat("node-gone", "http://10.0.0.9:8765", 50, 1L << 30, 8, 3, System.currentTimeMillis());
            assertThat(node("node-gone").status()).isEqualTo(NodeInfo.Status.UP);

            await(n -> n.status() == NodeInfo.Status.DOWN, "node-gone", "the silent node marked down");

            registry.heartbeat("node-gone", "http://10.0.0.9:8765", 50, 1L << 30, 8, 0, System.currentTimeMillis());
            assertThat(node("node-gone").status())
                    .as("a node that comes back is up again")
                    .isEqualTo(NodeInfo.Status.UP);
            registry.stopped("node-gone");
            assertThat(node("node-gone").status()).isEqualTo(NodeInfo.Status.STOPPED);
            assertThat(node(server.nodeId()).status()).isEqualTo(NodeInfo.Status.UP);
        }
    }
}
