package org.openagb.sdk;

/**
 * One replacement of {@link FileSystem#edit(String, java.util.List, boolean)}: the exact text {@code oldText} (may
 * span lines) becomes {@code newText}.
 *
 * @throws IllegalArgumentException if {@code oldText} is null or empty, or {@code newText} is null
 */
public record FileEdit(String oldText, String newText) {
    public FileEdit {
        if (oldText == null || oldText.isEmpty()) {
            throw new IllegalArgumentException(
                    "Cannot edit text '" + oldText + "': the text to replace is empty (give the exact text to find)");
        }
        if (newText == null) {
            throw new IllegalArgumentException(
                    "Cannot edit text '" + oldText + "': the new text is null (use \"\" to delete it)");
        }
    }
}
