package org.openagb.server.internal.session;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openagb.sandbox.ToolSpec;
import org.openagb.sandbox.Tools;
import org.openagb.server.internal.http.Json;

/** The wire forms of the sandbox's tool catalogue ({@link Tools#CATALOG}): listTools and createSession's toolList. */
final class ToolList {
    private ToolList() {}

    /** listTools' data: a JSON string of [{name, description, inputSchema, server, tool}]. */
    static String json() {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (ToolSpec t : Tools.CATALOG) {
            ObjectNode o = array.addObject();
            o.put("name", t.name());
            o.put("description", t.description());
            o.set("inputSchema", Json.parse("schema", t.inputSchema()));
            o.put("server", t.server());
            o.put("tool", t.name());
        }
        return Json.write(array);
    }

    /** createSession's toolList: a JSON string of [{name, server}]. */
    static String namesAndServers() {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (ToolSpec t : Tools.CATALOG) {
            array.addObject().put("name", t.name()).put("server", t.server());
        }
        return Json.write(array);
    }
}
