package org.openagb.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code get_file_change} and {@code get_metrics} tools, in a real sandbox, as the official SDKs call them. */
class FileChangeAndMetricsTest extends SandboxExtensionSupport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Tools tools = new Tools();
    private Sandbox sandbox;

    @BeforeEach
    void startSandbox() {
        sandbox = start("changes");
    }

    private ToolResult call(String tool, String argsJson) {
        return tools.call(sandbox, tool, argsJson);
    }

    private void sh(String command) {
        ToolResult r = call("shell", "{\"command\": " + JSON.valueToTree(command) + "}");
        assertThat(r.isError()).as(r.text()).isFalse();
    }

    /** The events of one poll as "type path pathType". */
    private List<String> poll(String dir) throws Exception {
        ToolResult r = call("get_file_change", "{\"path\": \"" + dir + "\"}");
        assertThat(r.isError()).as(r.text()).isFalse();
        List<String> events = new ArrayList<>();
        for (JsonNode e : JSON.readTree(r.text())) {
            events.add(e.get("eventType").asText() + " " + e.get("path").asText() + " "
                    + e.get("pathType").asText());
        }
        return events;
    }

    @Test
    void fileChanges_reportCreateModifyDelete_onceEach_sinceTheLastPoll() throws Exception {
        sh("mkdir -p /tmp/w/old && echo a > /tmp/w/a.txt && echo gone > /tmp/w/old/gone.txt");
        assertThat(poll("/tmp/w")).as("the first poll takes the baseline").isEmpty();

        sh("echo new > /tmp/w/new.txt && echo changed > /tmp/w/a.txt && rm -r /tmp/w/old && mkdir /tmp/w/sub");
        List<String> second = poll("/tmp/w");
        List<String> third = poll("/tmp/w");

        assertThat(second)
                .containsExactly(
                        "delete /tmp/w/old directory",
                        "delete /tmp/w/old/gone.txt file",
                        "modify /tmp/w/a.txt file",
                        "create /tmp/w/new.txt file",
                        "create /tmp/w/sub directory");
        assertThat(third).as("nothing changed since: nothing reported twice").isEmpty();
    }

    @Test
    void fileChanges_seeAnEditThatKeepsSizeAndMtime() throws Exception {
        sh("printf AAAA > /tmp/f && touch -d @1600000000 /tmp/f && mkdir /tmp/d && mv /tmp/f /tmp/d/f");
        poll("/tmp/d");

        sh("printf BBBB > /tmp/d/f && touch -d @1600000000 /tmp/d/f");

        assertThat(poll("/tmp/d")).containsExactly("modify /tmp/d/f file");
    }

    @Test
    void fileChanges_ofAFile_orOfAPathOutsideTheSession_areRefusedNamingThePath() {
        sh("echo x > /tmp/plain");

        ToolResult file = call("get_file_change", "{\"path\": \"/tmp/plain\"}");
        ToolResult outside = call("get_file_change", "{\"path\": \"/etc\"}");
        ToolResult escape = call("get_file_change", "{\"path\": \"/tmp/../../etc\"}");

        assertThat(file.isError()).isTrue();
        assertThat(file.text()).contains("/tmp/plain").contains("not a directory");
        assertThat(outside.isError()).isTrue();
        assertThat(outside.text()).contains("/etc");
        assertThat(escape.isError()).isTrue();
    }

    @Test
    void fileChanges_doNotFollowASymlinkOutOfTheWatchedTree() throws Exception {
        sh("mkdir -p /tmp/l && ln -s /usr /tmp/l/usr-link");
        poll("/tmp/l");
        sh("touch /tmp/l/x");

        assertThat(poll("/tmp/l")).containsExactly("create /tmp/l/x file");
    }

    @Test
    void metrics_describeTheSession_withTheKeysTheSdksParse() throws Exception {
        ToolResult r = call("get_metrics", "{}");

        assertThat(r.isError()).as(r.text()).isFalse();
        JsonNode m = JSON.readTree(r.text());
        assertThat(m.get("cpu_count").asInt()).isBetween(1, Runtime.getRuntime().availableProcessors());
        assertThat(m.get("cpu_used_pct").asDouble()).isBetween(0.0, 100.0);
        assertThat(m.get("mem_total").asLong()).isPositive();
        assertThat(m.get("mem_used").asLong()).isBetween(0L, m.get("mem_total").asLong());
        assertThat(m.get("disk_total").asLong()).isPositive();
        assertThat(m.get("disk_used").asLong()).isNotNegative();
        assertThat(m.get("rx_used_kbyte").asDouble())
                .as("no interface but loopback")
                .isZero();
        assertThat(m.get("timestamp").asText()).isNotBlank();
        assertThat(m.fieldNames()).toIterable().contains("rx_rate_kbyte_per_s", "tx_rate_kbyte_per_s", "tx_used_kbyte");
    }

    @Test
    void metrics_cpuUse_risesWhileTheSessionBurnsCpu() throws Exception {
        sh("nohup sh -c 'while :; do :; done' > /dev/null 2>&1 & echo $! > /tmp/burner.pid");

        JsonNode busy = JSON.readTree(call("get_metrics", "{}").text());
        sh("kill $(cat /tmp/burner.pid)");

        assertThat(busy.get("cpu_used_pct").asDouble()).isGreaterThan(20.0);
    }

    @Test
    void runCode_withEmptyCode_isAnErrorNamingTheArgument() {
        ToolResult r = call("run_code", "{\"code\": \"\", \"language\": \"python\"}");
        ToolResult comment = call("run_code", "{\"code\": \"# just a comment\", \"language\": \"python\"}");

        assertThat(r.isError()).isTrue();
        assertThat(r.text()).contains("'code'").contains("empty");
        assertThat(comment.isError()).as(comment.text()).isFalse();
    }
}
