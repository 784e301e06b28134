package org.openagb.storage;
