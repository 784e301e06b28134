package org.openagb.sdk;

/**
 * A context: named persistent storage of one account.
 *
 * @param id the server's id, such as {@code SdkCtx-…}
 * @param name the account-unique name
 * @param state {@code available}, {@code clearing}, {@code pre-available} or {@code in-use}
 * @param createTime ISO-8601 creation time as the server sent it
 * @param lastUsedTime ISO-8601 last-use time as the server sent it
 */
public record Context(String id, String name, String state, String createTime, String lastUsedTime) {
    public Context {
        id = id == null ? "" : id;
        name = name == null ? "" : name;
        state = state == null ? "" : state;
        createTime = createTime == null ? "" : createTime;
        lastUsedTime = lastUsedTime == null ? "" : lastUsedTime;
    }

    /** This context under another name, for {@link ContextService#update(Context)}. */
    public Context withName(String newName) {
        return new Context(id, newName, state, createTime, lastUsedTime);
    }
}
