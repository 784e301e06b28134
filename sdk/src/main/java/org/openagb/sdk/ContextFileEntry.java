package org.openagb.sdk;

/**
 * One child of a folder of a context, from {@link ContextService#listFiles(String, String, int, int)}.
 *
 * @param fileId the server's id of the entry
 * @param fileName the last path segment, such as {@code a.txt}
 * @param filePath the absolute path (the context's key), such as {@code /home/data/a.txt}
 * @param fileType {@code file} or {@code folder}
 * @param gmtCreate ISO-8601 creation time as the server sent it, or {@code ""}
 * @param gmtModified ISO-8601 modification time as the server sent it, or {@code ""}
 * @param size size in bytes (0 for folders)
 * @param status the server's status of the entry, such as {@code ready}, or {@code ""}
 */
public record ContextFileEntry(
        String fileId,
        String fileName,
        String filePath,
        String fileType,
        String gmtCreate,
        String gmtModified,
        long size,
        String status) {
    public ContextFileEntry {
        fileId = fileId == null ? "" : fileId;
        fileName = fileName == null ? "" : fileName;
        filePath = filePath == null ? "" : filePath;
        fileType = fileType == null ? "" : fileType;
        gmtCreate = gmtCreate == null ? "" : gmtCreate;
        gmtModified = gmtModified == null ? "" : gmtModified;
        status = status == null ? "" : status;
    }

    /** Whether this entry is a folder (an implicit prefix of other entries). */
    public boolean folder() {
        return "folder".equalsIgnoreCase(fileType);
    }
}
