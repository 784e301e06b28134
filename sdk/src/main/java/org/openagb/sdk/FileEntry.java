package org.openagb.sdk;

/**
 * One child of a directory.
 *
 * @param name the child's name (not its path)
 * @param directory whether it is a directory
 */
public record FileEntry(String name, boolean directory) {}
