/**
 * Object storage for OpenAGB: the {@link org.openagb.storage.ObjectStore} interface and its local-directory
 * and in-memory implementations. Keys are {@code '/'}-separated relative strings such as {@code
 * blobs/<ctx>/<uuid>}; see {@link org.openagb.storage.ObjectStore} for the key rules.
 */
package org.openagb.storage;
