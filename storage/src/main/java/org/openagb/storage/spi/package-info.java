/**
 * Support for implementers of {@link org.openagb.storage.ObjectStore} (the local, in-memory and S3 stores): object key
 * validation and exact-length streams. Public so that a store in another module can use them; not needed by users of
 * a store.
 */
package org.openagb.storage.spi;
